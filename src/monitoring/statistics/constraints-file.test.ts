// biome-ignore lint/correctness/noNodejsModules: the test reads its fixture files; the module itself stays pure.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readConstraints, writeConstraints } from './constraints-file.js';
import { effectiveMonitoringConfig, generatedMonitoringConfig } from './monitoring-config.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');

describe('reading constraints.json', () => {
  it("reads the reference's example", () => {
    const c = readConstraints(fixture('reference-constraints.json'));
    expect(c.features).toEqual([
      { name: 'day_mins', inferredType: 'Fractional', completeness: 1, numConstraints: { isNonNegative: true } },
      {
        name: 'plan',
        inferredType: 'String',
        completeness: 1,
        stringConstraints: { domains: ['basic', 'plus', 'pro'] },
      },
    ]);
    expect(c.monitoringConfig?.distributionConstraints).toEqual({
      performComparison: 'Enabled',
      comparisonThreshold: 0.1,
      comparisonMethod: 'Robust',
      categoricalComparisonThreshold: 0.1,
      categoricalDriftMethod: 'LInfinity',
    });
  });

  it('reads overrides in both forms, the docs spelling of comparison methods, and keeps unknown keys', () => {
    const c = readConstraints(fixture('constraints-overrides.json'));
    const [account, plan] = c.features;
    expect(account?.monitoringConfigOverrides).toEqual({
      datatypeCheckThreshold: 0.5,
      distributionConstraints: { comparisonThreshold: 0.3 },
    });
    expect(plan?.stringConstraints?.monitoringConfigOverrides).toEqual({
      domainContentThreshold: 0.9,
      distributionConstraints: { comparisonMethod: 'Robust', categoricalDriftMethod: 'ChiSquared' },
    });
    expect(plan?.extra).toEqual({ owner: 'growth-team' });
    expect(c.monitoringConfig?.distributionConstraints).toEqual({
      comparisonMethod: 'Simple',
      comparisonThreshold: 0.2,
      extra: { enable_comparisons: true },
    });
  });

  it("resolves each feature's settings: file, then string_constraints overrides, then the feature-level form, then defaults", () => {
    const c = readConstraints(fixture('constraints-overrides.json'));
    expect(effectiveMonitoringConfig(c, 'account_length')).toEqual({
      evaluateConstraints: 'Enabled',
      emitMetrics: 'Disabled',
      datatypeCheckThreshold: 0.5,
      domainContentThreshold: 0.1,
      performComparison: 'Enabled',
      comparisonThreshold: 0.3,
      comparisonMethod: 'Simple',
      categoricalComparisonThreshold: 0.3,
      categoricalDriftMethod: 'LInfinity',
    });
    expect(effectiveMonitoringConfig(c, 'plan')).toMatchObject({
      domainContentThreshold: 0.9,
      comparisonThreshold: 0.2,
      comparisonMethod: 'Robust',
      categoricalDriftMethod: 'ChiSquared',
    });
  });

  it('reads back what it writes (Simple/Robust spelling, unknown keys kept) and writes the same bytes again', () => {
    const c = readConstraints(fixture('constraints-overrides.json'));
    const text = writeConstraints(c);
    expect(text).toContain('"comparison_method" : "Simple"');
    expect(text).toContain('"enable_comparisons" : true');
    expect(text).toContain('"monitoring_config_overrides" : {');
    expect(text).toContain('"monitoringConfigOverrides" : {');
    expect(readConstraints(text)).toEqual(c);
    expect(writeConstraints(readConstraints(text))).toBe(text);
  });

  it('writes the generated monitoring_config with thresholds as doubles', () => {
    const text = writeConstraints({
      version: 0,
      features: [{ name: '_c0', inferredType: 'String', completeness: 1 }],
      monitoringConfig: generatedMonitoringConfig(),
    });
    expect(text).toBe(
      [
        '{',
        '  "version" : 0.0,',
        '  "features" : [ {',
        '    "name" : "_c0",',
        '    "inferred_type" : "String",',
        '    "completeness" : 1.0',
        '  } ],',
        '  "monitoring_config" : {',
        '    "evaluate_constraints" : "Enabled",',
        '    "emit_metrics" : "Enabled",',
        '    "datatype_check_threshold" : 1.0,',
        '    "domain_content_threshold" : 1.0,',
        '    "distribution_constraints" : {',
        '      "perform_comparison" : "Enabled",',
        '      "comparison_threshold" : 0.1,',
        '      "comparison_method" : "Robust"',
        '    }',
        '  }',
        '}',
      ].join('\n'),
    );
  });

  it.each([
    [
      '{"version": 0, "features": [{"name": "a", "inferred_type": "String"}]}',
      'features[0].completeness must be a number from 0 to 1 (got nothing)',
    ],
    [
      '{"version": 0, "features": [{"name": "a", "inferred_type": "String", "completeness": 1.5}]}',
      'features[0].completeness must be a number from 0 to 1 (got 1.5)',
    ],
    [
      '{"version": 0, "features": [{"name": "a", "inferred_type": "Integral", "completeness": 1, "num_constraints": {"is_non_negative": "yes"}}]}',
      'features[0].num_constraints.is_non_negative must be true or false (got "yes")',
    ],
    [
      '{"version": 0, "features": [{"name": "a", "inferred_type": "String", "completeness": 1, "string_constraints": {"domains": ["x", 3]}}]}',
      'features[0].string_constraints.domains[1] must be a string (got 3)',
    ],
    [
      '{"version": 0, "features": [], "monitoring_config": {"distribution_constraints": {"comparison_method": "KS"}}}',
      'monitoring_config.distribution_constraints.comparison_method must be one of "Simple", "Robust" (got "KS")',
    ],
    [
      '{"version": 0, "features": [], "monitoring_config": {"evaluate_constraints": "enabled"}}',
      'monitoring_config.evaluate_constraints must be one of "Enabled", "Disabled" (got "enabled")',
    ],
    [
      '{"version": 0, "features": [{"name": "a", "inferred_type": "String", "completeness": 1, "monitoringConfigOverrides": {"datatype_check_threshold": -1}}]}',
      'features[0].monitoringConfigOverrides.datatype_check_threshold must be a number from 0 to 1 (got -1)',
    ],
  ])('rejects a malformed file naming the key path: %s', (text, message) => {
    expect(() => readConstraints(text, 'baseline/constraints.json')).toThrow(`baseline/constraints.json: ${message}`);
  });
});
