/**
 * Test support for src/tracking (no test runner imports, so it builds with the rest): real services on a private
 * in-memory SQLite store and a temporary artifact folder, and a real git checkout.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLocalArtifactStore } from '../artifacts/index.js';
import { openSqliteStore, type Store } from '../store/index.js';
import { createTrackingServices, type TrackingServices } from './services.js';

export interface TrackingFixture {
  services: TrackingServices;
  store: Store;
  /** A temporary folder for the test's files (the artifact store lives in `dir/artifacts`). */
  dir: string;
  /** Moves the services' clock forward. */
  advance(ms: number): void;
  close(): Promise<void>;
}

export const T0 = 1_700_000_000_000;

export async function trackingFixture(): Promise<TrackingFixture> {
  const dir = await mkdtemp(join(tmpdir(), 'flywheel-tracking-'));
  const store = await openSqliteStore(':memory:');
  let now = T0;
  const services = createTrackingServices({
    store,
    artifacts: openLocalArtifactStore(join(dir, 'artifacts')),
    flywheelVersion: '9.9.9-test',
    now: () => now,
  });
  return {
    services,
    store,
    dir,
    advance: (ms) => {
      now += ms;
    },
    async close() {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** `git init` + one commit in `folder`, with an origin remote; returns the commit's hash. */
export async function gitRepository(folder: string, remote = 'https://example.com/churn.git'): Promise<string> {
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', ...args], {
      cwd: folder,
      encoding: 'utf8',
    }).trim();
  git('init', '--quiet');
  await writeFile(join(folder, 'train.py'), 'print("train")\n');
  git('add', 'train.py');
  git('commit', '--quiet', '-m', 'first');
  git('remote', 'add', 'origin', remote);
  return git('rev-parse', 'HEAD');
}
