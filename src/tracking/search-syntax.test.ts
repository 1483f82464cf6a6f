import { describe, expect, it } from 'vitest';
import { parseRunFilter, parseRunOrder } from './search-syntax.js';

describe('run search language', () => {
  it('parses params, tags, metrics and attributes joined with AND', () => {
    expect(
      parseRunFilter(
        "params.max_depth = '6' and metrics.auc > 0.8 AND tags.stage != \"prod\" and status = 'FINISHED' and metric.loss <= -1e-3",
      ),
    ).toEqual([
      { on: 'param', key: 'max_depth', op: '=', value: '6' },
      { on: 'metric', key: 'auc', op: '>', value: 0.8 },
      { on: 'tag', key: 'stage', op: '!=', value: 'prod' },
      { on: 'attribute', key: 'status', op: '=', value: 'FINISHED' },
      { on: 'metric', key: 'loss', op: '<=', value: -0.001 },
    ]);
    expect(parseRunFilter('')).toEqual([]);
    expect(parseRunFilter("params.`odd key` = 'it''s'")).toEqual([
      { on: 'param', key: 'odd key', op: '=', value: "it's" },
    ]);
    expect(parseRunFilter('params.depth=6')).toEqual([{ on: 'param', key: 'depth', op: '=', value: '6' }]);
  });

  it('names the position and what was expected when the filter is wrong', () => {
    expect(() => parseRunFilter("metrics.auc > 'high'")).toThrow(/metrics.auc compares with a number/);
    expect(() => parseRunFilter("params.a > '1'")).toThrow(/params.a takes = or != only/);
    expect(() => parseRunFilter("params.a = '1' or params.b = '2'")).toThrow(/joined with AND \(found "or"\)/);
    expect(() => parseRunFilter('params.a =')).toThrow(/expected a value .* but found the end/);
    expect(() => parseRunFilter("params.a = 'open")).toThrow(/unterminated single-quoted text/);
    expect(() => parseRunFilter("colour = 'red'")).toThrow(/unknown field "colour" at position 1/);
  });

  it('parses an ordering by a metric or the start time', () => {
    expect(parseRunOrder('metrics.auc DESC')).toEqual({ by: 'metric', key: 'auc', descending: true });
    expect(parseRunOrder('metrics.`validation-logloss`')).toEqual({
      by: 'metric',
      key: 'validation-logloss',
      descending: false,
    });
    expect(parseRunOrder('startedAt desc')).toEqual({ by: 'startedAt', descending: true });
    expect(() => parseRunOrder('params.depth')).toThrow(/order by a metric or startedAt/);
    expect(() => parseRunOrder('metrics.auc sideways')).toThrow(/must be "metrics.<key> \[ASC\|DESC\]"/);
  });
});
