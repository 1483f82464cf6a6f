/**
 * Data prep on DuckDB: read CSV / Parquet / JSON Lines, transform, label, split deterministically, write CSV and
 * Parquet; plus the example churn data generator. The only public entry of src/ml/data.
 */
export { PrepError, type PrepErrorName, PrepErrors, type RejectedRow, type RejectReport } from './errors.js';
export { type ChurnDataOptions, churnColumns, generateChurnData, writeChurnData } from './generate.js';
export { type PrepOptions, type PrepResult, runDataPrep } from './prep.js';
export { type PrepCommandOptions, runPrepCommand } from './prep-cli.js';
export {
  type ColumnType,
  columnTypes,
  type FillRule,
  type InputFormat,
  loadPrepSpec,
  type OutputFormat,
  type PrepInput,
  type PrepLabel,
  type PrepOutput,
  type PrepSpec,
  type PrepSplit,
  type PrepStep,
  parsePrepSpec,
  type Scalar,
} from './spec.js';
export type { Column } from './sql.js';
export { type SplitFile, type SplitName, splitNames } from './write-splits.js';
