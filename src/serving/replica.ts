/**
 * A replica: the process that holds one model, scores batches for the router and writes their capture records
 * (spawned by `Replica.start`, talking over fd 3, see replica-protocol.ts). A model that crashes or leaks takes down
 * this process alone. It exits when the pipe closes: on purpose (drain), or because the server died.
 */
import { Socket } from 'node:net';
import { CaptureStream } from './capture.js';
import { decodeCaptures } from './capture-frames.js';
import { type LoadedModel, MODEL_LOADERS } from './model-loader.js';
import { csvPredictions, jsonPredictions } from './predictions.js';
import { encodeFrame, type Frame, FrameKind, FrameReader, type ReplicaCapture, toFloat32 } from './replica-protocol.js';

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

/** Writes the capture records of a scored batch (before its answer goes back, so before any response is sent). */
function captureBatch(m: LoadedModel, values: Float64Array, captures: Buffer): void {
  if (capture === undefined || captures.length === 0) return;
  const outputs = m.signature.outputs;
  for (const { first, rows, request } of decodeCaptures(captures)) {
    const part = values.subarray(first * outputs, (first + rows) * outputs);
    const csv = request.format === 'csv';
    const input = Buffer.from(request.body.buffer, request.body.byteOffset, request.body.byteLength).toString('utf8');
    capture.add(
      { contentType: request.contentType, data: input, encoding: csv ? 'CSV' : 'JSON' },
      {
        contentType: csv ? CSV_OUTPUT : JSON_OUTPUT,
        data: csv ? csvPredictions(part, outputs) : jsonPredictions(part, outputs),
        encoding: csv ? 'CSV' : 'JSON',
      },
      request.inferenceId,
    );
  }
  capture.flush();
  if (lost !== undefined) {
    pipe.write(encodeFrame(FrameKind.CaptureLost, 0, lost.count, 0, lost.message));
    lost = undefined;
  }
}

function score(frame: Frame): void {
  try {
    if (model === undefined) throw new Error('the replica has no model loaded');
    const rowBytes = frame.count * model.signature.numFeatures * 4;
    const started = performance.now();
    const values = model.score(toFloat32(frame.body.subarray(0, rowBytes)), frame.count);
    const ms = performance.now() - started;
    captureBatch(model, values, frame.body.subarray(rowBytes));
    pipe.write(encodeFrame(FrameKind.Scored, frame.id, frame.count, ms, values));
  } catch (error) {
    pipe.write(encodeFrame(FrameKind.ScoreFailed, frame.id, frame.count, 0, (error as Error).message));
  }
}

const reader = new FrameReader((frame) => {
  if (frame.kind === FrameKind.Load) void load(frame.body);
  else if (frame.kind === FrameKind.Score) score(frame);
});
pipe.on('data', (chunk: Buffer) => reader.push(chunk));
pipe.on('end', () => process.exit(0));
pipe.on('close', () => process.exit(0));
pipe.on('error', () => process.exit(1));
