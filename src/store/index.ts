/**
 * The store module: the port every service depends on, and the two implementations only composition roots pick.
 * The contract suite (`describeStore`) lives in `./contract.js`, a test-only entry: it imports vitest, which throws
 * when loaded outside a test run, so re-exporting it here would break every production import of this module.
 */
export type { MakeStore, StoreUnderTest } from './contract.js';
export type * from './endpoints-port.js';
export { openStore } from './open.js';
export * from './port.js';
export { openPostgresStore, type PostgresStoreOptions } from './postgres/store.js';
export type * from './registry-port.js';
export { openSqliteStore } from './sqlite/store.js';
export type * from './tracking-port.js';
