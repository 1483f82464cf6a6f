import type { Json, JsonObject } from '../json.js';
import type { Cursor, ExecutionState } from './execution-state.js';

/** Who the execution is: the fixed part of the context object `$$`. */
export interface ExecutionIdentity {
  executionId: string;
  executionName: string;
  stateMachineName: string;
  stateMachineVersion: number;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** Builds `$$` for a state: Execution, State, StateMachine, and Task / Map.Item when given. */
export function contextObject(
  identity: ExecutionIdentity,
  state: ExecutionState,
  cursor: Cursor,
  extra: { taskToken?: string; mapItem?: { index: number; value: Json } } = {},
): JsonObject {
  const context: JsonObject = {
    Execution: {
      Id: identity.executionId,
      Input: state.input,
      Name: identity.executionName,
      RoleArn: 'arn:flywheel:iam::local:role/flywheel',
      StartTime: iso(state.startedAt),
      RedriveCount: 0,
    },
    State: {
      EnteredTime: iso(cursor.enteredAt),
      Name: cursor.state,
      RetryCount: cursor.retryCounts.reduce((a, b) => a + (b ?? 0), 0),
    },
    StateMachine: {
      Id: `flywheel:stateMachine:${identity.stateMachineName}`,
      Name: identity.stateMachineName,
      Version: identity.stateMachineVersion,
    },
  };
  if (extra.taskToken !== undefined) context.Task = { Token: extra.taskToken };
  if (extra.mapItem) context.Map = { Item: { Index: extra.mapItem.index, Value: extra.mapItem.value } };
  return context;
}
