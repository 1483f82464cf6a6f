import { Engine, type EngineOptions, type TaskRunner } from '../engine/runtime/index.js';
import { openStore, type Store } from '../store/index.js';
import { registerDefaultRunners } from './runners.js';

export interface LocalEngine {
  engine: Engine;
  store: Store;
  close(): Promise<void>;
}

/** Opens a store and an engine with the default task resources, for the server and for embedded one-shot runs. */
export async function openLocalEngine(options: {
  storeUrl: string;
  cwd: string;
  owner?: string;
  log?: (message: string) => void;
  engine?: Partial<EngineOptions>;
}): Promise<LocalEngine> {
  const store = await openStore(options.storeUrl);
  const engine = new Engine({
    store,
    cwd: options.cwd,
    ...(options.owner !== undefined && { owner: options.owner }),
    ...(options.log !== undefined && { log: options.log }),
    ...options.engine,
  });
  const runners: TaskRunner[] = registerDefaultRunners(engine, { cwd: options.cwd });
  await engine.start();
  return {
    engine,
    store,
    async close() {
      await engine.close();
      await Promise.all(runners.map((r) => r.close?.()));
      await store.close();
    },
  };
}
