import type { Constraints, FeatureConstraints, FeatureStatistics, Statistics } from './model.js';
import { generatedMonitoringConfig } from './monitoring-config.js';

/**
 * Deequ's CategoricalRangeRule, used for `domains`: a column with categorical buckets gets a domain when at most
 * 10% of its values occur exactly once (SageMaker's own cut-off is unconfirmed).
 */
export const DOMAIN_MAX_SINGLETON_SHARE = 0.1;

/**
 * The constraints a baseline suggests from its statistics: each feature's type and completeness (its non-null
 * share), `is_non_negative` for numeric features (min >= 0), and `domains` (most frequent first) for
 * low-cardinality strings.
 */
export function suggestConstraints(statistics: Statistics): Constraints {
  const items = statistics.dataset.itemCount;
  return {
    version: 0,
    features: statistics.features.map((f) => featureConstraints(f, items)),
    monitoringConfig: generatedMonitoringConfig(),
  };
}

function featureConstraints(feature: FeatureStatistics, items: number): FeatureConstraints {
  const common = feature.numericalStatistics?.common ?? feature.stringStatistics?.common;
  const present = common?.numPresent ?? 0;
  const base: FeatureConstraints = {
    name: feature.name,
    inferredType: feature.inferredType,
    completeness: items === 0 ? 0 : present / items,
  };
  const min = feature.numericalStatistics?.min;
  if ((feature.inferredType === 'Integral' || feature.inferredType === 'Fractional') && min !== undefined) {
    return { ...base, numConstraints: { isNonNegative: min >= 0 } };
  }
  const buckets = feature.stringStatistics?.distribution?.categorical?.buckets;
  if (feature.inferredType === 'String' && buckets !== undefined && buckets.length > 0) {
    const singletons = buckets.filter((b) => b.count === 1).length;
    if (singletons / buckets.length <= DOMAIN_MAX_SINGLETON_SHARE) {
      return { ...base, stringConstraints: { domains: buckets.map((b) => b.value) } };
    }
  }
  return base;
}
