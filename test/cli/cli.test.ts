import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type CliResult,
  REPO,
  runCli,
  type ServerProcess,
  startServerProcess,
  stopGracefully,
} from '../support/server-process.js';

const dir = mkdtempSync(join(tmpdir(), 'flywheel-cli-'));
let server: ServerProcess | undefined;

afterAll(async () => {
  if (server) await stopGracefully(server);
  rmSync(dir, { recursive: true, force: true });
});

const flywheel = (args: string[], cwd = dir): CliResult => runCli(args, cwd);

function file(name: string, value: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
  return path;
}

describe('flywheel workflow', () => {
  it('validate exits 0 for a valid definition and 2 with each problem and its path', () => {
    const good = file('good.json', { StartAt: 'A', States: { A: { Type: 'Succeed' } } });
    expect(flywheel(['workflow', 'validate', good]).code).toBe(0);
    const bad = file('bad.json', { StartAt: 'Train', States: { Train: { Type: 'Pass', Next: 'Evaluate' } } });
    const r = flywheel(['workflow', 'validate', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('$.States.Train.Next');
    expect(r.stderr).toContain('"Evaluate"');
    const notJson = file('broken.json', '{ "StartAt": ');
    const broken = flywheel(['workflow', 'validate', notJson]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('broken.json');
  });

  it('run --json prints exactly one JSON object and exits 0 on success, 1 on failure, 2 when invalid', () => {
    const ok = file('ok.json', {
      StartAt: 'P',
      States: { P: { Type: 'Pass', Parameters: { 'sum.$': 'States.MathAdd($.a, $.b)' }, End: true } },
    });
    const r = flywheel(['workflow', 'run', ok, '--input', '{"a":2,"b":3}', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'SUCCEEDED', output: { sum: 5 } });

    const fails = file('fails.json', {
      StartAt: 'F',
      States: { F: { Type: 'Fail', Error: 'Nope', Cause: 'by design' } },
    });
    const f = flywheel(['workflow', 'run', fails, '--json']);
    expect(f.code).toBe(1);
    expect(JSON.parse(f.stdout)).toMatchObject({ status: 'FAILED', error: 'Nope', cause: 'by design' });

    const invalid = file('invalid.json', { StartAt: 'X', States: {} });
    expect(flywheel(['workflow', 'run', invalid, '--json']).code).toBe(2);
    expect(flywheel(['workflow', 'run', ok, '--input', '{not json', '--json']).code).toBe(2);
  });

  it("run executes both task runners from the definition's folder", () => {
    file('double.mjs', 'export async function double(p) { return p.n * 2; }');
    const def = file('tasks.json', {
      StartAt: 'Double',
      States: {
        Double: {
          Type: 'Task',
          Resource: 'flywheel:function',
          Parameters: { Module: 'double.mjs', Function: 'double', 'Payload.$': '$' },
          ResultPath: '$.doubled',
          Next: 'Echo',
        },
        Echo: {
          Type: 'Task',
          Resource: 'flywheel:command',
          Parameters: { Command: ['node', '-e', 'process.stdin.pipe(process.stdout)'], 'Input.$': '$' },
          End: true,
        },
      },
    });
    const r = flywheel(['workflow', 'run', def, '--input', '{"n":21}', '--json']);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'SUCCEEDED', output: { n: 21, doubled: 42 } });
  });
});

describe('flywheel against a running server', () => {
  it('creates state machines, starts and waits for executions, and answers tasks', async () => {
    const dataDir = join(dir, 'data');
    server = await startServerProcess(dataDir);
    const def = file('sm.json', {
      StartAt: 'P',
      States: { P: { Type: 'Pass', Result: { ok: true }, ResultPath: '$.result', End: true } },
    });
    const created = flywheel([
      '--data-dir',
      dataDir,
      'state-machines',
      'create',
      'demo',
      '--definition',
      def,
      '--json',
    ]);
    expect(created.code, created.stderr).toBe(0);
    const list = flywheel(['--data-dir', dataDir, 'state-machines', 'list', '--json']);
    expect(JSON.parse(list.stdout).stateMachines.map((m: { name: string }) => m.name)).toContain('demo');

    const run = flywheel([
      '--data-dir',
      dataDir,
      'executions',
      'start',
      'demo',
      '--input',
      '{"x":1}',
      '--wait',
      '--json',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({ status: 'SUCCEEDED', output: { x: 1, result: { ok: true } } });

    const described = JSON.parse(
      flywheel(['--data-dir', dataDir, 'executions', 'describe', result.executionId, '--json']).stdout,
    );
    expect(described).toMatchObject({ executionId: result.executionId, status: 'SUCCEEDED' });
    const history = JSON.parse(
      flywheel(['--data-dir', dataDir, 'executions', 'history', result.executionId, '--json']).stdout,
    );
    expect(history.events[0].type).toBe('ExecutionStarted');

    const missing = flywheel(['--data-dir', dataDir, 'executions', 'describe', 'nope', '--json']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('does not exist');
    const badToken = flywheel(['--data-dir', dataDir, 'tasks', 'succeed', 'not-a-token']);
    expect(badToken.code).toBe(2);
    expect(badToken.stderr).toContain('InvalidToken');
  });

  it('runs the quickstart workflow with both task runners', () => {
    const quickstart = join(REPO, 'examples/quickstart');
    const r = flywheel(
      [
        'workflow',
        'run',
        join(quickstart, 'workflow.asl.json'),
        '--input-file',
        join(quickstart, 'input.json'),
        '--json',
      ],
      REPO,
    );
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.status).toBe('SUCCEEDED');
    expect(out.output.report).toMatchObject({ batches: 3, best: 1 });
    expect(out.output.report.bestScore).toBeCloseTo(0.7, 10);
    expect(out.output.mean).toBeCloseTo((0.6 + 0.7 + 0.65) / 3, 10);
  });

  it("the demo (the README's first command) runs the example ML pipeline end to end", () => {
    const r = flywheel(['demo', '--json'], REPO);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({
      status: 'SUCCEEDED',
      modelGroup: 'churn',
      modelVersion: 1,
      endpointName: 'churn-endpoint',
    });
    expect(Number(out.samplePrediction.prediction)).toBeGreaterThan(0);
  });
});
