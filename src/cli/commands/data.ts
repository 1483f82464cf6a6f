import type { Command } from 'commander';

/** `flywheel data prep <spec.json>`: the DuckDB data-prep step on its own (docs/data-prep.md). */
export function dataCommands(program: Command): void {
  const data = program.command('data').description('prepare data sets');
  data
    .command('prep <spec>')
    .description('read, transform, label and split a data set as the spec says; exit 1 on bad data, 2 on a bad spec')
    .option('--json', 'print the result (splits with rows and sha256, features, rejects) as JSON')
    .action(async (spec: string, opts: { json?: boolean }) => {
      // Loaded on use: DuckDB's native module should not slow every other command's start-up.
      const { runPrepCommand } = await import('../../ml/data/index.js');
      process.exitCode = await runPrepCommand(spec, { json: opts.json === true });
    });
}
