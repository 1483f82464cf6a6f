import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { FlywheelClient } from '../../src/client/index.js';

export const REPO = resolve(import.meta.dirname, '../..');
export const CLI = join(REPO, 'bin/flywheel.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `node bin/flywheel.js <args>` to its end in `cwd`. FLYWHEEL_URL and FLYWHEEL_TOKEN are cleared so a test only
 * ever talks to the server its own data directory names.
 */
export function runCli(args: string[], cwd: string): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, FLYWHEEL_URL: '', FLYWHEEL_TOKEN: '' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A real `flywheel server` child process on a free port, with its data directory. */
export interface ServerProcess {
  child: ChildProcess;
  url: string;
  client: FlywheelClient;
  stderr: () => string;
}

/** Starts `flywheel server --port 0` and resolves once it has written its address and answers /health. */
export async function startServerProcess(
  dataDir: string,
  extraArgs: string[] = [],
  cwd = REPO,
): Promise<ServerProcess> {
  rmSync(join(dataDir, 'server.json'), { force: true });
  const child = spawn(process.execPath, [CLI, 'server', '--data-dir', dataDir, '--port', '0', ...extraArgs], {
    cwd,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}: ${stderr}`);
    if (Date.now() > deadline) throw new Error(`server did not start: ${stderr}`);
    const info = join(dataDir, 'server.json');
    if (existsSync(info)) {
      const { url } = JSON.parse(readFileSync(info, 'utf8')) as { url: string };
      const client = new FlywheelClient(url, readFileSync(join(dataDir, 'token'), 'utf8').trim());
      try {
        await client.health();
        return { child, url, client, stderr: () => stderr };
      } catch {
        // not listening yet
      }
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** SIGKILL: no shutdown hook runs, exactly like a crash. */
export async function killHard(server: ServerProcess): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  const exited = new Promise((r) => server.child.once('exit', r));
  server.child.kill('SIGKILL');
  await exited;
}

export async function stopGracefully(server: ServerProcess): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  const exited = new Promise((r) => server.child.once('exit', r));
  server.child.kill('SIGTERM');
  await exited;
}
