/**
 * The messages between the router (server process) and a replica process, over the fork IPC channel with JSON
 * serialisation. Rows and predictions travel as base64 of their typed-array bytes: one string per batch is far
 * cheaper to serialise than an array of numbers, and it keeps every float32 bit exactly.
 */
import type { ModelSignature } from './model-loader.js';

/** Router -> replica. */
export type ToReplica =
  /** Load the model; answered once with `ready` or `loadFailed`. */
  | { type: 'load'; path: string; format: string }
  /** Score `nRows` rows (Float32, row-major); answered with `scored` or `scoreFailed`. */
  | { type: 'score'; id: number; nRows: number; rows: string };

/** Replica -> router. */
export type FromReplica =
  | { type: 'ready'; signature: ModelSignature }
  | { type: 'loadFailed'; message: string }
  /** Float64 predictions, `outputs` per row; `ms` is the time spent scoring (the model latency). */
  | { type: 'scored'; id: number; values: string; ms: number }
  | { type: 'scoreFailed'; id: number; message: string };

/** The typed array's bytes as base64. */
export function encodeArray(values: Float32Array | Float64Array): string {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64');
}

/** Decodes base64 bytes into a new typed array (copied: a decoded Buffer may sit unaligned in Node's pool). */
export function decodeFloat32(text: string): Float32Array {
  const bytes = Buffer.from(text, 'base64');
  const out = new Float32Array(bytes.length >> 2);
  new Uint8Array(out.buffer).set(bytes.subarray(0, out.length << 2));
  return out;
}

export function decodeFloat64(text: string): Float64Array {
  const bytes = Buffer.from(text, 'base64');
  const out = new Float64Array(bytes.length >> 3);
  new Uint8Array(out.buffer).set(bytes.subarray(0, out.length << 3));
  return out;
}
