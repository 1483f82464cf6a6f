import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { isJsonObject, type Json } from '../engine/asl/index.js';
import { TaskFailure, type TaskRequest, type TaskRunner } from '../engine/runtime/task-runner.js';
import { commandFailure, parseStdout, TailBuffer } from './command-output.js';
import { hasExited, stopProcess } from './process-exit.js';
import {
  abortFailure,
  DEFAULT_KILL_GRACE_MS,
  DEFAULT_MAX_OUTPUT_BYTES,
  invalidInput,
  optionalString,
  RunnerErrors,
  readFields,
} from './task-input.js';

export const COMMAND_RESOURCE = 'flywheel:command';

export interface CommandRunnerOptions {
  /** The folder a request's cwd and a task's `Cwd` resolve against. */
  cwd: string;
  /** Added to every command's environment, over the engine's own. */
  env?: Record<string, string>;
  /** Largest stdout (the task's result) accepted; default 256 KiB, AWS's payload limit. */
  maxOutputBytes?: number;
  /** Time between SIGTERM and SIGKILL when a command is stopped; default 2000 ms. */
  killGraceMs?: number;
}

interface StartedCommand {
  done: Promise<Json>;
  /** Stops the command (SIGTERM, then SIGKILL); `done` then rejects with `failure`. */
  stop(failure: TaskFailure): void;
}

/** A program to run, as read from the task input. */
interface Command {
  argv: [string, ...string[]];
  stdin: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/**
 * The `flywheel:command` resource: runs `Command` (an argv, no shell) with `Input` as JSON on stdin and resolves with
 * stdout parsed as JSON.
 * @example createCommandRunner({ cwd: projectDir }).run({ ...request, input: { Command: ['python3', 'train.py'] } }, signal)
 */
export function createCommandRunner(options: CommandRunnerOptions): TaskRunner {
  const limits = {
    maxOutputBytes: options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES,
    killGraceMs: options.killGraceMs ?? DEFAULT_KILL_GRACE_MS,
  };
  const running = new Set<StartedCommand>();
  return {
    async run(request, signal) {
      if (signal.aborted) throw abortFailure(signal);
      const command = startCommand(readCommand(request, options), signal, limits);
      running.add(command);
      try {
        return await command.done;
      } finally {
        running.delete(command);
      }
    },
    async close() {
      const closing = [...running];
      for (const entry of closing)
        entry.stop(new TaskFailure(RunnerErrors.TaskFailed, 'the command runner was closed'));
      await Promise.allSettled(closing.map((entry) => entry.done));
    },
  };
}

function readCommand(request: TaskRequest, options: CommandRunnerOptions): Command {
  const input = readFields(COMMAND_RESOURCE, request.input, ['Command', 'Input', 'Cwd', 'Env']);
  const argv = input.Command;
  const argvExpected = 'a non-empty array of strings (the program and its arguments; no shell)';
  if (!Array.isArray(argv) || argv.length === 0) throw invalidInput(COMMAND_RESOURCE, 'Command', argvExpected, argv);
  argv.forEach((arg, index) => {
    if (typeof arg !== 'string' || (index === 0 && arg === '')) {
      const expected = index === 0 ? 'a non-empty string, the program to run' : 'a string';
      throw invalidInput(COMMAND_RESOURCE, `Command[${index}]`, expected, arg);
    }
  });
  const cwd = resolve(options.cwd, request.cwd ?? '.', optionalString(COMMAND_RESOURCE, input, 'Cwd') ?? '.');
  const extra = input.Env ?? {};
  if (!isJsonObject(extra)) throw invalidInput(COMMAND_RESOURCE, 'Env', 'an object of strings', extra);
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  for (const [name, value] of Object.entries(extra)) {
    if (typeof value !== 'string') throw invalidInput(COMMAND_RESOURCE, `Env.${name}`, 'a string', value);
    env[name] = value;
  }
  // The engine's own variables win, and a token inherited from a surrounding task never leaks into this one.
  if (request.taskToken === undefined) delete env.FLYWHEEL_TASK_TOKEN;
  else env.FLYWHEEL_TASK_TOKEN = request.taskToken;
  env.FLYWHEEL_EXECUTION_ID = request.executionId;
  env.FLYWHEEL_STATE_NAME = request.stateName;
  env.FLYWHEEL_ATTEMPT = String(request.attempt);
  return { argv: argv as [string, ...string[]], stdin: JSON.stringify(input.Input ?? null), cwd, env };
}

/** Starts one command; `done` settles once it has exited (or could not start). */
function startCommand(
  command: Command,
  signal: AbortSignal,
  limits: { maxOutputBytes: number; killGraceMs: number },
): StartedCommand {
  const program = command.argv[0];
  let stop: (failure: TaskFailure) => void = () => {};
  const done = new Promise<Json>((resolvePromise, reject) => {
    // Its own process group, so that stopping the command also stops what it started.
    let child: ChildProcessWithoutNullStreams;
    try {
      child = spawn(program, command.argv.slice(1), { cwd: command.cwd, env: command.env, detached: true });
    } catch (error) {
      // Arguments spawn refuses outright, such as a NUL character in an argument or a variable.
      reject(spawnFailure(command, error as NodeJS.ErrnoException));
      return;
    }
    const stdout: Buffer[] = [];
    let stdoutBytes = 0;
    const stderr = new TailBuffer();
    let stopped: TaskFailure | undefined;
    let settled = false;

    const settle = (outcome: () => Json): void => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      try {
        resolvePromise(outcome());
      } catch (error) {
        reject(error);
      }
    };
    stop = (failure: TaskFailure): void => {
      if (stopped !== undefined || settled) return;
      stopped = failure;
      if (hasExited(child)) settle(() => throwing(failure));
      else void stopProcess(child, limits.killGraceMs, { group: true });
    };
    const onAbort = (): void => stop(abortFailure(signal));
    signal.addEventListener('abort', onAbort, { once: true });

    child.on('error', (error: NodeJS.ErrnoException) => {
      if (child.pid !== undefined) return; // A failed kill; 'exit' still follows.
      settle(() => throwing(spawnFailure(command, error)));
    });
    child.stdin.on('error', () => {}); // EPIPE when the program exits without reading its input: not a failure.
    child.stdin.end(command.stdin);
    child.stdout.on('data', (chunk: Buffer) => {
      if (stopped !== undefined) return;
      stdoutBytes += chunk.length;
      if (stdoutBytes > limits.maxOutputBytes) {
        const limit = `${limits.maxOutputBytes} bytes`;
        stop(
          new TaskFailure(RunnerErrors.DataLimitExceeded, `command ${program} printed more than ${limit} on stdout`),
        );
      } else stdout.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));

    const finish = (code: number | null, exitSignal: NodeJS.Signals | null): void =>
      settle(() => {
        if (stopped !== undefined) throw stopped;
        if (code !== 0) throw commandFailure(program, code, exitSignal, stderr);
        return parseStdout(program, Buffer.concat(stdout));
      });
    child.on('exit', (code, exitSignal) => {
      // A stopped command's output no longer matters. Otherwise wait for stdout to drain ('close'), but not for
      // ever: a background program the command started may hold the pipes open.
      if (stopped !== undefined) return finish(code, exitSignal);
      const drained = setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        finish(code, exitSignal);
      }, 1000);
      child.once('close', () => {
        clearTimeout(drained);
        finish(code, exitSignal);
      });
    });
  });
  return { done, stop: (failure) => stop(failure) };
}

function throwing(failure: TaskFailure): never {
  throw failure;
}

function spawnFailure(command: Command, error: NodeJS.ErrnoException): TaskFailure {
  const program = JSON.stringify(command.argv[0]);
  if (!existsSync(command.cwd)) {
    return invalidInput(COMMAND_RESOURCE, 'Cwd', 'an existing folder', command.cwd);
  }
  const why =
    error.code === 'ENOENT'
      ? `the program ${program} was not found (looked in PATH and from ${command.cwd})`
      : error.code === 'EACCES'
        ? `the program ${program} is not executable`
        : `the program ${program} could not start (${error.message})`;
  return new TaskFailure(RunnerErrors.InvalidTaskInput, `${COMMAND_RESOURCE}: Command[0]: ${why}`);
}
