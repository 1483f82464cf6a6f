import type { IntegrationPattern } from './events.js';

const suffixes: [string, IntegrationPattern][] = [
  ['.waitForTaskToken', 'waitForTaskToken'],
  ['.sync:2', 'sync2'],
  ['.sync', 'sync'],
];

/** Splits a Task's Resource into the resource name and its integration pattern suffix. */
export function parseResource(resource: string): { resource: string; pattern: IntegrationPattern } {
  for (const [suffix, pattern] of suffixes) {
    if (resource.endsWith(suffix)) return { resource: resource.slice(0, -suffix.length), pattern };
  }
  return { resource, pattern: 'request' };
}
