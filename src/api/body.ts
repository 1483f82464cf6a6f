import type { Context } from 'hono';
import type { Json, JsonObject } from '../engine/asl/index.js';
import { BadRequest } from './errors.js';

/** Reads a JSON object body; a malformed one is a 400 naming what was wrong. */
export async function jsonBody(c: Context): Promise<JsonObject> {
  const text = await c.req.text();
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new BadRequest(`the request body is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new BadRequest('the request body must be a JSON object');
  }
  return parsed as JsonObject;
}

export function requiredString(body: JsonObject, field: string): string {
  const value = body[field];
  if (typeof value !== 'string' || value === '') throw new BadRequest(`"${field}" must be a non-empty string`);
  return value;
}

export function optionalString(body: JsonObject, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new BadRequest(`"${field}" must be a string`);
  return value;
}

/** A definition may come as a JSON object or as its JSON text. */
export function definitionText(body: JsonObject): string {
  const value: Json | undefined = body.definition;
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  throw new BadRequest('"definition" must be the state machine definition (a JSON object or its text)');
}

export function intQuery(c: Context, name: string, fallback: number, max: number): number {
  const raw = c.req.query(name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new BadRequest(`query parameter "${name}" must be an integer between 1 and ${max} (got "${raw}")`);
  }
  return value;
}
