import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { EndpointSpec, EndpointView } from '../../client/endpoints.js';
import { clientFor, type GlobalOptions, UsageError } from '../context.js';
import { printJson, printTable, readJsonFile } from '../io.js';

interface SpecOptions {
  model?: string;
  config?: string;
  replicas?: string;
  capture?: string;
  wait?: boolean;
  json?: boolean;
}

function numberOption(
  text: string | undefined,
  flag: string,
  min: number,
  max: number,
  integer: boolean,
): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    throw new UsageError(
      `${flag} must be ${integer ? 'an integer' : 'a number'} between ${min} and ${max} (got "${text}")`,
    );
  }
  return value;
}

/** `--config FILE`, or `--model` (a local file is sent as its absolute path) with `--replicas` and `--capture`. */
function specOf(opts: SpecOptions): EndpointSpec {
  if ((opts.model === undefined) === (opts.config === undefined))
    throw new UsageError('give either --model or --config');
  if (opts.config !== undefined) {
    if (opts.replicas !== undefined || opts.capture !== undefined) {
      throw new UsageError('--replicas and --capture go with --model; a --config file sets them per variant');
    }
    return { config: readJsonFile(opts.config, 'endpoint config') };
  }
  const model = existsSync(opts.model!) ? resolve(opts.model!) : opts.model!;
  const replicas = numberOption(opts.replicas, '--replicas', 1, 32, true);
  const capturePercent = numberOption(opts.capture, '--capture', 0, 100, false);
  return {
    model,
    ...(replicas !== undefined && { replicas }),
    ...(capturePercent !== undefined && { capturePercent }),
  };
}

function printEndpoint(view: EndpointView, json: boolean | undefined): void {
  if (json) {
    printJson(view);
    return;
  }
  process.stdout.write(`${view.name} ${view.status}${view.failureReason ? ` (${view.failureReason})` : ''}\n`);
  process.stdout.write(`invocation URL: ${view.invocationUrl}\n`);
  printTable(
    ['VARIANT', 'MODEL', 'WEIGHT', 'REPLICAS', 'UP'],
    view.variants.map((v) => [v.name, v.model, String(v.weight), String(v.replicas), String(v.replicasUp)]),
  );
}

function readBody(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/** Exit 1 when the endpoint did not end up serving the config just asked for. */
const failed = (view: EndpointView): boolean => view.status !== 'InService' || view.failureReason !== null;

export function endpointCommands(program: Command): void {
  const ep = program.command('endpoints').description('serve models over HTTP on the running server');
  const client = (cmd: Command) => clientFor(cmd.optsWithGlobals<GlobalOptions>());
  const specFlags = (cmd: Command): Command =>
    cmd
      .option('--model <model>', 'a model file (XGBoost JSON) or a registry version "group:version"')
      .option('--config <file>', 'a JSON file: {"variants": [{"name", "model", "weight", "replicas"}], "capture"?}')
      .option('--replicas <n>', 'replica processes (with --model)')
      .option('--capture <percent>', 'capture this percentage of invocations (with --model)')
      .option('--wait', 'wait until InService; exit 1 if it failed')
      .option('--json', 'print JSON');

  specFlags(ep.command('create <name>').description('create an endpoint')).action(
    async (name: string, opts: SpecOptions, cmd: Command) => {
      const endpoints = client(cmd).endpoints;
      let view = await endpoints.create(name, specOf(opts));
      if (opts.wait) view = await endpoints.wait(name);
      printEndpoint(view, opts.json);
      if (opts.wait && failed(view)) process.exitCode = 1;
    },
  );

  specFlags(
    ep.command('update <name>').description('roll out a new config; the old one serves until the new one is up'),
  ).action(async (name: string, opts: SpecOptions, cmd: Command) => {
    const endpoints = client(cmd).endpoints;
    let view = await endpoints.update(name, specOf(opts));
    if (opts.wait) view = await endpoints.wait(name);
    printEndpoint(view, opts.json);
    if (opts.wait && failed(view)) process.exitCode = 1;
  });

  ep.command('describe <name>')
    .option('--json', 'print JSON')
    .action(async (name: string, opts: { json?: boolean }, cmd: Command) => {
      printEndpoint(await client(cmd).endpoints.describe(name), opts.json);
    });

  ep.command('list')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const list = await client(cmd).endpoints.list();
      if (opts.json) return printJson({ endpoints: list });
      printTable(
        ['NAME', 'STATUS', 'VARIANTS', 'UPDATED'],
        list.map((e) => [e.name, e.status, e.variants.map((v) => v.name).join(','), e.updatedAt]),
      );
    });

  ep.command('delete <name>').action(async (name: string, _opts: unknown, cmd: Command) => {
    await client(cmd).endpoints.delete(name);
  });

  ep.command('metrics <name>')
    .description('invocations, errors and latencies of the last minute and 5 minutes, per variant')
    .action(async (name: string, _opts: unknown, cmd: Command) => printJson(await client(cmd).endpoints.metrics(name)));

  ep.command('invoke <name>')
    .description('send one invocation and print the answer')
    .option('--csv <rows>', 'CSV rows (features only), e.g. "1,2,3"')
    .option('--json <body>', 'a JSON body, e.g. \'{"instances": [[1, 2, 3]]}\'')
    .option('--file <path>', 'the body from a file (.json is sent as JSON, anything else as CSV)')
    .option('--variant <name>', 'the variant to invoke (X-Flywheel-Target-Variant)')
    .action(
      async (name: string, opts: { csv?: string; json?: string; file?: string; variant?: string }, cmd: Command) => {
        const given = [opts.csv, opts.json, opts.file].filter((v) => v !== undefined);
        if (given.length !== 1) throw new UsageError('give exactly one of --csv, --json or --file');
        const isJson = opts.json !== undefined || (opts.file?.toLowerCase().endsWith('.json') ?? false);
        const body = opts.file !== undefined ? readBody(opts.file) : (opts.csv ?? opts.json)!;
        const answer = await client(cmd).endpoints.invoke(
          name,
          body,
          isJson ? 'application/json' : 'text/csv',
          opts.variant,
        );
        process.stdout.write(answer.body.endsWith('\n') ? answer.body : `${answer.body}\n`);
      },
    );
}
