import { inferredTypes } from './data-type.js';
import { Fields, keep, parseJsonText } from './json-fields.js';
import { Double, double, type OutValue, renderJson, withExtra } from './json-text.js';
import {
  type Constraints,
  categoricalDriftMethods,
  comparisonMethods,
  type DistributionConstraints,
  type FeatureConstraints,
  type MonitoringConfig,
  type StringConstraints,
  type Toggle,
} from './model.js';

const toggles: readonly Toggle[] = ['Enabled', 'Disabled'];
const share = { min: 0, max: 1 };

/**
 * Reads a constraints.json as SageMaker or Flywheel wrote it: overrides in both forms (feature-level
 * `monitoringConfigOverrides` and `string_constraints.monitoring_config_overrides`), comparison methods spelled
 * `Simple`/`Robust` or `linf_simple`/`linf_robust`, unknown keys kept, errors naming `file` and the key path.
 */
export function readConstraints(text: string, file = 'constraints.json'): Constraints {
  const root = new Fields(file, '', parseJsonText(text, file));
  const constraints: Constraints = {
    version: root.number('version'),
    features: root.array('features').map((value, i) => readFeature(new Fields(file, `features[${i}]`, value))),
  };
  const config = root.optionalNested('monitoring_config');
  if (config) constraints.monitoringConfig = readConfig(config);
  return keep(constraints, root);
}

function readFeature(f: Fields): FeatureConstraints {
  const feature: FeatureConstraints = {
    name: f.string('name'),
    inferredType: f.oneOf('inferred_type', inferredTypes),
    completeness: f.number('completeness', share),
  };
  const num = f.optionalNested('num_constraints');
  if (num) {
    feature.numConstraints = keep(
      num.has('is_non_negative') ? { isNonNegative: num.boolean('is_non_negative') } : {},
      num,
    );
  }
  const str = f.optionalNested('string_constraints');
  if (str) feature.stringConstraints = readStringConstraints(str);
  const overrides = f.optionalNested('monitoringConfigOverrides');
  if (overrides) feature.monitoringConfigOverrides = readConfig(overrides);
  return keep(feature, f);
}

function readStringConstraints(f: Fields): StringConstraints {
  const result: StringConstraints = {};
  if (f.has('domains')) {
    result.domains = f
      .array('domains')
      .map((v, i) => (typeof v === 'string' ? v : f.fail(`domains[${i}]`, 'a string', v)));
  }
  const overrides = f.optionalNested('monitoring_config_overrides');
  if (overrides) result.monitoringConfigOverrides = readConfig(overrides);
  return keep(result, f);
}

function readConfig(f: Fields): MonitoringConfig {
  const config: MonitoringConfig = {};
  if (f.has('evaluate_constraints')) config.evaluateConstraints = f.oneOf('evaluate_constraints', toggles);
  if (f.has('emit_metrics')) config.emitMetrics = f.oneOf('emit_metrics', toggles);
  const datatype = f.optionalNumber('datatype_check_threshold', share);
  if (datatype !== undefined) config.datatypeCheckThreshold = datatype;
  const domain = f.optionalNumber('domain_content_threshold', share);
  if (domain !== undefined) config.domainContentThreshold = domain;
  const distribution = f.optionalNested('distribution_constraints');
  if (distribution) config.distributionConstraints = readDistribution(distribution);
  return keep(config, f);
}

function readDistribution(f: Fields): DistributionConstraints {
  const d: DistributionConstraints = {};
  if (f.has('perform_comparison')) d.performComparison = f.oneOf('perform_comparison', toggles);
  const threshold = f.optionalNumber('comparison_threshold', { min: 0 });
  if (threshold !== undefined) d.comparisonThreshold = threshold;
  if (f.has('comparison_method')) {
    d.comparisonMethod = f.oneOf('comparison_method', comparisonMethods, {
      linf_simple: 'Simple',
      linf_robust: 'Robust',
    });
  }
  const categorical = f.optionalNumber('categorical_comparison_threshold', { min: 0 });
  if (categorical !== undefined) d.categoricalComparisonThreshold = categorical;
  if (f.has('categorical_drift_method')) {
    d.categoricalDriftMethod = f.oneOf('categorical_drift_method', categoricalDriftMethods);
  }
  return keep(d, f);
}

/** constraints.json text in SageMaker's layout. */
export function writeConstraints(constraints: Constraints): string {
  return renderJson(
    withExtra(
      {
        version: new Double(constraints.version),
        features: constraints.features.map(featureOut),
        monitoring_config: constraints.monitoringConfig && configOut(constraints.monitoringConfig),
      },
      constraints.extra,
    ),
  );
}

function featureOut(f: FeatureConstraints): OutValue {
  const num = f.numConstraints;
  const str = f.stringConstraints;
  return withExtra(
    {
      name: f.name,
      inferred_type: f.inferredType,
      completeness: new Double(f.completeness),
      num_constraints: num && withExtra({ is_non_negative: num.isNonNegative }, num.extra),
      string_constraints:
        str &&
        withExtra(
          {
            domains: str.domains,
            monitoring_config_overrides: str.monitoringConfigOverrides && configOut(str.monitoringConfigOverrides),
          },
          str.extra,
        ),
      monitoringConfigOverrides: f.monitoringConfigOverrides && configOut(f.monitoringConfigOverrides),
    },
    f.extra,
  );
}

function configOut(c: MonitoringConfig): OutValue {
  const d = c.distributionConstraints;
  return withExtra(
    {
      evaluate_constraints: c.evaluateConstraints,
      emit_metrics: c.emitMetrics,
      datatype_check_threshold: double(c.datatypeCheckThreshold),
      domain_content_threshold: double(c.domainContentThreshold),
      distribution_constraints:
        d &&
        withExtra(
          {
            perform_comparison: d.performComparison,
            comparison_threshold: double(d.comparisonThreshold),
            comparison_method: d.comparisonMethod,
            categorical_comparison_threshold: double(d.categoricalComparisonThreshold),
            categorical_drift_method: d.categoricalDriftMethod,
          },
          d.extra,
        ),
    },
    c.extra,
  );
}
