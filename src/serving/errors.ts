/**
 * The endpoint service's failures, each with a name a workflow can Catch (`Endpoint.NotFound`, ...) and the API maps
 * to an HTTP status. A client mistake in an invocation is an InvocationError with its 4xx status.
 */

export const EndpointErrors = {
  NotFound: 'Endpoint.NotFound',
  AlreadyExists: 'Endpoint.AlreadyExists',
  /** Another create, update or delete of the endpoint is still running. */
  Updating: 'Endpoint.Updating',
  InvalidConfig: 'Endpoint.InvalidConfig',
  ModelNotFound: 'Endpoint.ModelNotFound',
  /** The endpoint is Failed: it could not be brought up. */
  Failed: 'Endpoint.Failed',
  /** The endpoint is InService but its last update failed and was rolled back. */
  UpdateFailed: 'Endpoint.UpdateFailed',
  Timeout: 'Endpoint.Timeout',
} as const;

export type EndpointErrorCode = (typeof EndpointErrors)[keyof typeof EndpointErrors];

export class EndpointError extends Error {
  readonly code: EndpointErrorCode;
  constructor(code: EndpointErrorCode, message: string) {
    super(message);
    this.name = 'EndpointError';
    this.code = code;
  }
}

/** A request the data plane refuses: `status` is 4xx for the caller's mistakes, 5xx for the server's. */
export class InvocationError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'InvocationError';
    this.status = status;
    this.code = code;
  }
}

/** The JSON body of a refused or failed invocation. */
export const errorBody = (code: string, message: string): string => JSON.stringify({ error: code, message });
