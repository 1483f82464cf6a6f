import { Command, CommanderError } from 'commander';
import { ApiError } from '../client/index.js';
import { VERSION } from '../version/index.js';
import { artifactCommands } from './commands/artifacts.js';
import { dataCommands } from './commands/data.js';
import { demoCommand } from './commands/demo.js';
import { endpointCommands } from './commands/endpoints.js';
import { executionCommands } from './commands/executions.js';
import { experimentCommands } from './commands/experiments.js';
import { mlCommands } from './commands/ml.js';
import { modelCommands } from './commands/models.js';
import { projectCommands } from './commands/project.js';
import { runCommands } from './commands/runs.js';
import { serverCommand } from './commands/server.js';
import { stateMachineCommands } from './commands/state-machines.js';
import { taskCommands } from './commands/tasks.js';
import { workflowCommands } from './commands/workflow.js';
import { UsageError } from './context.js';

export function buildProgram(): Command {
  const program = new Command('flywheel')
    .description('Flywheel: a self-hosted continuous ML pipeline with a durable Amazon States Language engine')
    .version(VERSION)
    .option(
      '--data-dir <dir>',
      'data directory (embedded store, token, artifacts)',
      process.env.FLYWHEEL_DATA_DIR ?? '.flywheel',
    )
    .option('--server <url>', 'server URL (default: FLYWHEEL_URL, else the one recorded in the data directory)')
    .option('--token <token>', "API token (default: FLYWHEEL_TOKEN, else the data directory's)")
    .showHelpAfterError()
    .exitOverride();
  demoCommand(program);
  workflowCommands(program);
  dataCommands(program);
  projectCommands(program, mlCommands(program));
  serverCommand(program);
  stateMachineCommands(program);
  executionCommands(program);
  taskCommands(program);
  experimentCommands(program);
  runCommands(program);
  modelCommands(program);
  artifactCommands(program);
  endpointCommands(program);
  program.commands.forEach(function override(cmd: Command): void {
    cmd.exitOverride();
    cmd.commands.forEach(override);
  });
  return program;
}

/** The CLI entry: exit 0 on success, 1 when the work failed, 2 for usage errors and invalid input. */
export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode === 0 ? 0 : 2;
      return;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`flywheel: ${error.message}\n`);
      process.exitCode = 2;
      return;
    }
    if (error instanceof ApiError) {
      process.stderr.write(`flywheel: ${error.code}: ${error.message}\n`);
      const problems = (error.body as { problems?: { path: string; message: string }[] } | null)?.problems;
      for (const p of problems ?? []) process.stderr.write(`  ${p.path}: ${p.message}\n`);
      process.exitCode = error.status >= 400 && error.status < 500 ? 2 : 1;
      return;
    }
    throw error;
  }
}
