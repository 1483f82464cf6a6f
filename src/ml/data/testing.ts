import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { PrepResult } from './prep.js';
import { type PrepSpec, parsePrepSpec } from './spec.js';
import { splitNames } from './write-splits.js';

/**
 * Test support for src/ml/data (no test runner imports, so it builds with the rest): temp folders and specs.
 */
export interface TempDir {
  dir: string;
  file(name: string, text: string): Promise<string>;
  remove(): Promise<void>;
}

export async function tempDir(): Promise<TempDir> {
  const dir = await mkdtemp(path.join(tmpdir(), 'flywheel-prep-'));
  return {
    dir,
    async file(name, text) {
      const file = path.join(dir, name);
      await writeFile(file, text);
      return file;
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** A spec in `dir` (prep.json) from a JSON object: a CSV input, label "y", 60/20/20 split and CSV output by default. */
export function specIn(dir: string, json: Record<string, unknown>): PrepSpec {
  const base = {
    input: { path: 'data.csv', format: 'csv' },
    label: { column: 'y' },
    split: { ratios: { train: 0.6, validation: 0.2, test: 0.2 }, seed: 7 },
    output: { dir: 'out', formats: ['csv'] },
  };
  return parsePrepSpec({ ...base, ...json }, path.join(dir, 'prep.json'));
}

/** The lines of a written CSV split, without the trailing newline. */
export async function csvLines(file: string): Promise<string[]> {
  const text = await readFile(file, 'utf8');
  return text === '' ? [] : text.replace(/\n$/, '').split('\n');
}

/** Runs SQL on a throwaway in-memory DuckDB: how tests make Parquet files. */
export async function duckdb(sql: string): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run(sql);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** Every line of a result's CSV splits, sorted: what was written, whatever the split. */
export async function allCsvRows(result: PrepResult): Promise<string[]> {
  const files = splitNames.flatMap((s) => result.splits[s].filter((f) => f.format === 'csv').map((f) => f.path));
  const lines = await Promise.all(files.map(csvLines));
  return lines.flat().sort();
}
