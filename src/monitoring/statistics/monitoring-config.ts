import type {
  CategoricalDriftMethod,
  ComparisonMethod,
  Constraints,
  DistributionConstraints,
  MonitoringConfig,
  Toggle,
} from './model.js';

/**
 * `monitoring_config` as SageMaker's generated constraints.json carries it (the reference's "generated files"
 * column): both thresholds 1.0, Robust comparison at 0.1, no categorical keys.
 */
export function generatedMonitoringConfig(): MonitoringConfig {
  return {
    evaluateConstraints: 'Enabled',
    emitMetrics: 'Enabled',
    datatypeCheckThreshold: 1.0,
    domainContentThreshold: 1.0,
    distributionConstraints: { performComparison: 'Enabled', comparisonThreshold: 0.1, comparisonMethod: 'Robust' },
  };
}

/** Every monitoring setting with a value: what a monitor run applies to one feature. */
export interface EffectiveMonitoringConfig {
  evaluateConstraints: Toggle;
  emitMetrics: Toggle;
  datatypeCheckThreshold: number;
  domainContentThreshold: number;
  performComparison: Toggle;
  comparisonThreshold: number;
  comparisonMethod: ComparisonMethod;
  categoricalComparisonThreshold: number;
  categoricalDriftMethod: CategoricalDriftMethod;
}

/**
 * The settings for `feature` (or the dataset when omitted): the file's `monitoring_config`, then the feature's
 * `string_constraints.monitoring_config_overrides`, then its `monitoringConfigOverrides` (the documented form wins a
 * clash; the order is inferred). Keys no layer gives take the docs' defaults (thresholds 0.1, categorical threshold
 * = comparison_threshold, LInfinity); the docs give no default comparison method, Robust is what generated files use.
 */
export function effectiveMonitoringConfig(constraints: Constraints, feature?: string): EffectiveMonitoringConfig {
  const f = feature === undefined ? undefined : constraints.features.find((x) => x.name === feature);
  const layers = [
    constraints.monitoringConfig,
    f?.stringConstraints?.monitoringConfigOverrides,
    f?.monitoringConfigOverrides,
  ];
  const config: MonitoringConfig = {};
  const distribution: DistributionConstraints = {};
  for (const layer of layers) {
    if (layer === undefined) continue;
    Object.assign(config, defined(layer));
    if (layer.distributionConstraints) Object.assign(distribution, defined(layer.distributionConstraints));
  }
  const comparisonThreshold = distribution.comparisonThreshold ?? 0.1;
  return {
    evaluateConstraints: config.evaluateConstraints ?? 'Enabled',
    emitMetrics: config.emitMetrics ?? 'Enabled',
    datatypeCheckThreshold: config.datatypeCheckThreshold ?? 0.1,
    domainContentThreshold: config.domainContentThreshold ?? 0.1,
    performComparison: distribution.performComparison ?? 'Enabled',
    comparisonThreshold,
    comparisonMethod: distribution.comparisonMethod ?? 'Robust',
    categoricalComparisonThreshold: distribution.categoricalComparisonThreshold ?? comparisonThreshold,
    categoricalDriftMethod: distribution.categoricalDriftMethod ?? 'LInfinity',
  };
}

function defined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([key, v]) => v !== undefined && key !== 'extra'),
  ) as Partial<T>;
}
