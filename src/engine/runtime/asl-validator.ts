import { createRequire } from 'node:module';
import { isJsonObject, type Problem, type SchemaProblem, validateDefinition } from '../asl/index.js';

/**
 * The asl-validator package behind the pure core's SchemaProblem port. It lives outside `engine/asl` because it loads
 * Node modules (jsonpath-plus requires `vm`), and it is CommonJS without type declarations, hence createRequire and
 * the local description of its one function.
 */
interface AslValidatorError {
  'Error code': string;
  Message: string;
  schemaError?: { instancePath: string };
}
type AslValidator = (
  definition: unknown,
  options: { checkPaths: boolean; checkArn: boolean },
) => { isValid: boolean; errors: AslValidatorError[] };

const aslValidator = createRequire(import.meta.url)('asl-validator') as AslValidator;

/**
 * asl-validator's findings as SchemaProblems. It gets a copy because it writes QueryLanguage into every state, and
 * ARN checks are off: Flywheel resources name local runners, not AWS ARNs.
 */
export function aslValidatorCheck(definition: unknown): SchemaProblem[] {
  if (!isJsonObject(definition)) return [];
  try {
    const { errors } = aslValidator(structuredClone(definition), { checkPaths: true, checkArn: false });
    return errors.map((error) => ({
      code: error['Error code'],
      message: error.Message,
      ...(error.schemaError ? { pointer: error.schemaError.instancePath } : {}),
    }));
  } catch (error) {
    return [
      { code: 'SCHEMA_VALIDATION_FAILED', message: `could not check the definition: ${(error as Error).message}` },
    ];
  }
}

/** validateDefinition with asl-validator's schema checks added: what the server and CLI run on a definition. */
export function validateWithAslValidator(definition: unknown): Problem[] {
  return validateDefinition(definition, { schemaCheck: aslValidatorCheck });
}
