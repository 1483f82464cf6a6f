import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { printJson } from '../io.js';

/**
 * `flywheel demo` (the README's first command): writes the example ML project into a temporary folder, runs its
 * pipeline end to end on an embedded server (SQLite + a local folder), shows the endpoint's sample prediction,
 * then removes everything.
 */
export function demoCommand(program: Command): void {
  program
    .command('demo')
    .description('run the example ML pipeline end to end in a temporary folder (nothing else to start)')
    .option('--json', 'print one JSON object at the end')
    .option('--keep', 'keep the temporary folder (project, data directory) and print its path')
    .action(async (opts: { json?: boolean; keep?: boolean }) => {
      const { initProject, runPipeline } = await import('../../pipeline/index.js');
      const root = mkdtempSync(join(tmpdir(), 'flywheel-demo-'));
      const say = (line: string): void => {
        if (!opts.json) process.stdout.write(`${line}\n`);
      };
      try {
        const project = await initProject(join(root, 'project'));
        say(`Flywheel demo: wrote the example ML project to ${project.dir} (${project.files.length} files)`);
        const result = await runPipeline({
          dir: project.dir,
          dataDir: join(root, 'data'),
          embedded: true,
          ...(!opts.json && { write: say }),
        });
        if (opts.json) printJson(result);
        else if (result.status === 'SUCCEEDED') {
          say(`\n${result.status} in ${(result.durationMs / 1000).toFixed(1)} s`);
          say(
            `model ${result.modelGroup}:${result.modelVersion} registered as PendingManualApproval; ${result.gate?.verdict}`,
          );
          say(`endpoint ${result.endpointName} served at ${result.invocationUrl} (stopped with the demo)`);
          const sample = result.samplePrediction;
          if (sample)
            say(
              `sample prediction from variant ${sample.variant}: churn probability ${Number(sample.prediction).toFixed(4)}`,
            );
        } else {
          say(`\n${result.status}: ${result.error}: ${result.cause}`);
        }
        if (opts.keep) say(`kept ${root}`);
        process.exitCode = result.status === 'SUCCEEDED' ? 0 : 1;
      } finally {
        if (!opts.keep) rmSync(root, { recursive: true, force: true });
      }
    });
}
