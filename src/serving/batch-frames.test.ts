import { describe, expect, it } from 'vitest';
import { type BatchRequest, decodeAnswers, decodeRequests, encodeAnswers, encodeRequests } from './batch-frames.js';

describe('batch frames', () => {
  it('carry requests with their format, part, capture details and exact body bytes', () => {
    const requests: BatchRequest[] = [
      { format: 'csv', body: Buffer.from('1,2,3\n'), part: null, capture: null },
      {
        format: 'json',
        body: Buffer.from('{"instances":[[1,2,3]]}'),
        part: null,
        capture: { contentType: 'application/json; charset=utf-8', inferenceId: 'req-é7' },
      },
      { format: 'csv', body: Buffer.from('4,5,6\n'), part: { firstLine: 5001 }, capture: null },
      {
        format: 'csv',
        body: Buffer.alloc(0),
        part: null,
        capture: { contentType: 'text/csv', inferenceId: undefined },
      },
    ];
    const decoded = decodeRequests(encodeRequests(requests));
    expect(decoded.map((r) => ({ ...r, body: Buffer.from(r.body).toString() }))).toEqual(
      requests.map((r) => ({ ...r, body: Buffer.from(r.body).toString() })),
    );
  });

  it('carry answers in order with their status and UTF-8 bodies', () => {
    const answers = [
      { status: 200, text: '0.25\n0.5\n' },
      { status: 400, text: '{"error":"BadRequest","message":"line 2: \\"ü\\" is not a number"}' },
      { status: 200, text: '' },
    ];
    const decoded = decodeAnswers(encodeAnswers(answers), answers.length);
    expect(decoded.map((a) => ({ status: a.status, text: a.body }))).toEqual(answers);
    const big = decodeAnswers(encodeAnswers([{ status: 200, text: '0.5\n'.repeat(10_000) }]), 1)[0]!;
    expect(Buffer.isBuffer(big.body) && big.body.toString() === '0.5\n'.repeat(10_000)).toBe(true);
  });
});
