import { isRecord } from '../../shared/objects.js';

/** A parameter's value as `Ref` returns it: a string, or a list for list types. */
export type ParameterValue = string | readonly string[];

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const LIST_TYPES = new Set(['CommaDelimitedList', 'List<Number>']);

const quoted = (value: string): string => JSON.stringify(value);

/** Problems with one value against one parameter's constraints, in CloudFormation's words. */
const constraintProblems = (name: string, declared: Record<string, unknown>, raw: string): string[] => {
  const type = typeof declared.Type === 'string' ? declared.Type : 'String';
  const problems: string[] = [];
  const got = ` (got ${quoted(raw)})`;
  // "CommaDelimitedList: ... Each member string is space trimmed" (Parameters page, "Type").
  const items = LIST_TYPES.has(type) ? raw.split(',').map((item) => item.trim()) : [raw];
  const constraint = typeof declared.ConstraintDescription === 'string' ? declared.ConstraintDescription : undefined;
  const say = (message: string) =>
    problems.push(`Parameter '${name}' ${constraint ? `failed to satisfy constraint: ${constraint}` : message}${got}`);
  for (const item of items) {
    const numeric = type === 'Number' || type === 'List<Number>';
    if (numeric && !NUMBER.test(item)) {
      say('must be a number');
      continue;
    }
    if (numeric) {
      const n = Number(item);
      if (declared.MinValue !== undefined && n < Number(declared.MinValue)) {
        say(`must be a number not less than ${String(declared.MinValue)}`);
      }
      if (declared.MaxValue !== undefined && n > Number(declared.MaxValue)) {
        say(`must be a number not greater than ${String(declared.MaxValue)}`);
      }
    }
    if (declared.MinLength !== undefined && item.length < Number(declared.MinLength)) {
      say(`must contain at least ${String(declared.MinLength)} characters`);
    }
    if (declared.MaxLength !== undefined && item.length > Number(declared.MaxLength)) {
      say(`must contain at most ${String(declared.MaxLength)} characters`);
    }
    // CloudFormation matches AllowedPattern against the whole value (Java's Pattern.matches).
    if (
      typeof declared.AllowedPattern === 'string' &&
      !new RegExp(`^(?:${declared.AllowedPattern})$`, 'u').test(item)
    ) {
      say(`must match pattern ${declared.AllowedPattern}`);
    }
    if (Array.isArray(declared.AllowedValues) && !declared.AllowedValues.map(String).includes(item)) {
      say(`must be one of AllowedValues (${declared.AllowedValues.map(String).join(', ')})`);
    }
  }
  return problems;
};

/**
 * The parameters' values, as CloudFormation validates them at CreateStack ("Parameters" page of the
 * template reference): each override replaces the Default; an override for a parameter the template
 * does not declare, a parameter with neither, and a value that breaks AllowedValues, AllowedPattern,
 * MinLength/MaxLength, MinValue/MaxValue or its Type are problems. Every problem is returned, none
 * stops the others. Types: String, Number, CommaDelimitedList, List<Number>, and AWS-specific types
 * other than SSM ones, read as strings (the sandbox has no account to check them against).
 */
export const resolveParameters = (
  declared: Readonly<Record<string, unknown>>,
  overrides: Readonly<Record<string, string>>,
): { values: Record<string, ParameterValue>; problems: string[] } => {
  const values: Record<string, ParameterValue> = {};
  const problems: string[] = [];
  const unknown = Object.keys(overrides).filter((key) => !(key in declared));
  if (unknown.length > 0) problems.push(`Parameters: [${unknown.join(', ')}] do not exist in the template`);
  const missing: string[] = [];
  for (const [name, spec] of Object.entries(declared)) {
    if (!isRecord(spec)) {
      problems.push(`Parameter '${name}' must be an object`);
      continue;
    }
    const type = typeof spec.Type === 'string' ? spec.Type : '';
    if (!['String', 'Number', ...LIST_TYPES].includes(type) && !/^(List<)?AWS::(?!SSM::)/.test(type)) {
      problems.push(`Parameter '${name}' has Type ${quoted(type)}, which the sandbox does not support`);
      continue;
    }
    const override = overrides[name];
    const raw = override ?? (spec.Default === undefined ? undefined : String(spec.Default));
    if (raw === undefined) {
      missing.push(name);
      continue;
    }
    problems.push(...constraintProblems(name, spec, raw));
    values[name] = LIST_TYPES.has(type) || type.startsWith('List<') ? raw.split(',').map((item) => item.trim()) : raw;
  }
  if (missing.length > 0) problems.push(`Parameters: [${missing.join(', ')}] must have values`);
  return { values, problems };
};

/** What `Ref` of a parameter returns: its string, or a fresh copy of its list. */
export const parameterValueOf = (value: ParameterValue): string | string[] =>
  typeof value === 'string' ? value : [...value];
