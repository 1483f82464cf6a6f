import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { PrepError, PrepErrors } from './errors.js';
import { Checker } from './spec-check.js';

/**
 * The data-prep spec (`prep.json`): where the raw data is, how to reshape it, which column is the label, how to
 * split it and where to write the splits. `parsePrepSpec` validates the JSON and returns this normalized form:
 * defaults applied, every path absolute (relative paths are taken from the spec file's folder).
 */
export interface PrepSpec {
  /** The spec file, named in every message. */
  file: string;
  input: PrepInput;
  /** Absolute path of a .sql file holding one SELECT over the table `input`; runs before `steps`. */
  sql?: string;
  steps: PrepStep[];
  label: PrepLabel;
  split: PrepSplit;
  output: PrepOutput;
  /** How many rejected rows are tolerated before the step fails (default 0). */
  maxRejectedRows: number;
}

export const inputFormats = ['csv', 'parquet', 'jsonl'] as const;
export type InputFormat = (typeof inputFormats)[number];
export const outputFormats = ['csv', 'parquet'] as const;
export type OutputFormat = (typeof outputFormats)[number];
/** Column types a spec may name (`input.types`, `cast` steps), spelled lowercase; DuckDB's type of the same name. */
export const columnTypes = ['boolean', 'integer', 'bigint', 'float', 'double', 'varchar', 'date', 'timestamp'] as const;
export type ColumnType = (typeof columnTypes)[number];
export type Scalar = string | number | boolean;

export interface PrepInput {
  /** Absolute file path or glob; a glob's files are read in sorted order. */
  path: string;
  format: InputFormat;
  /** CSV: the first line holds the column names (default true). */
  header: boolean;
  /** CSV: the field separator, 1 to 4 characters (default ","). */
  delimiter: string;
  /** CSV: every line is wrapped in one pair of double quotes, as in AWS's churn sample (default false). */
  quotedLines: boolean;
  /** CSV: column names in file order, to name a file without a header or rename a header's columns. */
  columns?: string[];
  /** Declared types; other columns are inferred from the first 20,480 rows (see docs/data-prep.md). */
  types: Record<string, ColumnType>;
  /** CSV: the texts read as a missing value (default [""]). */
  nullValues: string[];
}

/** One declarative step; steps run in order, after `sql`. */
export type PrepStep =
  | { op: 'select'; columns: string[] }
  | { op: 'drop'; columns: string[] }
  | { op: 'cast'; columns: Record<string, ColumnType> }
  | { op: 'fill'; columns: Record<string, FillRule> }
  | { op: 'oneHot'; columns: string[]; categories: Record<string, Scalar[]> };
export type StepOp = PrepStep['op'];
export const stepOps = ['select', 'drop', 'cast', 'fill', 'oneHot'] as const satisfies readonly StepOp[];

/** A constant, or a statistic of the column over all rows. */
export type FillRule = { value: Scalar } | { strategy: FillStrategy };
export const fillStrategies = ['mean', 'median', 'mode'] as const;
export type FillStrategy = (typeof fillStrategies)[number];

export interface PrepLabel {
  column: string;
  /** The value that means 1; every other value means 0. Without it the column must hold 0/1 or true/false. */
  positive?: Scalar;
}

export interface PrepSplit {
  ratios: { train: number; validation: number; test: number };
  /** Integer seed of the row hash that orders and splits the rows. */
  seed: number;
  /** Take the ratios within each label class (default false). */
  stratify: boolean;
}

export interface PrepOutput {
  /** Absolute folder; replaced as a whole only when the step succeeds. */
  dir: string;
  formats: OutputFormat[];
}

/**
 * Validates a parsed prep spec and reports every problem at once, each naming `file` and the key path.
 * @example parsePrepSpec(JSON.parse(text), 'examples/churn/prep.json')
 */
export function parsePrepSpec(json: unknown, file: string): PrepSpec {
  const c = new Checker(path.basename(file));
  const base = path.dirname(path.resolve(file));
  const root = c.object(json, '', ['input', 'sql', 'steps', 'label', 'split', 'output', 'maxRejectedRows']);
  if (!root) throw new PrepError(PrepErrors.InvalidSpec, c.problems.join('\n'));
  const input = parseInput(c, root.input);
  const sql = c.optional(root.sql, 'sql', (v, at) => c.string(v, at));
  const steps = c.optional(root.steps, 'steps', (v, at) => c.array(v, at, (s, sAt) => parseStep(c, s, sAt))) ?? [];
  const labelObj = c.object(root.label, 'label', ['column', 'positive']);
  const labelColumn = c.string(labelObj?.column, 'label.column');
  const positive = c.optional(labelObj?.positive, 'label.positive', (v, at) => c.scalar(v, at));
  const split = parseSplit(c, root.split);
  const outputObj = c.object(root.output, 'output', ['dir', 'formats']);
  const dir = c.string(outputObj?.dir, 'output.dir');
  const formats = c.array(outputObj?.formats, 'output.formats', (v, at) => c.oneOf(v, at, outputFormats));
  if (formats?.length === 0) c.problem('output.formats', 'must name at least one of "csv", "parquet"');
  if (formats && new Set(formats).size !== formats.length) c.problem('output.formats', 'must not repeat a format');
  const maxRejectedRows = c.optional(root.maxRejectedRows, 'maxRejectedRows', (v, at) => c.integer(v, at, 0)) ?? 0;
  if (labelColumn !== undefined) checkStepsAgainstLabel(c, steps, labelColumn);
  if (!c.ok() || !input || !labelColumn || !split || dir === undefined || !formats) {
    throw new PrepError(PrepErrors.InvalidSpec, c.problems.join('\n'));
  }
  return {
    file,
    input: { ...input, path: path.resolve(base, input.path) },
    ...(sql !== undefined ? { sql: path.resolve(base, sql) } : {}),
    steps,
    label: { column: labelColumn, ...(positive !== undefined ? { positive } : {}) },
    split,
    output: { dir: path.resolve(base, dir), formats },
    maxRejectedRows,
  };
}

/** Reads and validates a spec file; a missing file or bad JSON is reported like any other spec problem. */
export async function loadPrepSpec(file: string): Promise<PrepSpec> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new PrepError(PrepErrors.InvalidSpec, `${file}: cannot read the spec (${(err as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new PrepError(PrepErrors.InvalidSpec, `${path.basename(file)}: not valid JSON (${(err as Error).message})`);
  }
  return parsePrepSpec(json, file);
}

function parseInput(c: Checker, json: unknown): PrepInput | undefined {
  const keys = ['path', 'format', 'header', 'delimiter', 'quotedLines', 'columns', 'types', 'nullValues'];
  const o = c.object(json, 'input', keys);
  if (!o) return undefined;
  const p = c.string(o.path, 'input.path');
  const format = c.oneOf(o.format, 'input.format', inputFormats);
  if (format !== undefined && format !== 'csv') {
    for (const key of ['header', 'delimiter', 'quotedLines', 'columns', 'nullValues'] as const) {
      if (o[key] !== undefined) c.problem(`input.${key}`, `applies only to "csv" input (format is "${format}")`);
    }
  }
  const header = c.optional(o.header, 'input.header', (v, at) => c.boolean(v, at)) ?? true;
  const delimiter = c.optional(o.delimiter, 'input.delimiter', (v, at) => c.string(v, at)) ?? ',';
  if (delimiter.length < 1 || delimiter.length > 4 || /[\r\n"]/.test(delimiter)) {
    c.problem(
      'input.delimiter',
      `must be 1 to 4 characters, no quote or line break (got ${JSON.stringify(delimiter)})`,
    );
  }
  const quotedLines = c.optional(o.quotedLines, 'input.quotedLines', (v, at) => c.boolean(v, at)) ?? false;
  const columns = c.optional(o.columns, 'input.columns', (v, at) => c.names(v, at));
  const types = c.optional(o.types, 'input.types', (v, at) =>
    c.record(v, at, (t, tAt) => c.oneOf(t, tAt, columnTypes)),
  );
  const nullValues = c.optional(o.nullValues, 'input.nullValues', (v, at) =>
    c.array(v, at, (s, sAt) => c.string(s, sAt)),
  ) ?? [''];
  if (p === undefined || format === undefined) return undefined;
  return {
    path: p,
    format,
    header,
    delimiter,
    quotedLines,
    ...(columns ? { columns } : {}),
    types: types ?? {},
    nullValues,
  };
}

function parseStep(c: Checker, json: unknown, at: string): PrepStep | undefined {
  const op = c.oneOf(c.object(json, at, ['op', 'columns', 'categories'])?.op, `${at}.op`, stepOps);
  const o = json as Record<string, unknown>;
  if (op !== 'oneHot' && o?.categories !== undefined) c.problem(`${at}.categories`, 'applies only to "oneHot" steps');
  const cols = `${at}.columns`;
  switch (op) {
    case undefined:
      return undefined;
    case 'select':
    case 'drop': {
      const columns = c.names(o.columns, cols);
      return columns && { op, columns };
    }
    case 'cast': {
      const columns = c.record(o.columns, cols, (v, vAt) => c.oneOf(v, vAt, columnTypes));
      return columns && { op, columns };
    }
    case 'fill': {
      const columns = c.record(o.columns, cols, (v, vAt) => parseFillRule(c, v, vAt));
      return columns && { op, columns };
    }
    case 'oneHot': {
      const columns = c.names(o.columns, cols);
      const categories = c.optional(o.categories, `${at}.categories`, (v, vAt) =>
        c.record(v, vAt, (list, lAt) => c.array(list, lAt, (s, sAt) => c.scalar(s, sAt))),
      );
      for (const name of Object.keys(categories ?? {})) {
        if (columns && !columns.includes(name)) c.problem(`${at}.categories.${name}`, 'names a column not in columns');
      }
      return columns && { op, columns, categories: categories ?? {} };
    }
  }
}

function parseFillRule(c: Checker, json: unknown, at: string): FillRule | undefined {
  const o = c.object(json, at, ['value', 'strategy']);
  if (!o) return undefined;
  if ((o.value === undefined) === (o.strategy === undefined)) {
    c.problem(at, 'must have exactly one of "value" (a constant) or "strategy" ("mean", "median" or "mode")');
    return undefined;
  }
  if (o.value !== undefined) {
    const value = c.scalar(o.value, `${at}.value`);
    return value === undefined ? undefined : { value };
  }
  const strategy = c.oneOf(o.strategy, `${at}.strategy`, fillStrategies);
  return strategy && { strategy };
}

function parseSplit(c: Checker, json: unknown): PrepSplit | undefined {
  const o = c.object(json, 'split', ['ratios', 'seed', 'stratify']);
  const r = c.object(o?.ratios, 'split.ratios', ['train', 'validation', 'test']);
  const train = c.number(r?.train, 'split.ratios.train', 0, 1);
  const validation = c.number(r?.validation, 'split.ratios.validation', 0, 1);
  const test = c.number(r?.test, 'split.ratios.test', 0, 1);
  if (train !== undefined && validation !== undefined && test !== undefined) {
    const sum = train + validation + test;
    if (Math.abs(sum - 1) > 1e-9) c.problem('split.ratios', `must sum to 1 (got ${Number(sum.toPrecision(12))})`);
    if (train === 0) c.problem('split.ratios.train', 'must be more than 0');
  }
  const seed = c.integer(o?.seed, 'split.seed', 0, 2 ** 31 - 1);
  const stratify = c.optional(o?.stratify, 'split.stratify', (v, at) => c.boolean(v, at)) ?? false;
  if (!o || train === undefined || validation === undefined || test === undefined || seed === undefined) return;
  return { ratios: { train, validation, test }, seed, stratify };
}

/** Problems that need only the spec: a step that would remove or rename the label. */
function checkStepsAgainstLabel(c: Checker, steps: PrepStep[], label: string): void {
  steps.forEach((step, i) => {
    if ((step.op === 'drop' || step.op === 'oneHot') && step.columns.includes(label)) {
      c.problem(
        `steps[${i}].columns`,
        `must not ${step.op === 'drop' ? 'drop' : 'one-hot encode'} the label "${label}"`,
      );
    }
  });
}
