import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { DataDir } from '../../data-dir/index.js';
import { formatProblems, type Json } from '../../engine/asl/index.js';
import { UsageError } from '../context.js';
import { parseJson, printJson, readInput } from '../io.js';

function readDefinition(file: string): { text: string; parsed: unknown } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(
      `cannot read definition ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  return { text, parsed: parseJson(text, `definition ${file}`) };
}

/** Runs one execution to its end on an embedded store and returns the result object `workflow run` prints. */
export async function runWorkflowFile(
  file: string,
  input: unknown,
  options: { dataDir?: string; log?: (m: string) => void },
): Promise<Record<string, unknown>> {
  const { text } = readDefinition(file);
  const temp = options.dataDir === undefined ? mkdtempSync(join(tmpdir(), 'flywheel-run-')) : undefined;
  const dataDir = new DataDir(options.dataDir ?? temp ?? '.').ensure();
  const { openLocalEngine } = await import('../../server/index.js');
  const local = await openLocalEngine({
    storeUrl: dataDir.storePath,
    artifactsDir: dataDir.artifactsPath,
    cwd: dirname(resolve(file)),
    owner: dataDir.nodeId(),
    ...(options.log !== undefined && { log: options.log }),
  });
  try {
    const name = basename(file).replace(/\.(asl\.)?json$/, '') || 'workflow';
    const exists = await local.store.getStateMachine(name);
    if (exists) await local.engine.updateStateMachine(name, text);
    else await local.engine.createStateMachine(name, text);
    const started = await local.engine.startExecution({ stateMachineName: name, input: input as Json });
    const done = await local.engine.waitForExecution(started.id);
    return done.status === 'SUCCEEDED'
      ? { status: done.status, output: JSON.parse(done.output ?? 'null'), executionId: done.id }
      : { status: done.status, error: done.error, cause: done.cause, executionId: done.id };
  } finally {
    await local.close();
    if (temp) rmSync(temp, { recursive: true, force: true });
  }
}

/** Loaded on use: the engine's runtime pulls in the stores' native modules. */
const runtime = () => import('../../engine/runtime/index.js');

export function workflowCommands(program: Command): void {
  const workflow = program.command('workflow').description('validate and run ASL definitions locally');

  workflow
    .command('validate <definition>')
    .description('check a state machine definition; exit 0 when valid, 2 with the problems listed')
    .option('--json', 'print {"valid", "problems"} as JSON')
    .action(async (file: string, opts: { json?: boolean }) => {
      const { validateWithAslValidator } = await runtime();
      const problems = validateWithAslValidator(readDefinition(file).parsed);
      if (opts.json) printJson({ valid: problems.length === 0, problems });
      else if (problems.length === 0) process.stdout.write(`${file}: valid\n`);
      else process.stderr.write(`${file}: ${problems.length} problem(s)\n${formatProblems(problems)}\n`);
      process.exitCode = problems.length === 0 ? 0 : 2;
    });

  workflow
    .command('run <definition>')
    .description('run one execution to its end on an embedded store (temporary unless --data-dir) and print the result')
    .option('--input <json>', 'execution input as JSON')
    .option('--input-file <path>', 'execution input from a JSON file')
    .option('--json', 'print exactly one JSON object')
    .action(async (file: string, opts: { input?: string; inputFile?: string; json?: boolean }, cmd: Command) => {
      const global = cmd.optsWithGlobals<{ dataDir: string; dataDirGiven?: boolean }>();
      const input = readInput(opts);
      let result: Record<string, unknown>;
      try {
        result = await runWorkflowFile(file, input, {
          ...(cmd.getOptionValueSourceWithGlobals('dataDir') === 'cli' && { dataDir: global.dataDir }),
          log: (m) => process.stderr.write(`${m}\n`),
        });
      } catch (error) {
        if (error instanceof (await runtime()).InvalidDefinition) {
          if (opts.json) printJson({ status: 'INVALID', problems: error.problems });
          else process.stderr.write(`${file}: invalid definition\n${formatProblems(error.problems)}\n`);
          process.exitCode = 2;
          return;
        }
        throw error;
      }
      if (opts.json) printJson(result);
      else {
        process.stdout.write(`${result.status}\n`);
        process.stdout.write(
          `${JSON.stringify(result.status === 'SUCCEEDED' ? result.output : { error: result.error, cause: result.cause }, null, 2)}\n`,
        );
      }
      process.exitCode = result.status === 'SUCCEEDED' ? 0 : 1;
    });
}
