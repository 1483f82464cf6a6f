import { LOGLOSS_EPS } from './binary.js';
import { checkClassLabels, checkIntegerOption, checkNotEmpty } from './validate.js';

export interface MulticlassInput {
  /** Class id per row, an integer in [0, numClass). */
  labels: ArrayLike<number>;
  /** Row-major n × numClass class probabilities (XGBoost's `multi:softprob` output layout). */
  probabilities: ArrayLike<number>;
  numClass: number;
}

export interface MulticlassMetrics {
  kind: 'multiclass';
  count: number;
  numClass: number;
  /** Share of rows whose most probable class (first on ties) is the label. */
  accuracy: number;
  /** 1 − accuracy, counted directly: XGBoost's `merror`. */
  error: number;
  /** mean(−log p[label]), p clipped to [1e-15, 1 − 1e-15]; rows are NOT renormalised (XGBoost's `mlogloss`). */
  mlogloss: number;
  /** confusionMatrix[actual][predicted], as sklearn's confusion_matrix. */
  confusionMatrix: number[][];
}

const FN = 'evaluateMulticlass';

/**
 * Accuracy, merror, mlogloss and the confusion matrix of class probabilities; throws on a wrong matrix size,
 * class ids out of range, or probabilities that are not finite numbers in [0, 1].
 * @example evaluateMulticlass({ labels: [0, 2], probabilities: [0.7, 0.2, 0.1, 0.1, 0.3, 0.6], numClass: 3 })
 */
export function evaluateMulticlass(input: MulticlassInput): MulticlassMetrics {
  const { labels, probabilities, numClass } = input;
  checkIntegerOption(FN, 'numClass', numClass, 2, 1_000_000);
  checkNotEmpty(FN, 'labels', labels);
  const count = labels.length;
  if (probabilities.length !== count * numClass) {
    throw new Error(
      `${FN}: probabilities has ${probabilities.length} values but labels has ${count} rows × numClass ${numClass} ` +
        `= ${count * numClass}; pass a row-major n × numClass matrix`,
    );
  }
  checkClassLabels(FN, 'labels', labels, numClass);
  for (let j = 0; j < probabilities.length; j++) {
    const p = probabilities[j];
    if (typeof p !== 'number' || !(p >= 0 && p <= 1)) {
      throw new Error(
        `${FN}: probabilities[${j}] (row ${Math.floor(j / numClass)}, class ${j % numClass}) ` +
          `must be a probability in [0, 1] (got ${String(p)})`,
      );
    }
  }

  const confusionMatrix = Array.from({ length: numClass }, () => new Array<number>(numClass).fill(0));
  let correct = 0;
  let loss = 0;
  for (let i = 0; i < count; i++) {
    const row = i * numClass;
    let predicted = 0;
    for (let c = 1; c < numClass; c++) if (probabilities[row + c]! > probabilities[row + predicted]!) predicted = c;
    const actual = labels[i]!;
    confusionMatrix[actual]![predicted]!++;
    if (predicted === actual) correct++;
    const p = Math.min(Math.max(probabilities[row + actual]!, LOGLOSS_EPS), 1 - LOGLOSS_EPS);
    loss -= Math.log(p);
  }
  return {
    kind: 'multiclass',
    count,
    numClass,
    accuracy: correct / count,
    error: (count - correct) / count,
    mlogloss: loss / count,
    confusionMatrix,
  };
}
