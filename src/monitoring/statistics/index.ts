/**
 * PURE: SageMaker Model Monitor's data-quality statistics and constraints: profiling (Deequ's type rule, moments, KLL
 * sketch, distinct counts), suggested constraints, and statistics.json / constraints.json readers and writers. No
 * I/O, clock or ambient randomness: the same rows give the same bytes.
 */
export { ColumnProfile, KLL_BUCKETS, kllBuckets } from './column-profile.js';
export { readConstraints, writeConstraints } from './constraints-file.js';
export {
  type Classified,
  classify,
  type InferredType,
  inferredTypes,
  inferType,
  type KindCounts,
  ValueKind,
} from './data-type.js';
export { DatasetProfile } from './dataset-profile.js';
export { DistinctCounter } from './distinct-count.js';
export { MonitorFormatError } from './json-fields.js';
export { javaDouble } from './json-text.js';
export { KLL_SHRINKING_FACTOR, KLL_SKETCH_SIZE, KllSketch } from './kll-sketch.js';
export type * from './model.js';
export { categoricalDriftMethods, comparisonMethods } from './model.js';
export {
  type EffectiveMonitoringConfig,
  effectiveMonitoringConfig,
  generatedMonitoringConfig,
} from './monitoring-config.js';
export { readStatistics, writeStatistics } from './statistics-file.js';
export { CATEGORICAL_MAX_DISTINCT, StringProfile } from './string-profile.js';
export { DOMAIN_MAX_SINGLETON_SHARE, suggestConstraints } from './suggest-constraints.js';
