import type { Command } from 'commander';
import type { Execution } from '../../client/index.js';
import { clientFor, type GlobalOptions } from '../context.js';
import { printJson, printTable, readInput } from '../io.js';

function summary(e: Execution): Record<string, unknown> {
  return e.status === 'SUCCEEDED' || e.status === 'RUNNING'
    ? { executionId: e.executionId, status: e.status, output: e.output }
    : { executionId: e.executionId, status: e.status, error: e.error, cause: e.cause };
}

export function executionCommands(program: Command): void {
  const ex = program.command('executions').description('start and inspect executions on the running server');
  const client = (cmd: Command) => clientFor(cmd.optsWithGlobals<GlobalOptions>());

  ex.command('start <stateMachine>')
    .option('--input <json>', 'execution input as JSON')
    .option('--input-file <path>', 'execution input from a JSON file')
    .option('--name <name>', 'execution name (unique per state machine)')
    .option('--wait', 'wait for the execution to end; exit 1 unless it SUCCEEDED')
    .option('--json', 'print JSON')
    .action(
      async (
        name: string,
        opts: { input?: string; inputFile?: string; name?: string; wait?: boolean; json?: boolean },
        cmd: Command,
      ) => {
        const c = client(cmd);
        const started = await c.startExecution(name, readInput(opts), opts.name);
        if (!opts.wait) {
          if (opts.json) printJson({ executionId: started.executionId });
          else process.stdout.write(`${started.executionId}\n`);
          return;
        }
        const done = await c.waitForExecution(started.executionId);
        if (opts.json) printJson(summary(done));
        else process.stdout.write(`${done.executionId} ${done.status}\n${JSON.stringify(summary(done), null, 2)}\n`);
        process.exitCode = done.status === 'SUCCEEDED' ? 0 : 1;
      },
    );

  ex.command('describe <id>')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { json?: boolean }, cmd: Command) => {
      const e = await client(cmd).describeExecution(id);
      if (opts.json) printJson(e);
      else
        printTable(
          ['FIELD', 'VALUE'],
          Object.entries(e).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
        );
    });

  ex.command('list')
    .option('--state-machine <name>', 'only this state machine')
    .option('--status <status>', 'RUNNING, SUCCEEDED, FAILED, TIMED_OUT or ABORTED')
    .option('--limit <n>', 'at most this many (newest first)', '100')
    .option('--json', 'print JSON')
    .action(async (opts: { stateMachine?: string; status?: string; limit: string; json?: boolean }, cmd: Command) => {
      const list = await client(cmd).listExecutions({
        limit: Number(opts.limit),
        ...(opts.stateMachine !== undefined && { stateMachine: opts.stateMachine }),
        ...(opts.status !== undefined && { status: opts.status }),
      });
      if (opts.json) printJson({ executions: list });
      else
        printTable(
          ['ID', 'STATE MACHINE', 'STATUS', 'STARTED'],
          list.map((e) => [e.executionId, e.stateMachineName, e.status, e.startDate]),
        );
    });

  ex.command('stop <id>')
    .option('--error <name>', 'error recorded on the stopped execution', 'States.Aborted')
    .option('--cause <text>', 'cause recorded on the stopped execution', 'stopped from the CLI')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { error: string; cause: string; json?: boolean }, cmd: Command) => {
      const e = await client(cmd).stopExecution(id, opts.error, opts.cause);
      if (opts.json) printJson(summary(e));
      else process.stdout.write(`${e.executionId} ${e.status}\n`);
    });

  ex.command('history <id>')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { json?: boolean }, cmd: Command) => {
      const events = await client(cmd).history(id);
      if (opts.json) printJson({ events });
      else {
        printTable(
          ['#', 'TIME', 'TYPE', 'DETAIL'],
          events.map((e) => {
            const { id: n, type, timestamp, ...rest } = e;
            return [String(n), timestamp, type, JSON.stringify(rest).slice(0, 100)];
          }),
        );
      }
    });
}
