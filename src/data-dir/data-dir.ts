import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** What a running server leaves in its data directory so the CLI can find it. */
export interface ServerInfo {
  url: string;
  pid: number;
  startedAt: string;
}

/**
 * The data directory (`--data-dir`, default ./.flywheel): the embedded SQLite store, the API token, this node's
 * lease-holder id, artifacts, and the address of the running server.
 */
export class DataDir {
  readonly path: string;
  constructor(path: string) {
    this.path = resolve(path);
  }

  ensure(): this {
    mkdirSync(this.path, { recursive: true, mode: 0o700 });
    return this;
  }

  get storePath(): string {
    return join(this.path, 'flywheel.db');
  }

  get artifactsPath(): string {
    return join(this.path, 'artifacts');
  }

  /** The bearer token every API route but /health requires; created on first use, readable by the owner only. */
  token(): string {
    return this.readOrCreate('token', () => randomBytes(24).toString('base64url'));
  }

  existingToken(): string | undefined {
    const file = join(this.path, 'token');
    return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
  }

  /**
   * This node's lease-holder id. Stable across restarts so a server that was killed resumes its own executions at
   * once instead of waiting for their leases to expire; two servers must not share one data directory.
   */
  nodeId(): string {
    return this.readOrCreate('node-id', () => `node-${randomBytes(8).toString('hex')}`);
  }

  writeServerInfo(info: ServerInfo): void {
    this.writeAtomic('server.json', `${JSON.stringify(info, null, 2)}\n`);
  }

  readServerInfo(): ServerInfo | undefined {
    const file = join(this.path, 'server.json');
    if (!existsSync(file)) return undefined;
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as ServerInfo;
    } catch {
      return undefined;
    }
  }

  clearServerInfo(pid: number): void {
    if (this.readServerInfo()?.pid === pid) rmSync(join(this.path, 'server.json'), { force: true });
  }

  private readOrCreate(name: string, make: () => string): string {
    const file = join(this.path, name);
    if (existsSync(file)) return readFileSync(file, 'utf8').trim();
    this.ensure();
    this.writeAtomic(name, `${make()}\n`);
    return readFileSync(file, 'utf8').trim();
  }

  private writeAtomic(name: string, text: string): void {
    const file = join(this.path, name);
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, text, { mode: 0o600 });
    renameSync(temp, file);
  }
}
