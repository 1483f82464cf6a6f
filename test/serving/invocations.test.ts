import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { file, firstValue, type Host, MODEL_A, MODEL_B, serving, startHost, testRows } from './support.js';

let host: Host;
const { rows, a, b } = testRows(20);

beforeAll(async () => {
  host = await startHost();
  const config = (capture: unknown) => ({ variants: [{ name: 'main', model: MODEL_A }], capture });
  await host.service.create('churn', serving.parseEndpointConfig(config(undefined), 'test'));
  await host.service.create('captured', serving.parseEndpointConfig(config({ samplingPercentage: 100 }), 'test'));
  await host.service.create('unsampled', serving.parseEndpointConfig(config({ samplingPercentage: 0 }), 'test'));
  const split = {
    variants: [
      { name: 'A', model: MODEL_A, weight: 3 },
      { name: 'B', model: 'b.json', weight: 1 },
    ],
  };
  file(host, 'b.json', readFileSync(MODEL_B, 'utf8'));
  await host.service.create('split', serving.parseEndpointConfig(split, 'test'));
  const pair = { variants: [{ name: 'main', model: MODEL_A, replicas: 2 }], capture: { samplingPercentage: 100 } };
  await host.service.create('pair', serving.parseEndpointConfig(pair, 'test'));
  for (const name of ['churn', 'captured', 'unsampled', 'split', 'pair']) {
    expect((await host.service.waitUntilSettled(name, 20_000)).status).toBe('InService');
  }
});

afterAll(async () => {
  await host?.close();
});

const close = (values: number[], expected: number[]): void => {
  for (const [i, v] of values.entries()) expect(Math.abs(v - expected[i]!)).toBeLessThan(1e-6);
};

describe('invocations', () => {
  it('answers CSV with one prediction per line, as XGBoost predicts, naming the variant', async () => {
    const one = await host.invoke('churn', rows[0]!);
    expect(one.status).toBe(200);
    expect(one.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(one.headers.get('x-flywheel-invoked-variant')).toBe('main');
    expect(one.headers.get('x-amzn-invoked-production-variant')).toBe('main');
    close([await firstValue(one)], a);
    const many = await host.invoke('churn', `${rows.join('\r\n')}\n`);
    const lines = (await many.text()).trimEnd().split('\n').map(Number);
    expect(lines).toHaveLength(20);
    close(lines, a);
  });

  it('splits a large CSV request across replicas: same answer, line numbers of the whole body, one capture record', async () => {
    const all = testRows(666);
    const body = `${all.rows.join('\n')}\n`;
    expect(body.length).toBeGreaterThan(64 * 1024); // the pool splits CSV bodies from 64 KiB on
    const [whole, parts] = await Promise.all([host.invoke('churn', body), host.invoke('pair', body)]);
    const text = await parts.text();
    expect([parts.status, text]).toEqual([200, await whole.text()]);
    close(text.trimEnd().split('\n').map(Number), all.a);
    const bad = all.rows.map((r, i) => (i === 599 ? r.replace(/^[^,]+/, 'oops') : r));
    const refused = await host.invoke('pair', `${bad.join('\n')}\n`);
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { message: string }).message).toMatch(/line 600, column 1 \(f0\): "oops"/);
    const folder = join(host.dir, 'capture', 'pair', 'main');
    const files = readdirSync(folder, { recursive: true, withFileTypes: true }).filter((f) => f.isFile());
    const records = files.flatMap((f) =>
      readFileSync(join(f.parentPath, f.name), 'utf8')
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l)),
    );
    expect(records).toHaveLength(1); // the refused request is not captured
    expect(records[0].captureData.endpointInput.data).toBe(body);
    expect(records[0].captureData.endpointOutput.data).toBe(text);
  });

  it('answers every JSON form with {"predictions": [...]}', async () => {
    const values = rows.slice(0, 3).map((r) => r.split(',').map(Number));
    const names = values[0]!.map((_, k) => `f${k}`);
    const records = values.map((v) => Object.fromEntries(v.map((x, k) => [`f${k}`, x])));
    const order = [...names.keys()].reverse();
    const bodies = [
      { instances: values },
      { dataframe_split: { columns: order.map((k) => names[k]), data: values.map((v) => order.map((k) => v[k])) } },
      { dataframe_records: records },
      { instances: records },
      records,
    ];
    for (const body of bodies) {
      const response = await host.invoke('churn', JSON.stringify(body), 'application/json; charset=utf-8');
      expect(response.status, JSON.stringify(body).slice(0, 80)).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/json');
      const { predictions } = (await response.json()) as { predictions: number[] };
      close(predictions, a.slice(0, 3));
    }
    const missing = await host.invoke(
      'churn',
      JSON.stringify({ instances: [values[0]!.map(() => null)] }),
      'application/json',
    );
    expect(missing.status).toBe(200);
  });

  it('refuses every client mistake with a 4xx and a reason, never a 5xx', async () => {
    const cases: [string, string, string | undefined, number, RegExp][] = [
      ['churn', '1,2,3', 'text/csv', 400, /3 values but the model expects 19 features \(f0, f1/],
      ['churn', `${rows[0]}\n1,2`, 'text/csv', 400, /line 2 has 2 values/],
      ['churn', rows[0]!.replace(/^[^,]+/, 'abc'), 'text/csv', 400, /line 1, column 1 \(f0\): "abc" is not a number/],
      ['churn', '', 'text/csv', 400, /empty/],
      ['churn', '\n\n', 'text/csv', 400, /no rows/],
      ['churn', 'x'.repeat(300_000), 'text/csv', 413, /larger than 262144 bytes/],
      ['churn', rows[0]!, 'application/x-protobuf', 415, /"application\/x-protobuf" is not supported/],
      ['churn', rows[0]!, undefined, 415, /Content-Type is missing/],
      ['churn', '{"instances": [[1, 2]]}', 'application/json', 400, /instances\[0\] has 2 values/],
      ['churn', '{"instances": [["a"]]}', 'application/json', 400, /instances\[0\] has 1 values/],
      [
        'churn',
        JSON.stringify({ instances: [rows[0]!.split(',').map((v, k) => (k === 4 ? 'x' : Number(v)))] }),
        'application/json',
        400,
        /instances\[0\]\[4\] is "x", not a number/,
      ],
      ['churn', '{"instances": [{"f0": 1, "nope": 2}]}', 'application/json', 400, /"nope", which is not a feature/],
      ['churn', '{"instances": [{"f0": 1}]}', 'application/json', 400, /lacks f1, f2/],
      ['churn', '{"instances": ', 'application/json', 400, /not valid JSON/],
      ['churn', '{"rows": []}', 'application/json', 400, /must be \{"instances"/],
      ['nope', rows[0]!, 'text/csv', 404, /endpoint "nope" does not exist/],
    ];
    for (const [name, body, type, status, message] of cases) {
      const headers: Record<string, string> = type === undefined ? {} : { 'content-type': type };
      // Bytes, not a string: fetch would add "text/plain" to a string body without a type.
      const init = { method: 'POST', headers, body: Buffer.from(body) };
      const response = await fetch(`${host.url}/endpoints/${name}/invocations`, init);
      const answer = (await response.json()) as { error: string; message: string };
      expect([response.status, answer.message], `${body.slice(0, 40)} (${type})`).toEqual([
        status,
        expect.stringMatching(message),
      ]);
    }
    const wrongMethod = await fetch(`${host.url}/endpoints/churn/invocations`);
    expect(wrongMethod.status).toBe(405);
    const windows = host.service.windows('churn').find((w) => w.variant === 'main')!;
    expect(windows.lastMinute.errors4xx).toBeGreaterThanOrEqual(13);
    expect(windows.lastMinute.errors5xx).toBe(0);
  });

  it('picks the variant the target header names, else follows the weights', async () => {
    for (const [header, variant, expected] of [
      ['x-flywheel-target-variant', 'B', b[0]],
      ['x-amzn-sagemaker-target-variant', 'A', a[0]],
    ] as const) {
      const response = await host.invoke('split', rows[0]!, 'text/csv', { [header]: variant });
      expect(response.headers.get('x-flywheel-invoked-variant')).toBe(variant);
      close([await firstValue(response)], [expected!]);
    }
    const unknown = await host.invoke('split', rows[0]!, 'text/csv', { 'x-flywheel-target-variant': 'C' });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { message: string }).message).toContain('no variant "C" (variants: A, B)');
    const answers = await Promise.all(Array.from({ length: 400 }, () => host.invoke('split', rows[0]!)));
    const shareA = answers.filter((r) => r.headers.get('x-flywheel-invoked-variant') === 'A').length / answers.length;
    expect(shareA).toBeGreaterThan(0.65);
    expect(shareA).toBeLessThan(0.85);
  });

  it('answers ping 200 only for an endpoint that is InService', async () => {
    expect((await fetch(`${host.url}/endpoints/churn/ping`)).status).toBe(200);
    expect((await fetch(`${host.url}/endpoints/nope/ping`)).status).toBe(404);
  });

  it('captures every sampled invocation in SageMaker format under capture/<endpoint>/<variant>/yyyy/mm/dd/hh/', async () => {
    const before = new Date();
    expect((await host.invoke('captured', `${rows[0]}\n${rows[1]}\n`)).status).toBe(200);
    const json = JSON.stringify({ instances: [rows[2]!.split(',').map(Number)] });
    expect(
      (await host.invoke('captured', json, 'application/json', { 'x-amzn-sagemaker-inference-id': 'req-7' })).status,
    ).toBe(200);
    expect((await host.invoke('unsampled', rows[0]!)).status).toBe(200);
    const hour = [before.getUTCFullYear(), before.getUTCMonth() + 1, before.getUTCDate(), before.getUTCHours()]
      .map((n, i) => String(n).padStart(i === 0 ? 4 : 2, '0'))
      .join('/');
    const folder = join(host.dir, 'capture', 'captured', 'main', hour);
    const files = readdirSync(folder);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^\d\d-\d\d-\d\d\d-[0-9a-f-]{36}\.jsonl$/);
    const records = readFileSync(join(folder, files[0]!), 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(records).toHaveLength(2);
    expect(records[0]).toEqual({
      captureData: {
        endpointInput: {
          observedContentType: 'text/csv',
          mode: 'INPUT',
          data: `${rows[0]}\n${rows[1]}\n`,
          encoding: 'CSV',
        },
        endpointOutput: {
          observedContentType: 'text/csv; charset=utf-8',
          mode: 'OUTPUT',
          data: expect.stringMatching(/^0\.02589\d+\n0\.3369\d+\n$/),
          encoding: 'CSV',
        },
      },
      eventMetadata: {
        eventId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        inferenceTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      },
      eventVersion: '0',
    });
    expect(records[1].captureData.endpointInput).toEqual({
      observedContentType: 'application/json',
      mode: 'INPUT',
      data: json,
      encoding: 'JSON',
    });
    expect(records[1].captureData.endpointOutput.data).toMatch(/^\{"predictions":\[0\.24\d+\]\}$/);
    expect(records[1].eventMetadata.inferenceId).toBe('req-7');
    expect(existsSync(join(host.dir, 'capture', 'unsampled'))).toBe(false);
  });

  it('exposes Prometheus text at /metrics with counters and histograms per endpoint and variant', async () => {
    const response = await fetch(`${host.url}/metrics`);
    expect(response.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    const text = await response.text();
    const sample = /^[a-z0-9_]+(\{([a-z_]+="[^"]*",?)*\})? -?[0-9.e+-]+$/;
    for (const line of text.trimEnd().split('\n')) {
      if (!line.startsWith('#')) expect(line).toMatch(sample);
      else expect(line).toMatch(/^# (HELP|TYPE) [a-z0-9_]+ /);
    }
    const value = (series: string) =>
      Number(
        text
          .split('\n')
          .find((l) => l.startsWith(`${series} `))
          ?.split(' ')[1],
      );
    expect(value('flywheel_endpoint_invocations_total{endpoint="churn",variant="main"}')).toBeGreaterThan(15);
    expect(value('flywheel_endpoint_invocation_4xx_errors_total{endpoint="churn",variant="main"}')).toBeGreaterThan(10);
    expect(value('flywheel_endpoint_replicas_up{endpoint="split",variant="B"}')).toBe(1);
    expect(value('flywheel_endpoint_model_latency_seconds_count{endpoint="churn",variant="main"}')).toBeGreaterThan(2);
    expect(text).toContain(
      'flywheel_endpoint_overhead_latency_seconds_bucket{endpoint="churn",variant="main",le="+Inf"}',
    );
    const windows = host.service.windows('split');
    expect(windows.find((w) => w.variant === 'A')?.lastMinute.modelLatencyMs.p50).toBeGreaterThan(0);
  });
});
