import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';

/** `ml-pipeline-config.json`: what the example ML pipeline trains, gates and deploys. */
export interface PipelineConfig {
  experiment: string;
  data: { prepSpec: string };
  algorithm: 'xgboost';
  hyperparameters: Record<string, string | number>;
  gate: { conditions: string[] };
  modelGroup: string;
  endpoint: { name: string; replicas: number; capture: { enabled: boolean; samplingPercentage: number } };
  /** Where each execution's model and baseline go (`<outputDir>/<execution>/`). */
  outputDir: string;
}

/** A config file that does not fit the schema: `problems` name each key and what was expected. */
export class InvalidPipelineConfig extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(problems.map((p) => `${file}: ${p}`).join('\n'));
    this.name = 'InvalidPipelineConfig';
  }
}

const NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;
const GATE = /^\s*[A-Za-z_][\w-]*:[A-Za-z_][\w@.-]*\s*(>=|<=|==|>|<)\s*-?\d+(\.\d+)?([eE][-+]?\d+)?\s*$/;
const KNOWN = ['experiment', 'data', 'algorithm', 'hyperparameters', 'gate', 'modelGroup', 'endpoint', 'outputDir'];

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const shown = (v: unknown): string => (v === undefined ? 'nothing' : JSON.stringify(v));

/**
 * Checks a parsed config against the schema and returns it with defaults filled in; every problem names its key.
 * @example parsePipelineConfig(JSON.parse(text), 'ml-pipeline-config.json')
 */
export function parsePipelineConfig(raw: unknown, file: string): PipelineConfig {
  const problems: string[] = [];
  const want = (key: string, expected: string, got: unknown): void => {
    problems.push(`${key} must be ${expected} (got ${shown(got)})`);
  };
  if (!isObj(raw)) throw new InvalidPipelineConfig(file, [`the config must be a JSON object (got ${shown(raw)})`]);
  for (const key of Object.keys(raw))
    if (!KNOWN.includes(key)) problems.push(`${key} is not a known key (known: ${KNOWN.join(', ')})`);

  const object = (value: unknown, key: string, expected: string): Obj => {
    if (isObj(value)) return value;
    want(key, expected, value);
    return {};
  };
  const text = (value: unknown, key: string, pattern?: RegExp, expected = 'a non-empty string'): string => {
    if (typeof value !== 'string' || value === '' || (pattern && !pattern.test(value))) want(key, expected, value);
    return String(value);
  };
  const experiment = text(raw.experiment, 'experiment');
  const data = object(raw.data, 'data', 'an object with "prepSpec"');
  const prepSpec = text(
    data.prepSpec,
    'data.prepSpec',
    undefined,
    'the path of a data prep spec (e.g. "etl/prep.json")',
  );
  const algorithm = raw.algorithm ?? 'xgboost';
  if (algorithm !== 'xgboost') want('algorithm', '"xgboost"', algorithm);

  const hyperparameters: Record<string, string | number> = {};
  if (!isObj(raw.hyperparameters)) want('hyperparameters', 'an object of XGBoost hyperparameters', raw.hyperparameters);
  else {
    for (const [k, v] of Object.entries(raw.hyperparameters)) {
      if (typeof v === 'number' || typeof v === 'string') hyperparameters[k] = v;
      else want(`hyperparameters.${k}`, 'a number or a string', v);
    }
  }

  const gate = object(raw.gate, 'gate', 'an object with "conditions"');
  const conditions = Array.isArray(gate.conditions) ? gate.conditions : [];
  if (!Array.isArray(gate.conditions) || gate.conditions.length === 0) {
    want('gate.conditions', 'a non-empty array of conditions like "test:auc >= 0.85"', gate.conditions);
  }
  conditions.forEach((c, i) => {
    text(c, `gate.conditions[${i}]`, GATE, 'a condition "<channel>:<metric> <op> <number>", e.g. "test:auc >= 0.85"');
  });

  const modelGroup = text(raw.modelGroup, 'modelGroup', NAME, '1-63 letters, digits or "-"');
  const endpoint = object(raw.endpoint, 'endpoint', 'an object with "name"');
  const endpointName = text(
    endpoint.name,
    'endpoint.name',
    NAME,
    '1-63 letters, digits or "-", starting and ending with a letter or digit',
  );
  const replicas = endpoint.replicas ?? 1;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 1 || replicas > 16) {
    want('endpoint.replicas', 'an integer between 1 and 16', replicas);
  }
  const capture = endpoint.capture ?? { enabled: false, samplingPercentage: 0 };
  let enabled = false;
  let samplingPercentage = 0;
  if (!isObj(capture)) want('endpoint.capture', 'an object {"enabled", "samplingPercentage"}', capture);
  else {
    enabled = capture.enabled === undefined ? true : capture.enabled === true;
    if (capture.enabled !== undefined && typeof capture.enabled !== 'boolean')
      want('endpoint.capture.enabled', 'true or false', capture.enabled);
    samplingPercentage = typeof capture.samplingPercentage === 'number' ? capture.samplingPercentage : Number.NaN;
    if (!(samplingPercentage >= 0 && samplingPercentage <= 100)) {
      want('endpoint.capture.samplingPercentage', 'a number between 0 and 100', capture.samplingPercentage);
    }
  }
  const outputDir = raw.outputDir === undefined ? 'runs' : text(raw.outputDir, 'outputDir');

  if (problems.length > 0) throw new InvalidPipelineConfig(file, problems);
  return {
    experiment,
    data: { prepSpec },
    algorithm: 'xgboost',
    hyperparameters,
    gate: { conditions: conditions as string[] },
    modelGroup,
    endpoint: { name: endpointName, replicas: replicas as number, capture: { enabled, samplingPercentage } },
    outputDir,
  };
}

/** Reads and checks a config file, resolving its paths against the file's folder. */
export function loadPipelineConfig(file: string): PipelineConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InvalidPipelineConfig(file, [
      code ? `cannot be read (${code})` : `is not valid JSON: ${(error as Error).message}`,
    ]);
  }
  const config = parsePipelineConfig(raw, file);
  const at = (p: string): string => (isAbsolute(p) ? p : resolve(dirname(file), p));
  return { ...config, data: { prepSpec: at(config.data.prepSpec) }, outputDir: at(config.outputDir) };
}
