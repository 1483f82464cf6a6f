import { FlywheelClient } from '../client/index.js';
import { DataDir } from '../data-dir/index.js';

/** Options every command that talks to a server accepts. */
export interface GlobalOptions {
  dataDir: string;
  server?: string;
  token?: string;
}

/** A mistake in how a command was called: exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * The client for the running server: `--server` or FLYWHEEL_URL, else the address the server left in the data
 * directory; the token from `--token`, FLYWHEEL_TOKEN or the data directory.
 */
export function clientFor(options: GlobalOptions): FlywheelClient {
  const dataDir = new DataDir(options.dataDir);
  const url = options.server || process.env.FLYWHEEL_URL || dataDir.readServerInfo()?.url || 'http://127.0.0.1:7070';
  const token = options.token || process.env.FLYWHEEL_TOKEN || dataDir.existingToken();
  return new FlywheelClient(url, token);
}
