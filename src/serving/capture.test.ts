import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CaptureStream } from './capture.js';
import { CAPTURE_OFF } from './config.js';

const folders: string[] = [];
afterEach(() => {
  for (const f of folders.splice(0)) rmSync(f, { recursive: true, force: true });
});

function stream(percent: number, clock: { now: number }, sides: Partial<typeof CAPTURE_OFF> = {}) {
  const root = mkdtempSync(join(tmpdir(), 'flywheel-capture-'));
  folders.push(root);
  const errors: number[] = [];
  const capture = new CaptureStream({
    root,
    endpoint: 'churn',
    variant: 'AllTraffic',
    config: { ...CAPTURE_OFF, enabled: true, samplingPercentage: percent, ...sides },
    onError: (_e, lost) => errors.push(lost),
    now: () => clock.now,
  });
  return { root, capture, errors };
}

const csv = { contentType: 'text/csv', data: '1,2\n', encoding: 'CSV' as const };
const out = { contentType: 'text/csv; charset=utf-8', data: '0.5\n', encoding: 'CSV' as const };

describe('data capture', () => {
  it('writes JSON Lines in SageMaker capture format into hourly UTC folders, a new file each hour', () => {
    const clock = { now: Date.UTC(2024, 4, 2, 14, 7, 31, 871) };
    const { root, capture } = stream(100, clock);
    capture.add(csv, out, 'req-1');
    capture.flush();
    clock.now = Date.UTC(2024, 4, 2, 15, 0, 0, 5);
    capture.add(csv, out);
    capture.close();
    const hour14 = join(root, 'churn', 'AllTraffic', '2024', '05', '02', '14');
    const [name] = readdirSync(hour14);
    expect(name).toMatch(/^07-31-871-[0-9a-f-]{36}\.jsonl$/);
    const record = JSON.parse(readFileSync(join(hour14, name!), 'utf8'));
    expect(record).toEqual({
      captureData: {
        endpointInput: { observedContentType: 'text/csv', mode: 'INPUT', data: '1,2\n', encoding: 'CSV' },
        endpointOutput: {
          observedContentType: 'text/csv; charset=utf-8',
          mode: 'OUTPUT',
          data: '0.5\n',
          encoding: 'CSV',
        },
      },
      eventMetadata: {
        eventId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        inferenceTime: '2024-05-02T14:07:31Z',
        inferenceId: 'req-1',
      },
      eventVersion: '0',
    });
    expect(readdirSync(join(root, 'churn', 'AllTraffic', '2024', '05', '02', '15'))).toHaveLength(1);
  });

  it('leaves out the side that is not captured', () => {
    const clock = { now: Date.UTC(2024, 0, 1) };
    const { root, capture } = stream(100, clock, { captureInput: false });
    capture.add(csv, out);
    capture.close();
    const folder = join(root, 'churn', 'AllTraffic', '2024', '01', '01', '00');
    const record = JSON.parse(readFileSync(join(folder, readdirSync(folder)[0]!), 'utf8'));
    expect(Object.keys(record.captureData)).toEqual(['endpointOutput']);
  });

  it('samples the configured share: none at 0%, all at 100%, about half at 50%', () => {
    const clock = { now: 0 };
    const none = stream(0, clock).capture;
    const all = stream(100, clock).capture;
    const half = stream(50, clock).capture;
    const sampled = (c: CaptureStream) => Array.from({ length: 4000 }, () => c.sample()).filter(Boolean).length;
    expect(sampled(none)).toBe(0);
    expect(sampled(all)).toBe(4000);
    expect(sampled(half)).toBeGreaterThan(1800);
    expect(sampled(half)).toBeLessThan(2200);
  });

  it('counts records lost to a failed write instead of failing', () => {
    const clock = { now: 0 };
    const { capture, errors, root } = stream(100, clock);
    rmSync(root, { recursive: true });
    // A file where the folder tree should go: creating it fails.
    writeFileSync(root, 'not a folder');
    capture.add(csv, out);
    capture.add(csv, out);
    capture.flush();
    expect(errors).toEqual([2]);
  });
});
