/**
 * A replica: the process that holds one model and scores batches for the router (forked by `Replica.start`).
 * It imports only the model loaders, so a model that crashes or leaks takes down this process alone. It exits when
 * the IPC channel closes: on purpose (drain), or because the server died.
 */
import { type LoadedModel, MODEL_LOADERS } from './model-loader.js';
import { decodeFloat32, encodeArray, type FromReplica, type ToReplica } from './replica-protocol.js';

let model: LoadedModel | undefined;

const send = (message: FromReplica): void => {
  process.send?.(message);
};

async function load(path: string, format: string): Promise<void> {
  const loader = MODEL_LOADERS[format];
  if (loader === undefined) {
    send({ type: 'loadFailed', message: `no model loader for format "${format}"` });
    return;
  }
  try {
    model = await loader.load(path);
    send({ type: 'ready', signature: model.signature });
  } catch (error) {
    send({ type: 'loadFailed', message: (error as Error).message });
  }
}

function score(id: number, nRows: number, rows: string): void {
  if (model === undefined) {
    send({ type: 'scoreFailed', id, message: 'the replica has no model loaded' });
    return;
  }
  try {
    const started = performance.now();
    const values = model.score(decodeFloat32(rows), nRows);
    const ms = performance.now() - started;
    send({ type: 'scored', id, values: encodeArray(values), ms });
  } catch (error) {
    send({ type: 'scoreFailed', id, message: (error as Error).message });
  }
}

process.on('message', (message: ToReplica) => {
  if (message.type === 'load') void load(message.path, message.format);
  else score(message.id, message.nRows, message.rows);
});
process.on('disconnect', () => process.exit(0));
