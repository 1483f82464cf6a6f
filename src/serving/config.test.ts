import { describe, expect, it } from 'vitest';
import { CAPTURE_OFF, InvalidEndpointConfig, parseEndpointConfig, singleModelConfig } from './config.js';

const parse = (value: unknown) => parseEndpointConfig(value, 'canary.json');

describe('endpoint config', () => {
  it('fills defaults: weight 1, one replica, capture off, AllTraffic for a lone unnamed variant', () => {
    expect(parse({ variants: [{ model: 'churn:3' }] })).toEqual({
      variants: [{ name: 'AllTraffic', model: 'churn:3', weight: 1, replicas: 1 }],
      capture: CAPTURE_OFF,
    });
    expect(singleModelConfig('m.json', 2, 20)).toEqual({
      variants: [{ name: 'AllTraffic', model: 'm.json', weight: 1, replicas: 2 }],
      capture: { enabled: true, samplingPercentage: 20, captureInput: true, captureOutput: true },
    });
  });

  it('keeps several variants with their weights, replicas and capture options', () => {
    const config = parse({
      variants: [
        { name: 'blue', model: 'a.json', weight: 0.9, replicas: 3 },
        { name: 'green', model: 'b.json', weight: 0.1 },
      ],
      capture: { samplingPercentage: 5, captureOutput: false },
    });
    expect(config.variants.map((v) => [v.name, v.weight, v.replicas])).toEqual([
      ['blue', 0.9, 3],
      ['green', 0.1, 1],
    ]);
    expect(config.capture).toEqual({ enabled: true, samplingPercentage: 5, captureInput: true, captureOutput: false });
  });

  it('names the file, the field, what was expected and what was found', () => {
    const cases: [unknown, string][] = [
      [[], 'canary.json: the config must be an object with "variants" (got [])'],
      [{ variants: [] }, 'canary.json: variants must be a non-empty array (got [])'],
      [{ variants: [{ model: 'a' }, { model: 'b' }] }, 'canary.json: variants[0].name must be 1-63 letters'],
      [{ variants: [{ name: 'a b', model: 'a' }] }, 'variants[0].name must be 1-63 letters, digits or "-"'],
      [
        {
          variants: [
            { name: 'a', model: 'x' },
            { name: 'a', model: 'y' },
          ],
        },
        'variants[1].name must be unique',
      ],
      [
        { variants: [{ name: 'a', model: '' }] },
        'variants[0].model must be a model file path or "group:version" (got "")',
      ],
      [{ variants: [{ name: 'a', model: 'x', weight: -1 }] }, 'variants[0].weight must be a number between 0 and'],
      [
        { variants: [{ name: 'a', model: 'x', replicas: 1.5 }] },
        'variants[0].replicas must be an integer between 1 and 32',
      ],
      [{ variants: [{ name: 'a', model: 'x', weight: 0 }] }, 'variants[*].weight must be above 0 for some variant'],
      [
        { variants: [{ model: 'x' }], capture: { samplingPercentage: 101 } },
        'capture.samplingPercentage must be a number',
      ],
      [
        { variants: [{ model: 'x' }], capture: { captureInput: false, captureOutput: false } },
        'capture must be capturing',
      ],
    ];
    for (const [value, message] of cases) {
      expect(() => parse(value)).toThrow(InvalidEndpointConfig);
      expect(() => parse(value)).toThrow(message);
    }
  });
});
