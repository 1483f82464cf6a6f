/**
 * Endpoint task resources for workflows: create, update, describe, and wait until InService. They run in the
 * server process (they only call the endpoint service; models run in replicas). Failures are TaskFailures whose
 * names a workflow can Catch: `Endpoint.NotFound`, `Endpoint.Updating`, `Endpoint.Failed`, ...
 */
import type { Json, JsonObject } from '../engine/asl/index.js';
import { TaskFailure, type TaskRunner } from '../engine/runtime/index.js';
import { RunnerErrors } from '../runners/index.js';
import { type EndpointConfig, InvalidEndpointConfig, parseEndpointConfig, singleModelConfig } from './config.js';
import type { EndpointService } from './endpoint-service.js';
import type { EndpointView } from './endpoint-view.js';
import { EndpointError, EndpointErrors } from './errors.js';

export const ENDPOINT_RESOURCES = {
  create: 'flywheel:endpoint.create',
  update: 'flywheel:endpoint.update',
  describe: 'flywheel:endpoint.describe',
  waitInService: 'flywheel:endpoint.waitInService',
} as const;

const invalid = (resource: string, message: string): TaskFailure =>
  new TaskFailure(RunnerErrors.InvalidTaskInput, `${resource}: ${message}`);

function fields(resource: string, input: Json, known: string[]): JsonObject {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw invalid(resource, `the task input must be an object with the fields ${known.join(', ')}`);
  }
  const unknown = Object.keys(input).filter((k) => !known.includes(k));
  if (unknown.length > 0)
    throw invalid(resource, `unknown field ${unknown.join(', ')} (known fields: ${known.join(', ')})`);
  if (typeof input.EndpointName !== 'string') throw invalid(resource, 'EndpointName must be a string');
  return input;
}

/** `Config` (variants and capture), or `Model` with optional `Replicas` and `CapturePercent`. */
function configOf(resource: string, input: JsonObject): EndpointConfig {
  const { Config, Model, Replicas, CapturePercent } = input;
  if ((Config === undefined) === (Model === undefined)) throw invalid(resource, 'give either Model or Config');
  try {
    if (Config !== undefined) return parseEndpointConfig(Config, `${resource} Config`);
    if (typeof Model !== 'string') throw invalid(resource, 'Model must be a model file path or "group:version"');
    if (Replicas !== undefined && typeof Replicas !== 'number') throw invalid(resource, 'Replicas must be a number');
    if (CapturePercent !== undefined && typeof CapturePercent !== 'number') {
      throw invalid(resource, 'CapturePercent must be a number');
    }
    return singleModelConfig(Model, Replicas ?? 1, CapturePercent);
  } catch (error) {
    if (error instanceof InvalidEndpointConfig) throw invalid(resource, error.message);
    throw error;
  }
}

/** Turns the service's errors into TaskFailures named as the service names them. */
async function asTask(work: () => Promise<EndpointView>): Promise<Json> {
  try {
    return (await work()) as unknown as Json;
  } catch (error) {
    if (error instanceof EndpointError) throw new TaskFailure(error.code, error.message);
    if (error instanceof InvalidEndpointConfig) throw new TaskFailure(EndpointErrors.InvalidConfig, error.message);
    throw error;
  }
}

/** The four runners by resource name, for `engine.registerRunner`. */
export function createEndpointRunners(service: EndpointService): Record<string, TaskRunner> {
  const { create, update, describe, waitInService } = ENDPOINT_RESOURCES;
  const configFields = ['EndpointName', 'Model', 'Config', 'Replicas', 'CapturePercent'];
  return {
    [create]: {
      run: (request) => {
        const input = fields(create, request.input, configFields);
        return asTask(() => service.create(input.EndpointName as string, configOf(create, input)));
      },
    },
    [update]: {
      run: (request) => {
        const input = fields(update, request.input, configFields);
        return asTask(() => service.update(input.EndpointName as string, configOf(update, input)));
      },
    },
    [describe]: {
      run: (request) => {
        const input = fields(describe, request.input, ['EndpointName']);
        return asTask(() => service.describe(input.EndpointName as string));
      },
    },
    [waitInService]: {
      run: (request, signal) => {
        const input = fields(waitInService, request.input, ['EndpointName', 'TimeoutSeconds']);
        const seconds = input.TimeoutSeconds ?? 600;
        if (typeof seconds !== 'number' || !(seconds > 0))
          throw invalid(waitInService, 'TimeoutSeconds must be a positive number');
        return asTask(() => waitUntilInService(service, input.EndpointName as string, seconds * 1000, signal));
      },
    },
  };
}

/** Resolves with the endpoint once InService; fails with `Endpoint.Failed`, `Endpoint.UpdateFailed` or `Endpoint.Timeout`. */
async function waitUntilInService(
  service: EndpointService,
  name: string,
  ms: number,
  signal: AbortSignal,
): Promise<EndpointView> {
  const view = await service.waitUntilSettled(name, ms, signal);
  if (signal.aborted) throw new TaskFailure('States.TaskFailed', `waiting for endpoint "${name}" was stopped`);
  if (view.status === 'Failed')
    throw new EndpointError(EndpointErrors.Failed, `endpoint "${name}" is Failed: ${view.failureReason}`);
  if (view.status !== 'InService') {
    throw new EndpointError(EndpointErrors.Timeout, `endpoint "${name}" is still ${view.status} after ${ms / 1000} s`);
  }
  if (view.failureReason !== null) {
    throw new EndpointError(EndpointErrors.UpdateFailed, `endpoint "${name}" is InService but ${view.failureReason}`);
  }
  return view;
}
