import { describe, expect, it } from 'vitest';
import type { StateMachineDefinition } from '../definition.js';
import type { DecideEnv } from './commands.js';
import { decide } from './decider.js';
import { evolve } from './evolve.js';
import { initialState } from './execution-state.js';

const env: DecideEnv = {
  now: 1_000,
  random: () => 0.5,
  hash: () => 'hash',
  newTaskToken: (taskId) => `token-${taskId}`,
  identity: { executionId: 'e1', executionName: 'e1', stateMachineName: 'm', stateMachineVersion: 1 },
};

function chain(n: number): StateMachineDefinition {
  const States: StateMachineDefinition['States'] = {};
  for (let i = 0; i < n; i++)
    States[`S${i}`] = i === n - 1 ? { Type: 'Pass', End: true } : { Type: 'Pass', Next: `S${i + 1}` };
  return { StartAt: 'S0', States };
}

describe('decide', () => {
  it('runs Pass states back to back in batches of at most maxTransitions, asking to continue', () => {
    const state = initialState(chain(12));
    decide(state, { kind: 'start', input: { x: 1 } }, env);
    const first = decide(state, { kind: 'continue' }, { ...env, maxTransitions: 5 });
    expect(first.more).toBe(true);
    expect(first.events.filter((e) => e.type === 'StateEntered')).toHaveLength(5);
    let rounds = 1;
    while (state.status === 'RUNNING') {
      decide(state, { kind: 'continue' }, { ...env, maxTransitions: 5 });
      rounds++;
    }
    expect(rounds).toBe(3);
    expect(state.output).toEqual({ x: 1 });
  });

  it('stops at a Task: the batch ends with TaskScheduled and the task is open', () => {
    const def: StateMachineDefinition = {
      StartAt: 'A',
      States: { A: { Type: 'Pass', Next: 'T' }, T: { Type: 'Task', Resource: 'r', TimeoutSeconds: 5, End: true } },
    };
    const state = initialState(def);
    decide(state, { kind: 'start', input: {} }, env);
    const { events, more } = decide(state, { kind: 'continue' }, env);
    expect(more).toBe(false);
    expect(events.map((e) => e.type)).toEqual(['StateExited', 'StateEntered', 'TaskScheduled', 'TimerStarted']);
    expect([...state.tasks.values()].map((t) => t.resource)).toEqual(['r']);
    expect([...state.timers.values()][0]?.fireAt).toBe(6_000);
  });

  it('fails the execution with States.Runtime instead of throwing when a definition cannot be run', () => {
    // A Choice rule with an operator no validator would accept: the interpreter must not leave the execution running.
    const def = {
      StartAt: 'C',
      States: { C: { Type: 'Choice', Choices: [{ Variable: '$.x', NoSuchOperator: 1, Next: 'C' }] } },
    } as unknown as StateMachineDefinition;
    const state = initialState(def);
    decide(state, { kind: 'start', input: { x: 1 } }, env);
    decide(state, { kind: 'continue' }, env);
    expect(state.status).toBe('FAILED');
    expect(state.error).toBe('States.Runtime');
  });

  it('folding the emitted events again gives the same state: the history is the truth', () => {
    const def = chain(3);
    const live = initialState(def);
    const events = [
      ...decide(live, { kind: 'start', input: { y: 2 } }, env).events,
      ...decide(live, { kind: 'continue' }, env).events,
    ];
    const replayed = initialState(def);
    for (const e of events) evolve(replayed, e);
    expect(replayed.status).toBe('SUCCEEDED');
    expect(replayed.output).toEqual(live.output);
    expect(replayed.eventCount).toBe(events.length);
  });
});
