/**
 * The errors the ASL specification predefines. A workflow failure is data ({ error, cause }) recorded in history and
 * matched by ErrorEquals; inside the pure core it travels as a thrown StatesError and is turned back into data by the
 * interpreter before anything is recorded.
 */
export const StatesErrors = {
  ALL: 'States.ALL',
  HeartbeatTimeout: 'States.HeartbeatTimeout',
  Timeout: 'States.Timeout',
  TaskFailed: 'States.TaskFailed',
  Permissions: 'States.Permissions',
  ResultPathMatchFailure: 'States.ResultPathMatchFailure',
  ParameterPathFailure: 'States.ParameterPathFailure',
  QueryEvaluationError: 'States.QueryEvaluationError',
  BranchFailed: 'States.BranchFailed',
  NoChoiceMatched: 'States.NoChoiceMatched',
  IntrinsicFailure: 'States.IntrinsicFailure',
  ExceedToleratedFailureThreshold: 'States.ExceedToleratedFailureThreshold',
  ItemReaderFailed: 'States.ItemReaderFailed',
  ResultWriterFailed: 'States.ResultWriterFailed',
  Runtime: 'States.Runtime',
  DataLimitExceeded: 'States.DataLimitExceeded',
} as const;

/** A failure with an ASL error name and a human-readable cause. */
export interface Failure {
  error: string;
  cause: string;
}

/** Thrown inside the pure core; the interpreter converts it to a Failure. */
export class StatesError extends Error {
  readonly error: string;
  readonly causeText: string;
  constructor(error: string, cause: string) {
    super(`${error}: ${cause}`);
    this.name = 'StatesError';
    this.error = error;
    this.causeText = cause;
  }

  toFailure(): Failure {
    return { error: this.error, cause: this.causeText };
  }
}
