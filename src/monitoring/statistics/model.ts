import type { InferredType } from './data-type.js';

/**
 * SageMaker Model Monitor's data-quality files as typed data. Keys are camelCase here and snake_case in the files
 * (`num_present`), as the readers and writers map them. `extra` holds the keys a file had that this model does not
 * know: a reader keeps them and a writer writes them back, so a user's file survives a round trip.
 */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };
/** Keys kept as read; absent when there were none. */
export type Extra = { extra?: JsonObject };

// ---- statistics.json ----

export interface Statistics extends Extra {
  /** 0.0 in every file seen. */
  version: number;
  dataset: { itemCount: number } & Extra;
  features: FeatureStatistics[];
}

export interface FeatureStatistics extends Extra {
  name: string;
  inferredType: InferredType;
  /** Integral and Fractional features. */
  numericalStatistics?: NumericalStatistics;
  /** String features. */
  stringStatistics?: StringStatistics;
}

export interface CommonStatistics extends Extra {
  numPresent: number;
  numMissing: number;
}

export interface NumericalStatistics extends Extra {
  common: CommonStatistics;
  mean?: number;
  sum?: number;
  /** Population standard deviation (Deequ's StandardDeviation is stddev_pop). */
  stdDev?: number;
  min?: number;
  max?: number;
  distribution?: { kll?: KllDistribution } & Extra;
}

export interface KllDistribution extends Extra {
  /** 10 equal-width buckets from min to max; a bucket counts values >= lower and < upper, the last also max. */
  buckets: KllBucket[];
  /** Absent when the file's sketch has another form (allowed; SageMaker's charts then ignore it). */
  sketch?: KllSketchData;
}

export interface KllBucket extends Extra {
  lowerBound: number;
  upperBound: number;
  /** The sketch's estimate of the values in the bucket. */
  count: number;
}

export interface KllSketchData extends Extra {
  parameters: { c: number; k: number } & Extra;
  /** One array per compactor level; an item on level i weighs 2^i. */
  data: number[][];
}

export interface StringStatistics extends Extra {
  common: CommonStatistics;
  /** Approximate (HyperLogLog), written as a float (`2698.0`). */
  distinctCount?: number;
  distribution?: { categorical?: { buckets: CategoricalBucket[] } & Extra } & Extra;
}

export interface CategoricalBucket extends Extra {
  value: string;
  count: number;
}

// ---- constraints.json ----

export type Toggle = 'Enabled' | 'Disabled';
export const comparisonMethods = ['Simple', 'Robust'] as const;
export type ComparisonMethod = (typeof comparisonMethods)[number];
export const categoricalDriftMethods = ['LInfinity', 'ChiSquared'] as const;
export type CategoricalDriftMethod = (typeof categoricalDriftMethods)[number];

export interface Constraints extends Extra {
  version: number;
  features: FeatureConstraints[];
  /** Absent in some hand-written files: the documented defaults then apply (see `effectiveMonitoringConfig`). */
  monitoringConfig?: MonitoringConfig;
}

export interface FeatureConstraints extends Extra {
  name: string;
  inferredType: InferredType;
  /** The baseline's non-null share, 0 to 1. */
  completeness: number;
  numConstraints?: { isNonNegative?: boolean } & Extra;
  stringConstraints?: StringConstraints;
  /** The documented form: `monitoringConfigOverrides` on the feature. */
  monitoringConfigOverrides?: MonitoringConfig;
}

export interface StringConstraints extends Extra {
  /** The values seen, for low-cardinality strings. */
  domains?: string[];
  /** The SDK's form: `string_constraints.monitoring_config_overrides`. */
  monitoringConfigOverrides?: MonitoringConfig;
}

/** Every key optional: a file may give only some, and overrides give only what they change. */
export interface MonitoringConfig extends Extra {
  evaluateConstraints?: Toggle;
  emitMetrics?: Toggle;
  datatypeCheckThreshold?: number;
  domainContentThreshold?: number;
  distributionConstraints?: DistributionConstraints;
}

export interface DistributionConstraints extends Extra {
  performComparison?: Toggle;
  comparisonThreshold?: number;
  /** Read from `Simple`/`Robust` or the docs' `linf_simple`/`linf_robust`; written as `Simple`/`Robust`. */
  comparisonMethod?: ComparisonMethod;
  categoricalComparisonThreshold?: number;
  categoricalDriftMethod?: CategoricalDriftMethod;
}
