import { randomBytes } from 'node:crypto';

/** A task token names its execution and task, plus a nonce so a token cannot be guessed from ids. */
export function mintTaskToken(executionId: string, taskId: number): string {
  return Buffer.from(JSON.stringify([executionId, taskId, randomBytes(12).toString('base64url')])).toString(
    'base64url',
  );
}

export function parseTaskToken(token: string): { executionId: string; taskId: number } | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      typeof parsed[0] === 'string' &&
      Number.isInteger(parsed[1]) &&
      typeof parsed[2] === 'string'
    ) {
      return { executionId: parsed[0], taskId: parsed[1] as number };
    }
  } catch {
    // falls through: not a token of ours
  }
  return undefined;
}
