import type { Command } from 'commander';
import { clientFor, type GlobalOptions } from '../context.js';
import { parseJson, printJson } from '../io.js';

export function taskCommands(program: Command): void {
  const tasks = program
    .command('tasks')
    .description('answer .waitForTaskToken tasks (send-task-success / failure / heartbeat)');
  const client = (cmd: Command) => clientFor(cmd.optsWithGlobals<GlobalOptions>());

  tasks
    .command('succeed <taskToken>')
    .option('--output <json>', 'the task result as JSON', '{}')
    .action(async (token: string, opts: { output: string }, cmd: Command) => {
      printJson(await client(cmd).sendTaskSuccess(token, parseJson(opts.output, '--output')));
    });

  tasks
    .command('fail <taskToken>')
    .option('--error <name>', 'ASL error name Retry/Catch can match', 'States.TaskFailed')
    .option('--cause <text>', 'human-readable cause', '')
    .action(async (token: string, opts: { error: string; cause: string }, cmd: Command) => {
      printJson(await client(cmd).sendTaskFailure(token, opts.error, opts.cause));
    });

  tasks.command('heartbeat <taskToken>').action(async (token: string, _opts: unknown, cmd: Command) => {
    printJson(await client(cmd).sendTaskHeartbeat(token));
  });
}
