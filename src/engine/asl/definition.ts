import type { Json, JsonObject } from './json.js';

/**
 * Amazon States Language definitions, JSONPath flavour. Field names are spelled exactly as the specification spells
 * them so a definition parsed from JSON is one of these types once `validateDefinition` has accepted it.
 */
export interface StateMachineDefinition {
  Comment?: string;
  StartAt: string;
  States: Record<string, State>;
  TimeoutSeconds?: number;
  Version?: string;
  QueryLanguage?: 'JSONPath';
}

/** The StartAt/States pair of a Parallel branch or a Map item processor. */
export interface SubMachine {
  Comment?: string;
  StartAt: string;
  States: Record<string, State>;
  ProcessorConfig?: { Mode?: 'INLINE' | 'DISTRIBUTED'; ExecutionType?: 'STANDARD' | 'EXPRESS' };
}

export type State =
  | PassState
  | TaskState
  | ChoiceState
  | WaitState
  | SucceedState
  | FailState
  | ParallelState
  | MapState;
export type StateType = State['Type'];

interface Transition {
  Next?: string;
  End?: boolean;
}

interface InputOutput {
  Comment?: string;
  InputPath?: string | null;
  OutputPath?: string | null;
}

export interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: 'FULL' | 'NONE';
}

export interface Catcher {
  ErrorEquals: string[];
  Next: string;
  ResultPath?: string | null;
}

export interface PassState extends InputOutput, Transition {
  Type: 'Pass';
  Result?: Json;
  ResultPath?: string | null;
  Parameters?: JsonObject;
}

export interface TaskState extends InputOutput, Transition {
  Type: 'Task';
  Resource: string;
  Parameters?: JsonObject;
  ResultSelector?: JsonObject;
  ResultPath?: string | null;
  Retry?: Retrier[];
  Catch?: Catcher[];
  TimeoutSeconds?: number;
  TimeoutSecondsPath?: string;
  HeartbeatSeconds?: number;
  HeartbeatSecondsPath?: string;
  Credentials?: JsonObject;
}

export interface ChoiceState extends InputOutput {
  Type: 'Choice';
  Choices: ChoiceRule[];
  Default?: string;
}

/** A top-level choice rule carries Next; nested rules (inside And/Or/Not) do not. */
export type ChoiceRule = ChoiceExpression & { Next?: string; Comment?: string };

export type ChoiceExpression =
  | { And: ChoiceRule[] }
  | { Or: ChoiceRule[] }
  | { Not: ChoiceRule }
  | ({ Variable: string } & Record<string, Json>);

export interface WaitState extends InputOutput, Transition {
  Type: 'Wait';
  Seconds?: number;
  Timestamp?: string;
  SecondsPath?: string;
  TimestampPath?: string;
}

export interface SucceedState extends InputOutput {
  Type: 'Succeed';
}

export interface FailState {
  Type: 'Fail';
  Comment?: string;
  Error?: string;
  ErrorPath?: string;
  Cause?: string;
  CausePath?: string;
}

export interface ParallelState extends InputOutput, Transition {
  Type: 'Parallel';
  Branches: SubMachine[];
  Parameters?: JsonObject;
  ResultSelector?: JsonObject;
  ResultPath?: string | null;
  Retry?: Retrier[];
  Catch?: Catcher[];
}

export interface MapState extends InputOutput, Transition {
  Type: 'Map';
  ItemProcessor?: SubMachine;
  /** The older name of ItemProcessor; still accepted by AWS. */
  Iterator?: SubMachine;
  ItemsPath?: string;
  ItemSelector?: JsonObject;
  /** The older name of ItemSelector. */
  Parameters?: JsonObject;
  MaxConcurrency?: number;
  MaxConcurrencyPath?: string;
  ToleratedFailurePercentage?: number;
  ToleratedFailurePercentagePath?: string;
  ToleratedFailureCount?: number;
  ToleratedFailureCountPath?: string;
  ResultSelector?: JsonObject;
  ResultPath?: string | null;
  Retry?: Retrier[];
  Catch?: Catcher[];
  Label?: string;
}
