/**
 * Why a baseline failed. `InvalidInput`: the options contradict each other or the data (a label column that is not
 * there, names that do not fit); fix the call. `BadData`: the file is missing, empty or not a regular CSV.
 */
export const BaselineErrors = {
  InvalidInput: 'Baseline.InvalidInput',
  BadData: 'Baseline.BadData',
} as const;

export class BaselineError extends Error {
  readonly kind: keyof typeof BaselineErrors;
  constructor(kind: keyof typeof BaselineErrors, message: string) {
    super(message);
    this.name = 'BaselineError';
    this.kind = kind;
  }

  /** The ASL error name a workflow's Retry and Catch match. */
  get error(): string {
    return BaselineErrors[this.kind];
  }
}
