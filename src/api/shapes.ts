import type { ExecutionRecord, StateMachineRecord } from '../store/index.js';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** The API's view of an execution: input and output as JSON values, times as ISO strings. */
export function executionView(record: ExecutionRecord): Record<string, unknown> {
  return {
    executionId: record.id,
    name: record.name,
    stateMachineName: record.stateMachineName,
    stateMachineVersion: record.stateMachineVersion,
    status: record.status,
    input: JSON.parse(record.input),
    output: record.output === null ? null : JSON.parse(record.output),
    error: record.error,
    cause: record.cause,
    startDate: iso(record.startedAt),
    stopDate: iso(record.stoppedAt),
    parentExecutionId: record.parentId,
  };
}

export function stateMachineView(record: StateMachineRecord, withDefinition: boolean): Record<string, unknown> {
  return {
    name: record.name,
    version: record.version,
    createdAt: iso(record.createdAt),
    updatedAt: iso(record.updatedAt),
    ...(withDefinition && { definition: JSON.parse(record.definition) }),
  };
}
