import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Json } from '../engine/asl/index.js';
import { TaskFailure, type TaskRequest } from '../engine/runtime/index.js';
import { BASELINE_RESOURCE, createBaselineRunner } from './baseline-runner.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'flywheel-baseline-task-'));
  await writeFile(path.join(dir, 'train.csv'), '1,0.5,basic\n0,1.5,pro\n');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function request(input: Json, cwd?: string): TaskRequest {
  return {
    resource: BASELINE_RESOURCE,
    pattern: 'request',
    taskId: 1,
    input,
    executionId: 'e1',
    stateName: 'Baseline',
    attempt: 1,
    ...(cwd !== undefined && { cwd }),
  };
}

const run = (input: Json, cwd?: string) =>
  createBaselineRunner({ cwd: dir }).run(request(input, cwd), new AbortController().signal);

describe(BASELINE_RESOURCE, () => {
  it('builds the baseline from paths relative to the request cwd and returns where it wrote it', async () => {
    const output = await run(
      { Data: 'train.csv', Columns: ['churn', 'mins', 'plan'], Label: 'first', OutDir: 'baseline' },
      dir,
    );
    expect(output).toEqual({
      StatisticsPath: path.join(dir, 'baseline', 'statistics.json'),
      ConstraintsPath: path.join(dir, 'baseline', 'constraints.json'),
      ItemCount: 2,
      Features: [
        { Name: 'mins', InferredType: 'Fractional' },
        { Name: 'plan', InferredType: 'String' },
      ],
    });
  });

  it.each([
    [[], 'the task input must be an object with Data, Columns, Header, Label, QuotedLines, OutDir (got [])'],
    [{ Data: 'train.csv' }, 'OutDir must be a non-empty path (got nothing)'],
    [{ Data: 'train.csv', OutDir: 'o', Header: 'yes' }, 'Header must be true or false (got "yes")'],
    [
      { Data: 'train.csv', OutDir: 'o', Columns: ['a', 2] },
      'Columns must be a non-empty array of column names (got ["a",2])',
    ],
    [{ Data: 'train.csv', OutDir: 'o', Label: 3 }, 'Label must be "first", a column name, or null (got 3)'],
    [{ Data: 'train.csv', OutDir: 'o', Lable: 'first' }, 'unknown field "Lable" in the task input'],
    [{ Data: 'train.csv', OutDir: 'o', Label: 'churn' }, 'the label column "churn" is not among the columns'],
  ])('fails with Flywheel.InvalidTaskInput for %j', async (input, cause) => {
    const error = await run(input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskFailure);
    expect(error).toMatchObject({ error: 'Flywheel.InvalidTaskInput' });
    expect((error as TaskFailure).causeText).toContain(`${BASELINE_RESOURCE}: ${cause}`);
  });

  it('fails with Baseline.BadData when the data is missing', async () => {
    await expect(run({ Data: 'missing.csv', OutDir: 'o' })).rejects.toMatchObject({
      error: 'Baseline.BadData',
      causeText: expect.stringContaining(`${path.join(dir, 'missing.csv')}: no such file`),
    });
  });
});
