/**
 * An endpoint's configuration: its production variants (model, traffic weight, replica count) and data capture.
 * Pure: parses what a user wrote (an API body or a `--config` file) and says exactly which field was wrong.
 */

/** As SageMaker spells them. */
export const ENDPOINT_STATUSES = ['Creating', 'InService', 'Updating', 'RollingBack', 'Failed', 'Deleting'] as const;
export type EndpointStatus = (typeof ENDPOINT_STATUSES)[number];

export interface VariantConfig {
  /** Unique within the endpoint; picked by the target-variant header. */
  name: string;
  /** A model file path or a registry reference `group:version`. */
  model: string;
  /** Relative share of traffic; the weights need not add up to 1. */
  weight: number;
  replicas: number;
}

export interface CaptureConfig {
  enabled: boolean;
  /** 0-100: the share of invocations written to the capture files. */
  samplingPercentage: number;
  captureInput: boolean;
  captureOutput: boolean;
}

export interface EndpointConfig {
  variants: VariantConfig[];
  capture: CaptureConfig;
}

/** An endpoint or variant name: it appears in URLs and folder names. SageMaker's rule. */
export const NAME_PATTERN = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;
/** The variant name of an endpoint made from one model, as SageMaker names it. */
export const DEFAULT_VARIANT = 'AllTraffic';
export const MAX_REPLICAS = 32;

export const CAPTURE_OFF: CaptureConfig = {
  enabled: false,
  samplingPercentage: 0,
  captureInput: true,
  captureOutput: true,
};

/** A config the user wrote is wrong: the message names the field, what was expected and what was found. */
export class InvalidEndpointConfig extends Error {
  override name = 'InvalidEndpointConfig';
}

const show = (value: unknown): string => (value === undefined ? 'nothing' : JSON.stringify(value));
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function invalid(where: string, path: string, expected: string, found: unknown): never {
  throw new InvalidEndpointConfig(`${where}: ${path} must be ${expected} (got ${show(found)})`);
}

/** Checks an endpoint or variant name. */
export function checkName(name: unknown, where: string, path: string): string {
  if (typeof name !== 'string' || !NAME_PATTERN.test(name)) {
    invalid(where, path, '1-63 letters, digits or "-", starting and ending with a letter or digit', name);
  }
  return name;
}

function numberIn(value: unknown, where: string, path: string, min: number, max: number, integer: boolean): number {
  const ok = typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max;
  if (!ok || (integer && !Number.isInteger(value))) {
    invalid(where, path, `${integer ? 'an integer' : 'a number'} between ${min} and ${max}`, value);
  }
  return value as number;
}

function flag(value: unknown, where: string, path: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') invalid(where, path, 'true or false', value);
  return value;
}

/** Parses `{"enabled"?, "samplingPercentage", "captureInput"?, "captureOutput"?}`; absent means off. */
export function parseCaptureConfig(value: unknown, where: string, path = 'capture'): CaptureConfig {
  if (value === undefined || value === null) return CAPTURE_OFF;
  if (!isObject(value)) invalid(where, path, 'an object', value);
  const samplingPercentage = numberIn(
    value.samplingPercentage ?? 100,
    where,
    `${path}.samplingPercentage`,
    0,
    100,
    false,
  );
  const capture: CaptureConfig = {
    enabled: flag(value.enabled, where, `${path}.enabled`, true),
    samplingPercentage,
    captureInput: flag(value.captureInput, where, `${path}.captureInput`, true),
    captureOutput: flag(value.captureOutput, where, `${path}.captureOutput`, true),
  };
  if (capture.enabled && !capture.captureInput && !capture.captureOutput) {
    invalid(where, path, 'capturing the input, the output or both when enabled', value);
  }
  return capture;
}

/**
 * Parses a whole config: `{"variants": [{"name", "model", "weight"?, "replicas"?}], "capture"?: {...}}`.
 * @example parseEndpointConfig({ variants: [{ name: 'A', model: 'churn:3' }] }, 'request body')
 */
export function parseEndpointConfig(value: unknown, where: string): EndpointConfig {
  if (!isObject(value)) invalid(where, 'the config', 'an object with "variants"', value);
  const list = value.variants;
  if (!Array.isArray(list) || list.length === 0) invalid(where, 'variants', 'a non-empty array', list);
  const seen = new Set<string>();
  const variants = list.map((item: unknown, i): VariantConfig => {
    const path = `variants[${i}]`;
    if (!isObject(item)) invalid(where, path, 'an object with "name" and "model"', item);
    const name = checkName(item.name ?? (list.length === 1 ? DEFAULT_VARIANT : undefined), where, `${path}.name`);
    if (seen.has(name)) invalid(where, `${path}.name`, 'unique within the endpoint', name);
    seen.add(name);
    if (typeof item.model !== 'string' || item.model.trim() === '') {
      invalid(where, `${path}.model`, 'a model file path or "group:version"', item.model);
    }
    return {
      name,
      model: item.model,
      weight: numberIn(item.weight ?? 1, where, `${path}.weight`, 0, 1e6, false),
      replicas: numberIn(item.replicas ?? 1, where, `${path}.replicas`, 1, MAX_REPLICAS, true),
    };
  });
  if (variants.every((v) => v.weight === 0)) invalid(where, 'variants[*].weight', 'above 0 for some variant', 0);
  return { variants, capture: parseCaptureConfig(value.capture, where) };
}

/** The config of an endpoint that serves one model: `flywheel endpoints create <name> --model m.json`. */
export function singleModelConfig(model: string, replicas = 1, capturePercent?: number): EndpointConfig {
  return parseEndpointConfig(
    {
      variants: [{ name: DEFAULT_VARIANT, model, weight: 1, replicas }],
      ...(capturePercent !== undefined && { capture: { samplingPercentage: capturePercent } }),
    },
    'endpoint options',
  );
}
