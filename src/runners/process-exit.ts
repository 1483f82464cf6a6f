import type { ChildProcess } from 'node:child_process';

/** True once the process has exited (or never started). */
export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null || child.pid === undefined;
}

/**
 * Stops a child: SIGTERM, then SIGKILL after `graceMs` if it is still alive. Resolves when it has exited.
 * With `group`, signals go to the child's whole process group (the child must have been spawned `detached`), so
 * programs a command started itself stop too, and whatever is left of the group gets SIGKILL once the child is gone.
 */
export function stopProcess(child: ChildProcess, graceMs: number, options: { group?: boolean } = {}): Promise<void> {
  if (hasExited(child)) return Promise.resolve();
  return new Promise((resolve) => {
    const signal = (name: NodeJS.Signals): void => {
      if (options.group === true && child.pid !== undefined) {
        try {
          process.kill(-child.pid, name);
          return;
        } catch {
          // The group is gone or was never made: fall back to the child alone.
        }
      }
      child.kill(name);
    };
    const escalate = setTimeout(() => signal('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(escalate);
      // Programs the child left behind in its group belong to the stopped task: end them too.
      if (options.group === true && child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // None left.
        }
      }
      resolve();
    });
    signal('SIGTERM');
  });
}

/** "exited with code 3" or "was killed by signal SIGKILL", for causes. */
export function exitDescription(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal !== null) return `was killed by signal ${signal}`;
  return `exited with code ${code ?? 'unknown'}`;
}
