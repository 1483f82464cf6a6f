import type { Problem } from '../asl/index.js';

/** A definition failed validation; `problems` name each JSON path and what is wrong. */
export class InvalidDefinition extends Error {
  constructor(readonly problems: Problem[]) {
    super(`invalid state machine definition:\n${problems.map((p) => `  ${p.path}: ${p.message}`).join('\n')}`);
    this.name = 'InvalidDefinition';
  }
}

/** A callback presented a token that names no open task (AWS: InvalidToken / TaskTimedOut). */
export class InvalidTaskToken extends Error {
  constructor(
    readonly code: 'InvalidToken' | 'TaskTimedOut',
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}

/** A request the engine refuses as given: wrong input, unknown execution, finished execution. */
export class InvalidRequest extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidRequest';
  }
}
