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
import { errorBody, InvocationError } from './errors.js';
import { type LoadedModel, MODEL_LOADERS } from './model-loader.js';
import { csvPredictions, jsonPredictions } from './predictions.js';
import { encodeFrame, type Frame, FrameKind, FrameReader, type ReplicaCapture } from './replica-protocol.js';
import { csvRows, jsonRows, type RequestRows } from './request-rows.js';

const CSV_OUTPUT = 'text/csv; charset=utf-8';
const JSON_OUTPUT = 'application/json';

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

function rowsOf(m: LoadedModel, request: BatchRequest): RequestRows {
  if (request.format === 'csv') return csvRows(request.body, m.signature, request.part ?? undefined);
  return jsonRows(request.body, m.signature);
}

/** The requests' rows side by side, for one call of the scorer. */
function joined(parsed: (RequestRows | null)[], nCols: number, total: number): Float32Array {
  const only = parsed.filter((p) => p !== null);
  if (only.length === 1) return only[0]!.rows;
  const rows = new Float32Array(total * nCols);
  let at = 0;
  for (const p of only) {
    rows.set(p.rows, at);
    at += p.rows.length;
  }
  return rows;
}

/** Answers a batch: each request's 4xx, or its predictions (all scored in one call) and capture record. */
function score(m: LoadedModel, frame: Frame): void {
  const requests = decodeRequests(frame.body);
  const answers = new Array<{ status: number; text: string }>(requests.length);
  const parsed = new Array<RequestRows | null>(requests.length).fill(null);
  let total = 0;
  requests.forEach((request, i) => {
    try {
      parsed[i] = rowsOf(m, request);
      total += parsed[i]!.nRows;
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
      values = m.score(joined(parsed, m.signature.numFeatures, total), total);
    } catch (error) {
      failure = errorBody('ModelError', `the model failed to score: ${(error as Error).message}`);
    }
    ms = performance.now() - started;
  }
  const outputs = m.signature.outputs;
  let at = 0;
  requests.forEach((request, i) => {
    const rows = parsed[i];
    if (rows === null || rows === undefined) return;
    if (values === undefined) {
      answers[i] = { status: rows.nRows === 0 ? 200 : 503, text: rows.nRows === 0 ? '' : failure };
      return;
    }
    const part = values.subarray(at * outputs, (at + rows.nRows) * outputs);
    at += rows.nRows;
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
  pipe.write(encodeFrame(FrameKind.Scored, frame.id, requests.length, ms, encodeAnswers(answers)));
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
