/**
 * The store contract suite: every Store implementation must pass it. A test-only entry (it imports vitest).
 * @example describeStore('sqlite', async () => { ...; return { store, reopen, cleanup }; });
 */
import { describe } from 'vitest';
import { describeEndpoints } from './contract/endpoints.js';
import { describeExecutions } from './contract/executions.js';
import { harness, type MakeStore } from './contract/harness.js';
import { describeHistory } from './contract/history.js';
import { describeLeases } from './contract/leases.js';
import { describeRegistry } from './contract/registry.js';
import { describeSharing } from './contract/sharing.js';
import { describeSignals } from './contract/signals.js';
import { describeStateMachines } from './contract/state-machines.js';
import { describeTrackingRuns } from './contract/tracking-runs.js';
import { describeTrackingSearch } from './contract/tracking-search.js';

export type { MakeStore, StoreUnderTest } from './contract/harness.js';

/** Registers the contract's cases; `makeStore` runs before each case and gives it an empty database. */
export function describeStore(name: string, makeStore: MakeStore): void {
  describe(`Store contract: ${name}`, () => {
    const t = harness(makeStore);
    describeStateMachines(t);
    describeExecutions(t);
    describeHistory(t);
    describeLeases(t);
    describeSignals(t);
    describeSharing(t);
    describeTrackingRuns(t);
    describeTrackingSearch(t);
    describeRegistry(t);
    describeEndpoints(t);
  });
}
