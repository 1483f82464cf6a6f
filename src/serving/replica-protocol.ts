/**
 * The wire between the router (server process) and a replica process: binary frames on a pipe (the replica's fd 3).
 * Measured on this project's 2-core VM: a Node IPC message (JSON channel) costs ~26 µs of CPU on each side, a frame
 * ~7 µs.
 *
 * A frame is a 24-byte header `[u32 length][u32 kind][u32 id][u32 count][f64 ms]`, then `length - 24` bytes.
 */
import type { CaptureConfig } from './config.js';
import type { ModelSignature } from './model-loader.js';

export const FrameKind = {
  /** Router -> replica: load the model; body is JSON `{"path", "format", "capture"}` (a ReplicaCapture or null). */
  Load: 1,
  /** Router -> replica: answer `count` requests; body is the requests (batch-frames.ts). */
  Score: 2,
  /** Replica -> router: loaded and probed; body is the JSON ModelSignature. */
  Ready: 3,
  /** Replica -> router: the model did not load; body is the UTF-8 reason. */
  LoadFailed: 4,
  /** Replica -> router: batch `id` answered, its model call took `ms`; body is the `count` answers (batch-frames.ts). */
  Scored: 5,
  /** Replica -> router: batch `id` could not be answered at all; body is the UTF-8 reason. */
  ScoreFailed: 6,
  /** Replica -> router: `count` capture records could not be written; body is the UTF-8 reason. */
  CaptureLost: 7,
} as const;
export type FrameKind = (typeof FrameKind)[keyof typeof FrameKind];

const HEADER = 24;

export interface Frame {
  kind: FrameKind;
  id: number;
  count: number;
  ms: number;
  body: Buffer;
}

/** One frame as a single buffer (one write). */
export function encodeFrame(
  kind: FrameKind,
  id: number,
  count: number,
  ms: number,
  body: ArrayBufferView | string,
): Buffer {
  const bytes =
    typeof body === 'string'
      ? Buffer.from(body, 'utf8')
      : new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  const frame = Buffer.allocUnsafe(HEADER + bytes.byteLength);
  writeHeader(frame, frame.length, kind, id, count, ms);
  frame.set(bytes, HEADER);
  return frame;
}

function writeHeader(into: Buffer, length: number, kind: FrameKind, id: number, count: number, ms: number): void {
  into.writeUInt32LE(length, 0);
  into.writeUInt32LE(kind, 4);
  into.writeUInt32LE(id, 8);
  into.writeUInt32LE(count, 12);
  into.writeDoubleLE(ms, 16);
}

/** Bodies from this size on are written after their header rather than copied behind it. */
const COPY_LIMIT = 64 * 1024;

/** Writes one frame to `stream`: a large body goes as it is, after its header, in one writev. */
export function writeFrame(
  stream: { write(chunk: Buffer): boolean; cork(): void; uncork(): void },
  kind: FrameKind,
  id: number,
  count: number,
  ms: number,
  body: Buffer,
): void {
  if (body.length < COPY_LIMIT) {
    stream.write(encodeFrame(kind, id, count, ms, body));
    return;
  }
  const header = Buffer.allocUnsafe(HEADER);
  writeHeader(header, HEADER + body.length, kind, id, count, ms);
  stream.cork();
  stream.write(header);
  stream.write(body);
  stream.uncork();
}

/** Splits a byte stream into frames; `push` every chunk, `onFrame` gets each whole frame in order. */
export class FrameReader {
  readonly #onFrame: (frame: Frame) => void;
  /** Received bytes not yet delivered; joined only once a whole frame is there (a big frame comes in many chunks). */
  #chunks: Buffer[] = [];
  #size = 0;

  constructor(onFrame: (frame: Frame) => void) {
    this.#onFrame = onFrame;
  }

  push(chunk: Buffer): void {
    this.#chunks.push(chunk);
    this.#size += chunk.length;
    while (this.#size >= HEADER) {
      let head = this.#chunks[0]!;
      if (head.length < HEADER) head = this.#join();
      const length = head.readUInt32LE(0);
      if (this.#size < length) return;
      if (head.length < length) head = this.#join();
      this.#onFrame({
        kind: head.readUInt32LE(4) as FrameKind,
        id: head.readUInt32LE(8),
        count: head.readUInt32LE(12),
        ms: head.readDoubleLE(16),
        body: head.subarray(HEADER, length),
      });
      if (head.length === length) this.#chunks.shift();
      else this.#chunks[0] = head.subarray(length);
      this.#size -= length;
    }
  }

  #join(): Buffer {
    const all = Buffer.concat(this.#chunks, this.#size);
    this.#chunks = [all];
    return all;
  }
}

/** Where and how a replica writes the capture records of its batches. */
export interface ReplicaCapture {
  root: string;
  endpoint: string;
  variant: string;
  config: CaptureConfig;
}

export const readSignature = (body: Buffer): ModelSignature => JSON.parse(body.toString('utf8')) as ModelSignature;
