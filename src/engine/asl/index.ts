export { selectNext } from './choice.js';
export type * from './definition.js';
export { type Failure, StatesError, StatesErrors } from './errors.js';
export * from './interpreter/index.js';
export { evaluateIntrinsic, type IntrinsicEnv, isIntrinsic, parseIntrinsic } from './intrinsics.js';
export type { Json, JsonObject } from './json.js';
export { isJsonObject } from './json.js';
export { evaluatePath, isDefinitePath, parsePath, setReferencePath, tryEvaluatePath } from './json-path.js';
export { applyPayloadTemplate } from './payload-template.js';
export {
  formatProblems,
  type Problem,
  ProblemCodes,
  type SchemaProblem,
  type ValidateOptions,
  validateDefinition,
} from './validate.js';
