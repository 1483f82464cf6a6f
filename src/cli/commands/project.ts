import type { Command } from 'commander';
import type { PipelineResult } from '../../pipeline/index.js';
import { type GlobalOptions, UsageError } from '../context.js';
import { printJson } from '../io.js';

/** `flywheel init [dir]` and `flywheel ml run [dir]`: the example ML project and its pipeline (docs/ml-pipeline.md). */
/** Loaded on use: the pipeline pulls in the server, DuckDB and the stores. */
const pipeline = () => import('../../pipeline/index.js');

export function projectCommands(program: Command, ml: Command): void {
  program
    .command('init [dir]')
    .description('write the example ML project (workflow, config, prep spec, generated churn data) into a folder')
    .option('--force', 'replace files that already exist')
    .option('--rows <n>', 'rows of generated churn data', '3333')
    .action(async (dir: string | undefined, opts: { force?: boolean; rows: string }) => {
      const rows = Number(opts.rows);
      if (!Number.isInteger(rows) || rows < 100)
        throw new UsageError(`--rows must be an integer of at least 100 (got "${opts.rows}")`);
      try {
        const project = await (await pipeline()).initProject(dir ?? '.', { force: opts.force === true, rows });
        process.stdout.write(
          `wrote the example ML project to ${project.dir}:\n${project.files.map((f) => `  ${f}`).join('\n')}\n`,
        );
        process.stdout.write(`run it with: flywheel ml run ${dir ?? '.'}\n`);
      } catch (error) {
        if (error instanceof (await pipeline()).ProjectExists) throw new UsageError(error.message);
        throw error;
      }
    });

  ml.command('run [dir]')
    .description("run the project's ML pipeline on the local server (an embedded one if none runs), with live progress")
    .option('--json', 'print one JSON object at the end (execution, status, model, gate, endpoint)')
    .action(async (dir: string | undefined, opts: { json?: boolean }, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      const { runPipeline, InvalidPipelineConfig } = await pipeline();
      let result: PipelineResult;
      try {
        result = await runPipeline({
          dir: dir ?? '.',
          dataDir: global.dataDir,
          ...(global.server !== undefined && { server: global.server }),
          ...(global.token !== undefined && { token: global.token }),
          ...(!opts.json && { write: (line: string) => process.stdout.write(`${line}\n`) }),
          log: (m) => process.stderr.write(`${m}\n`),
        });
      } catch (error) {
        if (error instanceof InvalidPipelineConfig) throw new UsageError(error.message);
        throw error;
      }
      if (opts.json) printJson(result);
      else if (result.status === 'SUCCEEDED') {
        process.stdout.write(`\n${result.status} in ${(result.durationMs / 1000).toFixed(1)} s\n`);
        process.stdout.write(`model ${result.modelGroup}:${result.modelVersion} (${result.gate?.verdict ?? ''})\n`);
        process.stdout.write(`endpoint ${result.endpointName}: ${result.invocationUrl}\n`);
        if (result.samplePrediction) {
          process.stdout.write(
            `sample prediction from variant ${result.samplePrediction.variant}: ${result.samplePrediction.prediction}\n`,
          );
        }
      } else {
        process.stdout.write(`\n${result.status}: ${result.error}: ${result.cause}\n`);
      }
      process.exitCode = result.status === 'SUCCEEDED' ? 0 : 1;
    });
}
