import type { Command } from 'commander';
import type { Run, RunComparisonView } from '../../client/index.js';
import { clientFor, type GlobalOptions, UsageError } from '../context.js';
import { printJson, printTable } from '../io.js';

const number = (value: number | null | undefined): string =>
  value === null || value === undefined ? '-' : Number.isInteger(value) ? String(value) : value.toPrecision(6);

/** `auc=0.912 logloss=0.301`: the newest value of each metric (at most `max`). */
function metricSummary(run: Run, max = 4): string {
  const keys = Object.keys(run.metrics).sort();
  const shown = keys.slice(0, max).map((k) => `${k}=${number(run.metrics[k]?.last)}`);
  return keys.length > max ? `${shown.join(' ')} (+${keys.length - max})` : shown.join(' ');
}

function positiveInt(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a positive integer (got "${value}")`);
  return n;
}

function printRun(run: Run): void {
  const rows: string[][] = [
    ['run', `${run.runId} (${run.name})`],
    ['experiment', run.experiment],
    ['status', run.status],
    ['started', run.startDate],
    ['ended', run.endDate ?? '-'],
    ['execution', run.executionId === null ? '-' : `${run.executionId} state ${run.stateName}`],
    ['parent run', run.parentRunId ?? '-'],
    [
      'git',
      `${run.lineage.gitCommit ?? '-'}${run.lineage.gitDirty ? ' (dirty)' : ''} ${run.lineage.gitRepository ?? ''}`,
    ],
    ['config hash', run.lineage.configHash ?? '-'],
    ['flywheel', run.lineage.flywheelVersion],
    ...Object.entries(run.lineage.data).map(([name, sha]) => [`data ${name}`, sha]),
    ...Object.entries(run.params).map(([k, v]) => [`param ${k}`, v]),
    ...Object.entries(run.tags).map(([k, v]) => [`tag ${k}`, v]),
    ...Object.entries(run.metrics).map(([k, m]) => [
      `metric ${k}`,
      `${number(m.last)} at step ${m.lastStep} (min ${number(m.min)}, max ${number(m.max)}, ${m.count} points)`,
    ]),
    ...(run.artifacts ?? []).map((a) => [`${a.role} ${a.name}`, `${a.sha256} ${a.kind} ${a.size} bytes`]),
  ];
  printTable(['FIELD', 'VALUE'], rows);
}

function printComparison(c: RunComparisonView): void {
  const headers = ['', ...c.runs.map((r) => `${r.name} (${r.id.slice(0, 8)})`)];
  const rows: string[][] = [];
  for (const [key, values] of Object.entries(c.params.differing))
    rows.push([`param ${key}`, ...values.map((v) => v ?? '-')]);
  for (const [key, m] of Object.entries(c.metrics)) {
    const mark = (i: number) => (c.runs[i]?.id === m.bestRunId ? ' *' : '');
    rows.push([`${key} final`, ...m.final.map((v, i) => `${number(v)}${mark(i)}`)]);
    rows.push([`${key} best (${m.direction})`, ...m.best.map(number)]);
  }
  printTable(headers, rows);
  const same = Object.entries(c.params.same).map(([k, v]) => `${k}=${v}`);
  if (same.length > 0) process.stdout.write(`same in every run: ${same.join(' ')}\n`);
  process.stdout.write('* best final value\n');
}

export function runCommands(program: Command): void {
  const runs = program.command('runs').description('training runs: search, inspect and compare');
  const client = (cmd: Command) => clientFor(cmd.optsWithGlobals<GlobalOptions>());

  runs
    .command('list')
    .description('search runs, newest first unless --order-by')
    .option('--experiment <names>', 'only these experiments (comma-separated)')
    .option('--filter <expr>', `e.g. "params.max_depth = '6' and metrics.auc > 0.8 and tags.stage = 'prod'"`)
    .option('--order-by <expr>', 'e.g. "metrics.auc DESC" or "startedAt"')
    .option('--limit <n>', 'at most this many (up to 10000)', '100')
    .option('--json', 'print JSON')
    .action(
      async (
        opts: { experiment?: string; filter?: string; orderBy?: string; limit: string; json?: boolean },
        cmd: Command,
      ) => {
        const list = await client(cmd).listRuns({
          limit: positiveInt(opts.limit, '--limit'),
          ...(opts.experiment !== undefined && { experiment: opts.experiment }),
          ...(opts.filter !== undefined && { filter: opts.filter }),
          ...(opts.orderBy !== undefined && { orderBy: opts.orderBy }),
        });
        if (opts.json) printJson({ runs: list });
        else
          printTable(
            ['RUN ID', 'NAME', 'EXPERIMENT', 'STATUS', 'STARTED', 'METRICS'],
            list.map((r) => [r.runId, r.name, r.experiment, r.status, r.startDate, metricSummary(r)]),
          );
      },
    );

  runs
    .command('show <runId>')
    .description('a run: lineage, params, tags, metrics and artifacts')
    .option('--json', 'print JSON')
    .action(async (runId: string, opts: { json?: boolean }, cmd: Command) => {
      const run = await client(cmd).getRun(runId);
      if (opts.json) printJson(run);
      else printRun(run);
    });

  runs
    .command('compare <runIds...>')
    .description('params that differ, and final and best value of each metric, side by side')
    .option('--json', 'print JSON')
    .action(async (runIds: string[], opts: { json?: boolean }, cmd: Command) => {
      const comparison = await client(cmd).compareRuns(runIds);
      if (opts.json) printJson(comparison);
      else printComparison(comparison);
    });
}
