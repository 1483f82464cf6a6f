import { ColumnProfile } from './column-profile.js';
import type { Statistics } from './model.js';

const encoder = new TextEncoder();

/**
 * A dataset's statistics built row by row: the pure core of a baseline. Byte-level readers feed `columns[i]`
 * directly and call `countRow()`; `addRow` takes text values for everything else (tests, captured requests).
 * @example
 * const profile = new DatasetProfile(['plan', 'day_mins']);
 * profile.addRow(['basic', '179.6']);
 * profile.addRow(['pro', null]);
 * const statistics = profile.statistics();
 */
export class DatasetProfile {
  readonly names: readonly string[];
  readonly columns: readonly ColumnProfile[];
  private rows = 0;

  /** `seed` seeds each column's KLL sketch (column i gets seed + i): the same data and seed give the same files. */
  constructor(names: readonly string[], options: { seed?: number } = {}) {
    const seed = options.seed ?? 0x5eed;
    this.names = [...names];
    this.columns = names.map((_, i) => new ColumnProfile({ seed: seed + i }));
  }

  /** One row of text values in column order; null is a missing value. */
  addRow(values: readonly (string | null)[]): void {
    if (values.length !== this.columns.length) {
      throw new RangeError(`a row has ${values.length} values; the dataset has ${this.columns.length} columns`);
    }
    for (const [i, value] of values.entries()) {
      const column = this.columns[i]!;
      if (value === null) column.addMissing();
      else {
        const bytes = encoder.encode(value);
        column.add(bytes, 0, bytes.length);
      }
    }
    this.rows += 1;
  }

  /** Counts a row whose values the caller fed to `columns` itself. */
  countRow(): void {
    this.rows += 1;
  }

  get itemCount(): number {
    return this.rows;
  }

  /** The statistics.json content, features in column order. */
  statistics(): Statistics {
    return {
      version: 0,
      dataset: { itemCount: this.rows },
      features: this.columns.map((column, i) => column.statistics(this.names[i]!)),
    };
  }
}
