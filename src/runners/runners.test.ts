import { rm } from 'node:fs/promises';
import { afterAll } from 'vitest';
import { buildFunctionWorker, describeRunner, writeFixtures } from './contract.js';
import { COMMAND_RESOURCE, createCommandRunner, createFunctionRunner, FUNCTION_RESOURCE } from './index.js';

// One program per runner that performs any ContractTask it is given.
const commandProgram = `
let text = '';
for await (const chunk of process.stdin) text += chunk;
const task = JSON.parse(text);
if (task.kind === 'echo') setTimeout(() => process.stdout.write(JSON.stringify(task.value)), task.delayMs ?? 0);
else if (task.kind === 'fail') {
  console.error('a log line before the error');
  console.error(JSON.stringify({ error: task.error, cause: task.cause }));
  process.exitCode = 1;
} else setInterval(() => {}, 1000);
`;

const functionModule = `
export async function perform(task) {
  if (task.kind === 'echo') {
    await new Promise((resolve) => setTimeout(resolve, task.delayMs ?? 0));
    return task.value;
  }
  if (task.kind === 'fail') {
    const error = new Error(task.cause);
    error.name = task.error;
    throw error;
  }
  return new Promise(() => {});
}
`;

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describeRunner('the command runner', async () => {
  const dir = await writeFixtures({ 'perform.mjs': commandProgram });
  dirs.push(dir);
  return {
    runner: createCommandRunner({ cwd: dir }),
    resource: COMMAND_RESOURCE,
    inputFor: (task) => ({ Command: [process.execPath, 'perform.mjs'], Input: task }),
  };
});

describeRunner('the function runner', async () => {
  const dir = await writeFixtures({ 'perform.mjs': functionModule });
  dirs.push(dir);
  const workerPath = await buildFunctionWorker(dir);
  return {
    runner: createFunctionRunner({ cwd: dir, workerPath }),
    resource: FUNCTION_RESOURCE,
    inputFor: (task) => ({ Module: 'perform.mjs', Function: 'perform', Payload: task }),
  };
});
