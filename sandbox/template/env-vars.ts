import { isRecord } from '../../shared/objects.js';
import type { ResolvedFunction } from './functions.js';
import { TemplateError } from './template-error.js';

/**
 * SAM CLI's value rule for `--env-vars` (samcli/local/lambdafn/env_vars.py, `_stringify_value`):
 * true/false become "true"/"false", other scalars their text, and lists, objects and null an empty
 * string (they are unresolved intrinsics in SAM's eyes).
 */
const stringifyOverride = (value: unknown): string => {
  if (value === null || typeof value === 'object') return '';
  return String(value);
};

/**
 * Applies a `sam local invoke --env-vars file.json` document, as SAM CLI does
 * (samcli/commands/local/lib/local_lambda.py, `_make_env_vars`, and env_vars.py `resolve`):
 * - `{"Parameters": {VAR: value}}` applies to every function;
 * - `{"<key>": {VAR: value}}` to one function, where the key is its logical id or its function
 *   name (SAM also accepts a nested stack's full path); these win over `Parameters`;
 * - only variables the template already declares for the function are overridden; others are
 *   ignored (env_vars.py resolves only the template's `Variables`);
 * - every value of the file must be an object, else the whole file is refused (SAM raises
 *   OverridesNotWellDefinedError); the error here names each bad key.
 * SAM also lets the shell's environment override declared variables; that is the invoker's call,
 * not this function's. Returns new functions; the inputs are not changed.
 */
export const applyEnvVars = (functions: readonly ResolvedFunction[], fileJson: unknown): ResolvedFunction[] => {
  if (!isRecord(fileJson)) {
    throw new TemplateError([
      '--env-vars: the file must hold a JSON object ({"Parameters": {...}, "<Function>": {...}})',
    ]);
  }
  const bad = Object.entries(fileJson)
    .filter(([, value]) => !isRecord(value))
    .map(([key, value]) => `--env-vars: ${key} must be an object of VARIABLE: value (got ${JSON.stringify(value)})`);
  if (bad.length > 0) throw new TemplateError(bad);
  const sections = fileJson as Record<string, Record<string, unknown>>;
  return functions.map((fn) => {
    const overrides = {
      ...(sections.Parameters ?? {}),
      ...(sections[fn.logicalId] ?? sections[fn.functionName] ?? {}),
    };
    const environment = Object.fromEntries(
      Object.entries(fn.environment).map(([key, value]) => [
        key,
        key in overrides ? stringifyOverride(overrides[key]) : value,
      ]),
    );
    return { ...fn, environment };
  });
};
