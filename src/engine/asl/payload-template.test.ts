import { describe, expect, it } from 'vitest';
import type { IntrinsicEnv } from './intrinsics.js';
import type { Json, JsonObject } from './json.js';
import { applyPayloadTemplate } from './payload-template.js';
import { statesError } from './testing.js';

const env: IntrinsicEnv = {
  random: () => 0.5,
  hash: (algorithm, data) => `${algorithm}:${data}`,
};
const input: Json = {
  order: {
    id: 7,
    items: [
      { sku: 'a', qty: 1 },
      { sku: 'b', qty: 3 },
    ],
  },
  user: 'ana',
};
const context: Json = { Execution: { Id: 'exec-1' }, Map: { Item: { Index: 2 } } };

const apply = (template: JsonObject, data: Json = input): JsonObject =>
  applyPayloadTemplate(template, data, context, env, 'Parameters');

describe('applyPayloadTemplate', () => {
  it('takes .$ fields from input paths, drops the suffix, and copies static fields', () => {
    expect(apply({ 'id.$': '$.order.id', source: 'web', count: 2, on: true, none: null })).toEqual({
      id: 7,
      source: 'web',
      count: 2,
      on: true,
      none: null,
    });
  });

  it('takes $$ paths from the context object', () => {
    expect(apply({ 'execution.$': '$$.Execution.Id', 'index.$': '$$.Map.Item.Index', 'all.$': '$$' })).toEqual({
      execution: 'exec-1',
      index: 2,
      all: context,
    });
  });

  it('takes the whole input with $ and an array of matches with an indefinite path', () => {
    expect(apply({ 'all.$': '$', 'skus.$': '$.order.items[*].sku', 'none.$': '$.order.items[?(@.qty > 5)]' })).toEqual({
      all: input,
      skus: ['a', 'b'],
      none: [],
    });
  });

  it('processes nested objects and objects inside (nested) arrays, as AWS does for ECS overrides', () => {
    const template: JsonObject = {
      Overrides: {
        ContainerOverrides: [
          {
            Name: 'app',
            Environment: [
              { Name: 'USER', 'Value.$': '$.user' },
              { Name: 'FIXED', Value: 'x' },
            ],
          },
        ],
      },
      matrix: [[{ 'id.$': '$.order.id' }], 'text', 3],
    };
    expect(apply(template)).toEqual({
      Overrides: {
        ContainerOverrides: [
          {
            Name: 'app',
            Environment: [
              { Name: 'USER', Value: 'ana' },
              { Name: 'FIXED', Value: 'x' },
            ],
          },
        ],
      },
      matrix: [[{ id: 7 }], 'text', 3],
    });
  });

  it('leaves a $-looking value alone when its key does not end in .$', () => {
    expect(apply({ path: '$.order.id', dollar$: '$.user' })).toEqual({ path: '$.order.id', dollar$: '$.user' });
  });

  it('evaluates intrinsic functions with the input, the context object and the environment', () => {
    expect(apply({ 'greeting.$': "States.Format('Hello {} from {}', $.user, $$.Execution.Id)" })).toEqual({
      greeting: 'Hello ana from exec-1',
    });
    expect(apply({ 'digest.$': "States.Hash('abc', 'SHA-256')" })).toEqual({ digest: 'SHA-256:abc' });
  });

  it('never mutates the template and builds new objects', () => {
    const nested: JsonObject = Object.freeze({ 'a.$': '$.user' });
    const list: Json[] = Object.freeze([1]) as Json[];
    const template: JsonObject = Object.freeze({ nested, list });
    const payload = apply(template);
    expect(payload).toEqual({ nested: { a: 'ana' }, list: [1] });
    expect(payload.nested).not.toBe(nested);
    expect(payload.list).not.toBe(list);
    expect(nested).toEqual({ 'a.$': '$.user' });
  });

  it('keeps a __proto__ key as data', () => {
    const template = JSON.parse('{"__proto__": {"x.$": "$.user"}}') as JsonObject;
    const payload = apply(template);
    expect(Object.getPrototypeOf(payload)).toBe(Object.prototype);
    expect(JSON.stringify(payload)).toBe('{"__proto__":{"x":"ana"}}');
  });

  it("fails with States.Runtime in AWS's words when an input path selects nothing", () => {
    const error = statesError(() => apply({ nested: { 'address.$': '$.application.address' } }, { flagged: false }));
    expect(error.toFailure()).toEqual({
      error: 'States.Runtime',
      cause:
        "The JSONPath '$.application.address' specified for the field 'address.$' could not be found in the input '{\"flagged\":false}'",
    });
  });

  it('names the context object as the input when a $$ path selects nothing', () => {
    const error = statesError(() => apply({ 'token.$': '$$.Task.Token' }));
    expect(error.causeText).toBe(
      `The JSONPath '$$.Task.Token' specified for the field 'token.$' could not be found in the input '${JSON.stringify(context)}'`,
    );
  });

  it('passes intrinsic failures through', () => {
    expect(statesError(() => apply({ 'n.$': 'States.MathAdd($.user, 1)' })).error).toBe('States.IntrinsicFailure');
  });

  it('rejects a .$ value that is not a string, naming the field and the key', () => {
    expect(() => apply({ nested: { 'a.$': 5 } })).toThrow(
      new Error('Parameters.nested.a.$ must be a string holding a JSONPath or an intrinsic function (got 5)'),
    );
  });

  it('rejects a .$ string that is neither a path nor an intrinsic function', () => {
    expect(() => apply({ list: [{ 'a.$': 'order.id' }] })).toThrow(
      /^Parameters\.list\[0\]\.a\.\$ must be a JSONPath \('\$\.\.\.' or '\$\$\.\.\.'\) or an intrinsic function/,
    );
  });

  it('rejects a .$ path with bad syntax', () => {
    expect(() => apply({ 'a.$': '$.[' })).toThrow(/^Invalid JSONPath '\$\.\['/);
  });
});
