import { StatesError } from './errors.js';

/** For tests: runs `run` and returns the StatesError it throws; anything else (or nothing) fails the test. */
export function statesError(run: () => unknown): StatesError {
  try {
    run();
  } catch (error) {
    if (error instanceof StatesError) return error;
    throw error;
  }
  throw new Error('expected a StatesError');
}
