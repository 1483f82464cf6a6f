/**
 * Task resources: where the engine sends ASL Task states. Each runner implements the engine's TaskRunner contract
 * and runs user code in other processes, never in the engine's.
 */
export { COMMAND_RESOURCE, type CommandRunnerOptions, createCommandRunner } from './command-runner.js';
export { createFunctionRunner, FUNCTION_RESOURCE, type FunctionRunnerOptions } from './function-runner.js';
export { createMlRunners, ML_RESOURCES, type MlRunnerOptions, type RoundSink } from './ml-resources.js';
export { DEFAULT_MAX_OUTPUT_BYTES, RunnerErrors } from './task-input.js';
export type { FunctionContext } from './worker-protocol.js';
