import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { FlywheelClient } from '../client/index.js';
import { DataDir } from '../data-dir/index.js';
import { type RunningServer, startServer } from '../server/index.js';
import { loadPipelineConfig } from './config.js';
import { followExecution } from './progress.js';
import { PROJECT_FILES } from './project.js';

export const PIPELINE_STATE_MACHINE = 'ml-pipeline';

export interface RunPipelineOptions {
  dir: string;
  dataDir: string;
  server?: string;
  token?: string;
  /** Always start an embedded server, even if one is recorded or FLYWHEEL_URL is set (the demo). */
  embedded?: boolean;
  /** Progress lines (state by state, training rounds); nothing when absent. */
  write?: (line: string) => void;
  log?: (message: string) => void;
}

export interface PipelineResult {
  executionId: string;
  status: string;
  error?: string | null;
  cause?: string | null;
  modelGroup?: string;
  modelVersion?: number;
  gate?: { passed: boolean; verdict: string; metrics: Record<string, number | null> };
  endpointName?: string;
  invocationUrl?: string;
  samplePrediction?: { features: string; prediction: string; variant: string | null };
  durationMs: number;
}

/** The server recorded in the data directory (or given), if it answers. */
async function runningServer(options: RunPipelineOptions): Promise<FlywheelClient | undefined> {
  const dataDir = new DataDir(options.dataDir);
  const url = options.server || process.env.FLYWHEEL_URL || dataDir.readServerInfo()?.url;
  if (!url) return undefined;
  const client = new FlywheelClient(url, options.token || process.env.FLYWHEEL_TOKEN || dataDir.existingToken());
  try {
    await client.health();
    return client;
  } catch {
    return undefined;
  }
}

/**
 * `flywheel ml run [dir]`: puts the project's workflow on the local server (starting an embedded one for the
 * duration when none runs), runs it with the project's config as input, follows it, and ends with the endpoint's URL
 * and a sample prediction.
 */
export async function runPipeline(options: RunPipelineOptions): Promise<PipelineResult> {
  const dir = resolve(options.dir);
  const config = loadPipelineConfig(join(dir, PROJECT_FILES.config));
  const definition: unknown = JSON.parse(readFileSync(join(dir, PROJECT_FILES.definition), 'utf8'));
  const started = Date.now();
  let embedded: RunningServer | undefined;
  let client = options.embedded ? undefined : await runningServer(options);
  if (!client) {
    embedded = await startServer({
      dataDir: options.dataDir,
      host: '127.0.0.1',
      port: 0,
      cwd: dir,
      log: options.log ?? (() => {}),
    });
    client = new FlywheelClient(embedded.url, embedded.token);
  }
  try {
    const exists = await client.describeStateMachine(PIPELINE_STATE_MACHINE).then(
      () => true,
      () => false,
    );
    if (exists) await client.updateStateMachine(PIPELINE_STATE_MACHINE, definition);
    else await client.createStateMachine(PIPELINE_STATE_MACHINE, definition);
    const execution = await client.startExecution(PIPELINE_STATE_MACHINE, { config, projectDir: dir });
    const metric = `validation-${String(config.hyperparameters.eval_metric ?? 'logloss').split(',')[0]}`;
    const rounds = Number(config.hyperparameters.num_round);
    if (options.write) {
      options.write(`execution ${execution.executionId} of ${PIPELINE_STATE_MACHINE} on ${client.baseUrl}`);
      await followExecution(client, execution.executionId, {
        write: options.write,
        roundMetric: metric,
        totalRounds: Number.isFinite(rounds) ? rounds : undefined,
      });
    }
    const done = await client.waitForExecution(execution.executionId);
    const result: PipelineResult = {
      executionId: done.executionId,
      status: done.status,
      durationMs: Date.now() - started,
    };
    if (done.status !== 'SUCCEEDED') return { ...result, error: done.error, cause: done.cause };
    const output = done.output as {
      modelGroup: string;
      modelVersion: number;
      gate: PipelineResult['gate'];
      endpoint: { name: string; invocationUrl: string };
      testFile?: string;
    };
    const sample = await samplePrediction(output.endpoint.invocationUrl, output.testFile);
    return {
      ...result,
      modelGroup: output.modelGroup,
      modelVersion: output.modelVersion,
      ...(output.gate && { gate: output.gate }),
      endpointName: output.endpoint.name,
      invocationUrl: output.endpoint.invocationUrl,
      ...(sample && { samplePrediction: sample }),
    };
  } finally {
    await embedded?.close();
  }
}

/** Invokes the endpoint with the first row of the prepared test split (features only). */
async function samplePrediction(
  url: string,
  testFile: string | undefined,
): Promise<PipelineResult['samplePrediction']> {
  let line: string | undefined;
  try {
    line = testFile === undefined ? undefined : readFileSync(testFile, 'utf8').split('\n')[0];
  } catch {
    return undefined;
  }
  if (!line) return undefined;
  const features = line.slice(line.indexOf(',') + 1);
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: features });
  const text = (await response.text()).trim();
  if (!response.ok) throw new Error(`the endpoint answered ${response.status}: ${text}`);
  const variant =
    response.headers.get('x-flywheel-invoked-variant') ?? response.headers.get('x-amzn-invoked-production-variant');
  return { features, prediction: text, variant };
}
