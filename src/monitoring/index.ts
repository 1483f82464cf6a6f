/**
 * Drift monitoring's data: SageMaker Model Monitor data-quality baselines (statistics.json and constraints.json),
 * built from a training split, read from a user's SageMaker baseline, written in the same format. The only public
 * entry of src/monitoring; the pure statistics core lives in ./statistics.
 */
export { type BaselineOptions, type BaselineResult, buildBaseline } from './baseline.js';
export { BaselineError, BaselineErrors } from './baseline-error.js';
export {
  CONSTRAINTS_FILE,
  readConstraintsFile,
  readStatisticsFile,
  STATISTICS_FILE,
  writeFileAtomic,
} from './baseline-files.js';
export { BASELINE_RESOURCE, type BaselineRunnerOptions, createBaselineRunner } from './baseline-runner.js';
export * from './statistics/index.js';
