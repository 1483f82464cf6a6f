import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { printJson } from '../io.js';
import { runWorkflowFile } from './workflow.js';

const QUICKSTART = fileURLToPath(new URL('../../../examples/quickstart/', import.meta.url));

/** `flywheel demo`: the README's first command — runs the example workflow end to end on a temporary embedded store. */
export function demoCommand(program: Command): void {
  program
    .command('demo')
    .description('run the example workflow end to end on a temporary embedded store (SQLite + local folder)')
    .option('--json', 'print one JSON object')
    .action(async (opts: { json?: boolean }) => {
      const definition = `${QUICKSTART}workflow.asl.json`;
      const input: unknown = JSON.parse(readFileSync(`${QUICKSTART}input.json`, 'utf8'));
      const started = Date.now();
      const result = await runWorkflowFile(definition, input, {});
      const ms = Date.now() - started;
      if (opts.json) printJson({ ...result, durationMs: ms });
      else {
        process.stdout.write(`Flywheel demo: ran ${definition}\n`);
        process.stdout.write(
          `status: ${result.status} in ${ms} ms\n${JSON.stringify(result.output ?? result, null, 2)}\n`,
        );
      }
      process.exitCode = result.status === 'SUCCEEDED' ? 0 : 1;
    });
}
