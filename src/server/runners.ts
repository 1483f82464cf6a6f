import { createNestedExecutionRunner, type Engine, type TaskRunner } from '../engine/runtime/index.js';
import { BASELINE_RESOURCE, createBaselineRunner } from '../monitoring/index.js';
import {
  COMMAND_RESOURCE,
  createCommandRunner,
  createFunctionRunner,
  createMlRunners,
  FUNCTION_RESOURCE,
  type RoundSink,
} from '../runners/index.js';

/** The task resources every Flywheel engine has, by the names definitions use. */
export function registerDefaultRunners(
  engine: Engine,
  options: { cwd: string; functionPoolSize?: number; openRoundSink?: (runId: string) => RoundSink },
): TaskRunner[] {
  const command = createCommandRunner({ cwd: options.cwd });
  const fn = createFunctionRunner({
    cwd: options.cwd,
    ...(options.functionPoolSize !== undefined && { poolSize: options.functionPoolSize }),
  });
  const nested = createNestedExecutionRunner(engine);
  engine.registerRunner(COMMAND_RESOURCE, command);
  engine.registerRunner(FUNCTION_RESOURCE, fn);
  engine.registerRunner('flywheel:startExecution', nested);
  // AWS's own name, so definitions written for Step Functions run unchanged.
  engine.registerRunner('arn:aws:states:::states:startExecution', nested);
  const ml = createMlRunners({
    cwd: options.cwd,
    ...(options.openRoundSink && { openRoundSink: options.openRoundSink }),
  });
  for (const [name, runner] of Object.entries(ml)) engine.registerRunner(name, runner);
  engine.registerRunner(BASELINE_RESOURCE, createBaselineRunner({ cwd: options.cwd }));
  return [command, fn];
}
