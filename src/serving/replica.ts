/**
 * A replica: the process that holds one model and does all the per-row work of an invocation: it parses the bodies
 * the router forwards (a client mistake becomes that request's 4xx answer), scores the batch in one call, formats
 * each response body and writes the capture records (spawned by `Replica.start`, talking over fd 3, see
 * replica-protocol.ts and batch-frames.ts). A model that crashes or leaks takes down this process alone. It exits
 * when the pipe closes: on purpose (drain), or because the server died.
 */
import { Socket } from 'node:net';
import { type BatchRequest, decodeRequests, encodeAnswers } from './batch-frames.js';
import { CaptureStream } from './capture.js';
import { csvLineCount } from './csv-rows.js';
import { errorBody, InvocationError } from './errors.js';
import { type LoadedModel, MODEL_LOADERS } from './model-loader.js';
import { csvPredictions, jsonPredictions } from './predictions.js';
import {
  encodeFrame,
  type Frame,
  FrameKind,
  FrameReader,
  type ReplicaCapture,
  writeFrame,
} from './replica-protocol.js';
import { csvRows, jsonRows } from './request-rows.js';

const CSV_OUTPUT = 'text/csv; charset=utf-8';
const JSON_OUTPUT = 'application/json';
/** A batch buffer grown past this (16 MB of rows) is let go after its batch. */
const MAX_KEPT_FLOATS = 4_000_000;

const pipe = new Socket({ fd: 3, readable: true, writable: true });
let model: LoadedModel | undefined;
let capture: CaptureStream | undefined;
let lost: { count: number; message: string } | undefined;

async function load(body: Buffer): Promise<void> {
  const spec = JSON.parse(body.toString('utf8')) as { path: string; format: string; capture: ReplicaCapture | null };
  const loader = MODEL_LOADERS[spec.format];
  try {
    if (loader === undefined) throw new Error(`no model loader for format "${spec.format}"`);
    model = await loader.load(spec.path);
    if (spec.capture !== null) {
      const onError = (error: Error, count: number): void => {
        lost = { count: (lost?.count ?? 0) + count, message: error.message };
      };
      capture = new CaptureStream({ ...spec.capture, onError });
    }
    pipe.write(encodeFrame(FrameKind.Ready, 0, 0, 0, JSON.stringify(model.signature)));
  } catch (error) {
    pipe.write(encodeFrame(FrameKind.LoadFailed, 0, 0, 0, (error as Error).message));
  }
}

/** The batch's rows side by side, for one call of the scorer; reused from batch to batch. */
let batchRows = new Float32Array(0);

/** Makes room for `rows` more rows after the first `used`. */
function reserve(used: number, rows: number, nCols: number): void {
  const need = (used + rows) * nCols;
  if (batchRows.length >= need) return;
  const grown = new Float32Array(Math.max(need, batchRows.length * 2, 64 * nCols));
  grown.set(batchRows.subarray(0, used * nCols));
  batchRows = grown;
}

/** Parses a request into `batchRows` from row `used` on; returns its row count. */
function parseInto(m: LoadedModel, request: BatchRequest, used: number): number {
  const nCols = m.signature.numFeatures;
  if (request.format === 'csv') {
    reserve(used, csvLineCount(request.body), nCols);
    const part = request.part ?? undefined;
    return csvRows(request.body, m.signature, { part, into: batchRows, intoRow: used }).nRows;
  }
  const { rows, nRows } = jsonRows(request.body, m.signature);
  reserve(used, nRows, nCols);
  batchRows.set(rows, used * nCols);
  return nRows;
}

/** Answers a batch: each request's 4xx, or its predictions (all scored in one call) and capture record. */
function score(m: LoadedModel, frame: Frame): void {
  const requests = decodeRequests(frame.body);
  const answers = new Array<{ status: number; text: string }>(requests.length);
  /** Rows per request; -1 for one refused. */
  const counts = new Array<number>(requests.length).fill(-1);
  let total = 0;
  requests.forEach((request, i) => {
    try {
      counts[i] = parseInto(m, request, total);
      total += counts[i]!;
    } catch (error) {
      if (!(error instanceof InvocationError)) throw error;
      answers[i] = { status: error.status, text: errorBody(error.code, error.message) };
    }
  });
  let values: Float64Array | undefined;
  let ms = 0;
  let failure = '';
  if (total > 0) {
    const started = performance.now();
    try {
      values = m.score(batchRows.subarray(0, total * m.signature.numFeatures), total);
    } catch (error) {
      failure = errorBody('ModelError', `the model failed to score: ${(error as Error).message}`);
    }
    ms = performance.now() - started;
  }
  if (batchRows.length > MAX_KEPT_FLOATS) batchRows = new Float32Array(0);
  const outputs = m.signature.outputs;
  let at = 0;
  requests.forEach((request, i) => {
    const nRows = counts[i]!;
    if (nRows < 0) return;
    if (values === undefined) {
      answers[i] = nRows === 0 ? { status: 200, text: '' } : { status: 503, text: failure };
      return;
    }
    const part = values.subarray(at * outputs, (at + nRows) * outputs);
    at += nRows;
    const csv = request.format === 'csv';
    const text = csv ? csvPredictions(part, outputs) : jsonPredictions(part, outputs);
    answers[i] = { status: 200, text };
    if (request.capture !== null && capture !== undefined) {
      const input = Buffer.from(request.body.buffer, request.body.byteOffset, request.body.byteLength).toString('utf8');
      capture.add(
        { contentType: request.capture.contentType, data: input, encoding: csv ? 'CSV' : 'JSON' },
        { contentType: csv ? CSV_OUTPUT : JSON_OUTPUT, data: text, encoding: csv ? 'CSV' : 'JSON' },
        request.capture.inferenceId,
      );
    }
  });
  // The records reach the OS before the answers leave, so before any of their responses is sent.
  capture?.flush();
  if (lost !== undefined) {
    pipe.write(encodeFrame(FrameKind.CaptureLost, 0, lost.count, 0, lost.message));
    lost = undefined;
  }
  writeFrame(pipe, FrameKind.Scored, frame.id, requests.length, ms, encodeAnswers(answers));
}

function onScore(frame: Frame): void {
  try {
    if (model === undefined) throw new Error('the replica has no model loaded');
    score(model, frame);
  } catch (error) {
    pipe.write(encodeFrame(FrameKind.ScoreFailed, frame.id, frame.count, 0, (error as Error).message));
  }
}

const reader = new FrameReader((frame) => {
  if (frame.kind === FrameKind.Load) void load(frame.body);
  else if (frame.kind === FrameKind.Score) onScore(frame);
});
pipe.on('data', (chunk: Buffer) => reader.push(chunk));
pipe.on('end', () => process.exit(0));
pipe.on('close', () => process.exit(0));
pipe.on('error', () => process.exit(1));
