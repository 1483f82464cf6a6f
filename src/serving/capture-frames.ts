/**
 * Capture requests as they travel with a batch to a replica, which writes the capture records itself: the router
 * only copies each sampled request's bytes into the frame, and the JSON work of a record (measured ~5 µs a request
 * on the single router thread) happens in the replica, before it answers, so still before the response is sent.
 *
 * Each entry: `[u32 first row][u32 rows][u8 format][u8 0][u16 type bytes][u16 id bytes][u16 0][u32 body bytes]`,
 * then the content type, the inference id and the body.
 */
import type { BodyFormat } from './request-rows.js';

/** A sampled invocation: what the caller sent, to be captured with the answer. */
export interface CaptureRequest {
  format: BodyFormat;
  /** The Content-Type as sent. */
  contentType: string;
  inferenceId: string | undefined;
  body: Uint8Array;
}

export interface CaptureEntry {
  /** The invocation's first row within the batch, and its row count. */
  first: number;
  rows: number;
  request: CaptureRequest;
}

const ENTRY_HEADER = 20;

export function encodeCaptures(entries: CaptureEntry[]): Buffer {
  const parts = entries.map((e) => ({
    e,
    type: Buffer.from(e.request.contentType, 'utf8'),
    id: Buffer.from(e.request.inferenceId ?? '', 'utf8'),
  }));
  const size = parts.reduce((sum, p) => sum + ENTRY_HEADER + p.type.length + p.id.length + p.e.request.body.length, 0);
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (const { e, type, id } of parts) {
    out.writeUInt32LE(e.first, at);
    out.writeUInt32LE(e.rows, at + 4);
    out.writeUInt8(e.request.format === 'csv' ? 0 : 1, at + 8);
    out.writeUInt8(e.request.inferenceId === undefined ? 0 : 1, at + 9);
    out.writeUInt16LE(type.length, at + 10);
    out.writeUInt16LE(id.length, at + 12);
    out.writeUInt16LE(0, at + 14);
    out.writeUInt32LE(e.request.body.length, at + 16);
    at += ENTRY_HEADER;
    for (const bytes of [type, id, e.request.body]) {
      out.set(bytes, at);
      at += bytes.length;
    }
  }
  return out;
}

export function decodeCaptures(bytes: Buffer): CaptureEntry[] {
  const entries: CaptureEntry[] = [];
  for (let at = 0; at + ENTRY_HEADER <= bytes.length; ) {
    const typeLength = bytes.readUInt16LE(at + 10);
    const idLength = bytes.readUInt16LE(at + 12);
    const bodyLength = bytes.readUInt32LE(at + 16);
    const type = at + ENTRY_HEADER;
    const id = type + typeLength;
    const body = id + idLength;
    entries.push({
      first: bytes.readUInt32LE(at),
      rows: bytes.readUInt32LE(at + 4),
      request: {
        format: bytes[at + 8] === 0 ? 'csv' : 'json',
        contentType: bytes.toString('utf8', type, id),
        inferenceId: bytes[at + 9] === 1 ? bytes.toString('utf8', id, body) : undefined,
        body: bytes.subarray(body, body + bodyLength),
      },
    });
    at = body + bodyLength;
  }
  return entries;
}
