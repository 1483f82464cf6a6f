import type { ArtifactStore, GcOptions, GcReport } from '../artifacts/index.js';
import type { Store } from '../store/index.js';
import { RegistryService } from './registry-service.js';
import { TrackingService } from './tracking-service.js';

/** Everything tracking-related a composition root wires: the API routes and the task resources take this. */
export interface TrackingServices {
  tracking: TrackingService;
  registry: RegistryService;
  artifacts: ArtifactStore;
  /** Deletes the artifacts no run and no model version refers to (see ArtifactStore.gc for the grace period). */
  collectGarbage(options?: GcOptions): Promise<GcReport>;
}

export interface TrackingServicesOptions {
  store: Store;
  artifacts: ArtifactStore;
  /** Flywheel's own version (src/server/version.ts), recorded in lineage. */
  flywheelVersion: string;
  now?: () => number;
}

/** Builds the tracking and registry services over one store and one artifact store. */
export function createTrackingServices(options: TrackingServicesOptions): TrackingServices {
  const { store, artifacts } = options;
  const now = options.now === undefined ? {} : { now: options.now };
  const tracking = new TrackingService({
    store: store.tracking,
    artifacts,
    flywheelVersion: options.flywheelVersion,
    ...now,
  });
  const registry = new RegistryService({ store: store.registry, tracking: store.tracking, artifacts, ...now });
  return {
    tracking,
    registry,
    artifacts,
    async collectGarbage(gc) {
      const [runs, models] = await Promise.all([
        store.tracking.referencedArtifacts(),
        store.registry.referencedArtifacts(),
      ]);
      return artifacts.gc([...runs, ...models], gc);
    },
  };
}
