import { isJsonObject, type Json } from '../engine/asl/index.js';
import { TaskFailure } from '../engine/runtime/task-runner.js';
import { exitDescription } from './process-exit.js';
import { RunnerErrors, shown } from './task-input.js';

/** How much of stderr is kept: enough for a long last error line; the cause quotes the last 1 KiB. */
const STDERR_KEPT_BYTES = 64 * 1024;
const STDERR_QUOTED_BYTES = 1024;

/** Keeps the last `limit` bytes written to it. */
export class TailBuffer {
  #chunks: Buffer[] = [];
  #bytes = 0;
  constructor(private readonly limit: number = STDERR_KEPT_BYTES) {}

  push(chunk: Buffer): void {
    this.#chunks.push(chunk);
    this.#bytes += chunk.length;
    while (this.#bytes - (this.#chunks[0]?.length ?? 0) >= this.limit) {
      this.#bytes -= this.#chunks.shift()?.length ?? 0;
    }
  }

  /** The kept bytes as text, at most `max` bytes from the end. */
  text(max = this.limit): string {
    const all = Buffer.concat(this.#chunks);
    return all.subarray(Math.max(0, all.length - max)).toString('utf8');
  }
}

/** The task's result: stdout parsed as JSON, empty stdout being null. */
export function parseStdout(program: string, stdout: Buffer): Json {
  const text = stdout.toString('utf8');
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text) as Json;
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new TaskFailure(
      RunnerErrors.InvalidTaskOutput,
      `command ${program} printed invalid JSON on stdout (${why}); its output starts ${shown(text, 200)}`,
    );
  }
}

/**
 * Why a command that did not exit with 0 failed. A program names its ASL error by printing, as the last line of
 * stderr, `{"error":"MyError","cause":"..."}`; anything else is States.TaskFailed quoting the end of stderr.
 */
export function commandFailure(
  program: string,
  code: number | null,
  signal: NodeJS.Signals | null,
  stderr: TailBuffer,
): TaskFailure {
  const how = `command ${program} ${exitDescription(code, signal)}`;
  const chosen = signal === null ? errorLine(stderr.text()) : undefined;
  if (chosen !== undefined) return new TaskFailure(chosen.error, chosen.cause ?? how);
  const tail = stderr.text(STDERR_QUOTED_BYTES).trim();
  return new TaskFailure(RunnerErrors.TaskFailed, tail === '' ? `${how} (stderr was empty)` : `${how}: ${tail}`);
}

function errorLine(stderr: string): { error: string; cause?: string } | undefined {
  const last = stderr.trimEnd().split('\n').at(-1)?.trim() ?? '';
  if (!last.startsWith('{')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(last);
  } catch {
    return undefined;
  }
  if (!isJsonObject(parsed) || typeof parsed.error !== 'string' || parsed.error === '') return undefined;
  const cause = parsed.cause;
  if (cause === undefined || cause === null) return { error: parsed.error };
  return { error: parsed.error, cause: typeof cause === 'string' ? cause : JSON.stringify(cause) };
}
