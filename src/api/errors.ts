import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ArtifactCorrupted, InvalidArtifactName } from '../artifacts/index.js';
import { InvalidDefinition, InvalidRequest, InvalidTaskToken } from '../engine/runtime/index.js';
import { AlreadyExists, InvalidState, NotFound } from '../store/index.js';
import { InvalidInput } from '../tracking/index.js';

/** A request the API rejects before calling a service: the message says which field and what was expected. */
export class BadRequest extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BadRequest';
  }
}

/** Maps the services' precise exceptions to HTTP answers: 4xx with a reason for the caller's mistakes, 500 otherwise. */
export function errorResponse(c: Context, error: unknown): Response {
  const send = (status: ContentfulStatusCode, body: Record<string, unknown>): Response => c.json(body, status);
  if (error instanceof InvalidDefinition) {
    return send(400, { error: 'InvalidDefinition', message: error.message, problems: error.problems });
  }
  if (error instanceof BadRequest || error instanceof InvalidRequest)
    return send(400, { error: 'BadRequest', message: error.message });
  if (error instanceof InvalidTaskToken) return send(400, { error: error.code, message: error.message });
  if (error instanceof InvalidInput || error instanceof InvalidArtifactName) {
    return send(400, { error: 'BadRequest', message: error.message });
  }
  if (error instanceof InvalidState) return send(409, { error: 'InvalidState', message: error.message });
  if (error instanceof ArtifactCorrupted) return send(500, { error: 'ArtifactCorrupted', message: error.message });
  if (error instanceof NotFound) return send(404, { error: 'NotFound', message: error.message });
  if (error instanceof AlreadyExists) return send(409, { error: 'AlreadyExists', message: error.message });
  const message = error instanceof Error ? error.message : String(error);
  return send(500, { error: 'InternalError', message });
}
