import { type Problem, parseResource, type State, type StateMachineDefinition } from '../asl/index.js';
import { validateWithAslValidator } from './asl-validator.js';
import { InvalidDefinition } from './errors.js';

function* tasks(states: Record<string, State>, path: string): Generator<{ resource: string; path: string }> {
  for (const [name, state] of Object.entries(states)) {
    const here = `${path}.States.${name}`;
    if (state.Type === 'Task') yield { resource: state.Resource, path: `${here}.Resource` };
    if (state.Type === 'Parallel') {
      for (const [i, branch] of state.Branches.entries()) yield* tasks(branch.States, `${here}.Branches[${i}]`);
    }
    if (state.Type === 'Map') {
      const processor = state.ItemProcessor ?? state.Iterator;
      if (processor) yield* tasks(processor.States, `${here}.${state.ItemProcessor ? 'ItemProcessor' : 'Iterator'}`);
    }
  }
}

/**
 * Parses and validates a definition's JSON text: the ASL checks plus "every Task names a registered resource".
 * Throws InvalidDefinition listing every problem with its JSON path.
 */
export function parseDefinition(text: string, knownResources: ReadonlySet<string>): StateMachineDefinition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new InvalidDefinition([
      {
        path: '$',
        code: 'States.Check.Json',
        message: `the definition is not valid JSON: ${(error as Error).message}`,
      },
    ]);
  }
  const problems: Problem[] = validateWithAslValidator(parsed);
  if (problems.length === 0) {
    for (const task of tasks((parsed as StateMachineDefinition).States, '$')) {
      const { resource } = parseResource(task.resource);
      if (!knownResources.has(resource)) {
        problems.push({
          path: task.path,
          code: 'UNKNOWN_RESOURCE',
          message: `Task resource "${task.resource}" is not registered (known: ${[...knownResources].sort().join(', ')})`,
        });
      }
    }
  }
  if (problems.length > 0) throw new InvalidDefinition(problems);
  return parsed as StateMachineDefinition;
}
