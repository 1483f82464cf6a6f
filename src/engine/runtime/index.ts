export { aslValidatorCheck, validateWithAslValidator } from './asl-validator.js';
export { type Clock, FakeClock, systemClock, type TimerHandle } from './clock.js';
export { parseDefinition } from './definitions.js';
export { Engine, type EngineOptions, type StartExecutionRequest } from './engine.js';
export { InvalidDefinition, InvalidRequest, InvalidTaskToken } from './errors.js';
export { decodeEvent, foldHistory } from './history-codec.js';
export { createNestedExecutionRunner } from './nested-runner.js';
export { TaskFailure, type TaskRequest, type TaskRunner } from './task-runner.js';
