/**
 * A replica: the process that holds one model and scores batches for the router (spawned by `Replica.start`, talking
 * over fd 3, see replica-protocol.ts). It imports only the model loaders, so a model that crashes or leaks takes down
 * this process alone. It exits when the pipe closes: on purpose (drain), or because the server died.
 */
import { Socket } from 'node:net';
import { type LoadedModel, MODEL_LOADERS } from './model-loader.js';
import { encodeFrame, type Frame, FrameKind, FrameReader, toFloat32 } from './replica-protocol.js';

const pipe = new Socket({ fd: 3, readable: true, writable: true });
let model: LoadedModel | undefined;

async function load(body: Buffer): Promise<void> {
  const { path, format } = JSON.parse(body.toString('utf8')) as { path: string; format: string };
  const loader = MODEL_LOADERS[format];
  try {
    if (loader === undefined) throw new Error(`no model loader for format "${format}"`);
    model = await loader.load(path);
    pipe.write(encodeFrame(FrameKind.Ready, 0, 0, 0, JSON.stringify(model.signature)));
  } catch (error) {
    pipe.write(encodeFrame(FrameKind.LoadFailed, 0, 0, 0, (error as Error).message));
  }
}

function score(frame: Frame): void {
  try {
    if (model === undefined) throw new Error('the replica has no model loaded');
    const started = performance.now();
    const values = model.score(toFloat32(frame.body), frame.count);
    pipe.write(encodeFrame(FrameKind.Scored, frame.id, frame.count, performance.now() - started, values));
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
