import { isAbsolute, resolve } from 'node:path';
import type { Json } from '../engine/asl/index.js';
import { TaskFailure, type TaskRequest, type TaskRunner } from '../engine/runtime/index.js';
import { type BaselineOptions, buildBaseline } from './baseline.js';
import { BaselineError } from './baseline-error.js';

/** The task resource that builds a drift baseline: `"Resource": "flywheel:monitor.baseline"`. */
export const BASELINE_RESOURCE = 'flywheel:monitor.baseline';

const INVALID_INPUT = 'Flywheel.InvalidTaskInput';
const FIELDS = ['Data', 'Columns', 'Header', 'Label', 'QuotedLines', 'OutDir'] as const;

export interface BaselineRunnerOptions {
  /** Relative paths in task inputs resolve against the request's cwd, else this folder. */
  cwd: string;
}

/**
 * `flywheel:monitor.baseline`: input `{ "Data": path, "Columns"?: [names], "Header"?: bool, "Label"?: "first" |
 * name | null, "QuotedLines"?: bool, "OutDir": path }`; output `{ "StatisticsPath", "ConstraintsPath", "ItemCount",
 * "Features": [{ "Name", "InferredType" }] }`. Bad input fails with Flywheel.InvalidTaskInput; unreadable data
 * with Baseline.BadData.
 */
export function createBaselineRunner(options: BaselineRunnerOptions): TaskRunner {
  return {
    async run(request, signal) {
      const input = readInput(request, options);
      try {
        const result = await buildBaseline({ ...input, signal });
        return {
          StatisticsPath: result.statisticsPath,
          ConstraintsPath: result.constraintsPath,
          ItemCount: result.itemCount,
          Features: result.features.map((f) => ({ Name: f.name, InferredType: f.inferredType })),
        };
      } catch (error) {
        if (signal.aborted) {
          const reason: unknown = signal.reason;
          throw new TaskFailure(
            'States.TaskFailed',
            `aborted: ${reason instanceof Error ? reason.message : String(reason)}`,
          );
        }
        if (error instanceof BaselineError) {
          const name = error.kind === 'InvalidInput' ? INVALID_INPUT : error.error;
          throw new TaskFailure(name, `${BASELINE_RESOURCE}: ${error.message}`);
        }
        throw new TaskFailure('States.TaskFailed', error instanceof Error ? error.message : String(error));
      }
    },
  };
}

function invalid(field: string, expected: string, got: Json | undefined): TaskFailure {
  const shown = got === undefined ? 'nothing' : JSON.stringify(got).slice(0, 80);
  return new TaskFailure(INVALID_INPUT, `${BASELINE_RESOURCE}: ${field} must be ${expected} (got ${shown})`);
}

function readInput(request: TaskRequest, options: BaselineRunnerOptions): Omit<BaselineOptions, 'signal'> {
  const input = request.input;
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw invalid('the task input', `an object with ${FIELDS.join(', ')}`, input);
  }
  const unknown = Object.keys(input).filter((k) => !(FIELDS as readonly string[]).includes(k));
  if (unknown.length > 0) {
    throw new TaskFailure(
      INVALID_INPUT,
      `${BASELINE_RESOURCE}: unknown field ${unknown.map((k) => `"${k}"`).join(', ')} in the task input (known fields: ${FIELDS.join(', ')})`,
    );
  }
  const base = request.cwd ?? options.cwd;
  const pathField = (field: 'Data' | 'OutDir'): string => {
    const v = input[field];
    if (typeof v !== 'string' || v === '') throw invalid(field, 'a non-empty path', v);
    return isAbsolute(v) ? v : resolve(base, v);
  };
  const result: Omit<BaselineOptions, 'signal'> = { data: pathField('Data'), outDir: pathField('OutDir') };
  const { Columns: columns, Header: header, Label: label, QuotedLines: quotedLines } = input;
  if (columns !== undefined) {
    if (!Array.isArray(columns) || columns.length === 0 || !columns.every((c) => typeof c === 'string' && c !== '')) {
      throw invalid('Columns', 'a non-empty array of column names', columns);
    }
    result.columns = columns as string[];
  }
  if (header !== undefined) {
    if (typeof header !== 'boolean') throw invalid('Header', 'true or false', header);
    result.header = header;
  }
  if (quotedLines !== undefined) {
    if (typeof quotedLines !== 'boolean') throw invalid('QuotedLines', 'true or false', quotedLines);
    result.quotedLines = quotedLines;
  }
  if (label !== undefined) {
    if (label !== null && (typeof label !== 'string' || label === '')) {
      throw invalid('Label', '"first", a column name, or null', label);
    }
    result.labelColumn = label;
  }
  if (result.header === true && result.columns !== undefined) {
    throw invalid('Columns', 'absent when Header is true (the header names the columns)', columns);
  }
  return result;
}
