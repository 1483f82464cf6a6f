import { readFileSync } from 'node:fs';
import { UsageError } from './context.js';

/** Reads `--input JSON` or `--input-file PATH` (not both); default `{}`. Bad JSON names the flag or file. */
export function readInput(options: { input?: string; inputFile?: string }): unknown {
  if (options.input !== undefined && options.inputFile !== undefined) {
    throw new UsageError('give either --input or --input-file, not both');
  }
  if (options.inputFile !== undefined) return readJsonFile(options.inputFile, 'input file');
  if (options.input !== undefined) return parseJson(options.input, '--input');
  return {};
}

export function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${what} is not valid JSON: ${(error as Error).message}`);
  }
}

export function readJsonFile(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(
      `cannot read ${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  return parseJson(text, `${what} ${path}`);
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Prints rows as an aligned table. */
export function printTable(headers: string[], rows: string[][]): void {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  process.stdout.write(`${[line(headers), ...rows.map(line)].join('\n')}\n`);
}
