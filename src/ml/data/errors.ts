/**
 * Why a data prep failed, as the error name a pipeline's Retry and Catch match (the ML task resource passes
 * `error` through as the ASL error).
 */
export const PrepErrors = {
  /** The spec is wrong: a key, a path, a column a step names. Fix the spec; retrying will not help. */
  InvalidSpec: 'DataPrep.InvalidSpec',
  /** The input cannot be read at all: no file matches, an unreadable file, a failing SQL transform. */
  BadInput: 'DataPrep.BadInput',
  /** More rows were rejected than `maxRejectedRows` allows; `report` holds the count and the first examples. */
  TooManyRejectedRows: 'DataPrep.TooManyRejectedRows',
  /** The caller's signal aborted the run. */
  Aborted: 'DataPrep.Aborted',
} as const;
export type PrepErrorName = (typeof PrepErrors)[keyof typeof PrepErrors];

/** A row the prep could not use, with where it came from. */
export interface RejectedRow {
  /** The input file, or null when a SQL transform dropped the row's origin. */
  file: string | null;
  /**
   * CSV: the record's line (the header is line 1; a record is one line unless quoted fields span lines).
   * JSON Lines: the line. Parquet: the row number in the file, from 1. Null when the origin is unknown.
   */
  line: number | null;
  reason: string;
  /** CSV parse errors: the raw line. Value errors: the row as read, its values joined by the delimiter. */
  text: string;
}

export interface RejectReport {
  rejectedRows: number;
  /** The first few rejects: read errors first, then each step's, in input order. */
  rejects: RejectedRow[];
}

/** A failed prep. The message says what was wrong, where and what to do. */
export class PrepError extends Error {
  readonly error: PrepErrorName;
  readonly report: RejectReport | undefined;

  constructor(error: PrepErrorName, message: string, report?: RejectReport) {
    super(message);
    this.name = 'PrepError';
    this.error = error;
    this.report = report;
  }
}
