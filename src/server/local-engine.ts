import { join } from 'node:path';
import { openLocalArtifactStore } from '../artifacts/index.js';
import { Engine, type EngineOptions, type TaskRunner } from '../engine/runtime/index.js';
import { openStore, type Store } from '../store/index.js';
import {
  createTrackingServices,
  flattenRoundMetrics,
  registerTrackingRunners,
  type TrackingServices,
} from '../tracking/index.js';
import { VERSION } from '../version/index.js';
import { registerDefaultRunners } from './runners.js';

export interface LocalEngine {
  engine: Engine;
  store: Store;
  /** Experiments, runs, the model registry and the artifact store (their task resources are registered). */
  services: TrackingServices;
  close(): Promise<void>;
}

/** Opens a store and an engine with the default task resources, for the server and for embedded one-shot runs. */
export async function openLocalEngine(options: {
  storeUrl: string;
  /** The artifact store's folder (DataDir.artifactsPath); default `.flywheel/artifacts` under `cwd`, as the default data directory has it. */
  artifactsDir?: string;
  cwd: string;
  owner?: string;
  log?: (message: string) => void;
  engine?: Partial<EngineOptions>;
  /** Registers more task resources before the engine starts (and resumes executions that may use them). */
  register?: (engine: Engine, store: Store, services: TrackingServices) => void;
}): Promise<LocalEngine> {
  const store = await openStore(options.storeUrl);
  const engine = new Engine({
    store,
    cwd: options.cwd,
    ...(options.owner !== undefined && { owner: options.owner }),
    ...(options.log !== undefined && { log: options.log }),
    ...options.engine,
  });
  const services = createTrackingServices({
    store,
    artifacts: openLocalArtifactStore(options.artifactsDir ?? join(options.cwd, '.flywheel', 'artifacts')),
    flywheelVersion: VERSION,
  });
  const runners: TaskRunner[] = registerDefaultRunners(engine, {
    cwd: options.cwd,
    // A train task that names its tracking run streams every round's metrics into it (e.g. `validation-auc`).
    openRoundSink: (runId) => {
      const sink = services.tracking.runMetricsSink(runId);
      return Object.assign(
        (round: number, metrics: Record<string, Record<string, number>>) => sink(round, flattenRoundMetrics(metrics)),
        {
          close: () => sink.close(),
        },
      );
    },
  });
  runners.push(...registerTrackingRunners(engine, services));
  options.register?.(engine, store, services);
  await engine.start();
  return {
    engine,
    store,
    services,
    async close() {
      await engine.close();
      await Promise.all(runners.map((r) => r.close?.()));
      await store.close();
    },
  };
}
