/** Evaluating a model file on a labelled data file: the `ml evaluate` command and the workflow's evaluate step. */
export { type EvaluateFileOptions, type EvaluateFileResult, evaluateModelFile } from './evaluate-file.js';
