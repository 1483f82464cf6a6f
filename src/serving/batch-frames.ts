/**
 * What travels in a batch between the router and a replica (the bodies of `Score` and `Scored` frames). The router
 * forwards each invocation's body as it came, so parsing, scoring, formatting the answer and writing the capture
 * record all happen in the replica: off the single router thread, and for a large request split across replicas, in
 * parallel.
 *
 * A request: `[u32 body bytes][u32 first line][u8 format][u8 flags][u16 type bytes][u16 id bytes][u16 0]`, then the
 * Content-Type (sent only when captured), the inference id and the body. An answer: `[u16 status][u16 0][u32 bytes]`,
 * then the response body.
 */
import type { BodyFormat } from './request-rows.js';

/** A sampled invocation's request details, for its capture record. */
export interface CaptureRequest {
  /** The Content-Type as sent. */
  contentType: string;
  inferenceId: string | undefined;
}

/** One invocation's body as a replica gets it. */
export interface BatchRequest {
  format: BodyFormat;
  body: Uint8Array;
  /** For a part of a request split across replicas: the line its first row is on (1-based); else null. */
  part: { firstLine: number } | null;
  /** Set when the replica writes this invocation's capture record. */
  capture: CaptureRequest | null;
}

/**
 * A replica's answer to one request: the HTTP status and the response body (predictions, or the error JSON). A small
 * body comes as a string: Node writes it in one piece with the headers (measured 0.8 µs a response less than a Buffer).
 */
export interface BatchAnswer {
  status: number;
  body: string | Buffer;
}

/** Bodies up to this size are decoded to strings. */
const STRING_BODY_BYTES = 16 * 1024;

const REQUEST_HEADER = 16;
const ANSWER_HEADER = 8;
const CAPTURE = 1;
const INFERENCE_ID = 2;
const PART = 4;

export function encodeRequests(requests: readonly BatchRequest[]): Buffer {
  let size = 0;
  for (const r of requests) {
    size += REQUEST_HEADER + r.body.length;
    if (r.capture !== null) {
      size += Buffer.byteLength(r.capture.contentType) + Buffer.byteLength(r.capture.inferenceId ?? '');
    }
  }
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (const r of requests) {
    const start = at;
    at += REQUEST_HEADER;
    let typeBytes = 0;
    let idBytes = 0;
    let flags = r.part === null ? 0 : PART;
    if (r.capture !== null) {
      flags |= CAPTURE;
      typeBytes = out.write(r.capture.contentType, at, 'utf8');
      at += typeBytes;
      if (r.capture.inferenceId !== undefined) {
        flags |= INFERENCE_ID;
        idBytes = out.write(r.capture.inferenceId, at, 'utf8');
        at += idBytes;
      }
    }
    out.writeUInt32LE(r.body.length, start);
    out.writeUInt32LE(r.part?.firstLine ?? 1, start + 4);
    out[start + 8] = r.format === 'csv' ? 0 : 1;
    out[start + 9] = flags;
    out.writeUInt16LE(typeBytes, start + 10);
    out.writeUInt16LE(idBytes, start + 12);
    out.writeUInt16LE(0, start + 14);
    out.set(r.body, at);
    at += r.body.length;
  }
  return out;
}

export function decodeRequests(bytes: Buffer): BatchRequest[] {
  const requests: BatchRequest[] = [];
  for (let at = 0; at + REQUEST_HEADER <= bytes.length; ) {
    const bodyBytes = bytes.readUInt32LE(at);
    const firstLine = bytes.readUInt32LE(at + 4);
    const flags = bytes[at + 9]!;
    const type = at + REQUEST_HEADER;
    const id = type + bytes.readUInt16LE(at + 10);
    const body = id + bytes.readUInt16LE(at + 12);
    requests.push({
      format: bytes[at + 8] === 0 ? 'csv' : 'json',
      body: bytes.subarray(body, body + bodyBytes),
      part: flags & PART ? { firstLine } : null,
      capture:
        flags & CAPTURE
          ? {
              contentType: bytes.toString('utf8', type, id),
              inferenceId: flags & INFERENCE_ID ? bytes.toString('utf8', id, body) : undefined,
            }
          : null,
    });
    at = body + bodyBytes;
  }
  return requests;
}

/** Answers in request order; `text` is each response body. */
export function encodeAnswers(answers: readonly { status: number; text: string }[]): Buffer {
  let size = 0;
  for (const a of answers) size += ANSWER_HEADER + Buffer.byteLength(a.text);
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (const a of answers) {
    const bytes = out.write(a.text, at + ANSWER_HEADER, 'utf8');
    out.writeUInt16LE(a.status, at);
    out.writeUInt16LE(0, at + 2);
    out.writeUInt32LE(bytes, at + 4);
    at += ANSWER_HEADER + bytes;
  }
  return out;
}

export function decodeAnswers(bytes: Buffer, count: number): BatchAnswer[] {
  const answers = new Array<BatchAnswer>(count);
  let at = 0;
  for (let i = 0; i < count; i++) {
    const length = bytes.readUInt32LE(at + 4);
    const start = at + ANSWER_HEADER;
    const body =
      length <= STRING_BODY_BYTES
        ? bytes.toString('utf8', start, start + length)
        : bytes.subarray(start, start + length);
    answers[i] = { status: bytes.readUInt16LE(at), body };
    at += ANSWER_HEADER + length;
  }
  return answers;
}
