import type { Command } from 'commander';
import { clientFor, type GlobalOptions } from '../context.js';
import { printJson, printTable } from '../io.js';

export function experimentCommands(program: Command): void {
  const experiments = program.command('experiments').description('experiments: named groups of training runs');
  const client = (cmd: Command) => clientFor(cmd.optsWithGlobals<GlobalOptions>());

  experiments
    .command('list')
    .description('every experiment with its number of runs')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const list = await client(cmd).listExperiments();
      if (opts.json) printJson({ experiments: list });
      else
        printTable(
          ['NAME', 'RUNS', 'LAST RUN', 'ID'],
          list.map((e) => [e.name, String(e.runCount ?? 0), e.lastRunDate ?? '-', e.experimentId]),
        );
    });

  experiments
    .command('create <name>')
    .option('--json', 'print JSON')
    .action(async (name: string, opts: { json?: boolean }, cmd: Command) => {
      const created = await client(cmd).createExperiment(name);
      if (opts.json) printJson(created);
      else process.stdout.write(`created experiment ${created.name} (${created.experimentId})\n`);
    });
}
