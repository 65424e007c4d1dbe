import { isRecord } from '../../shared/objects.js';
import { TemplateError } from './template-error.js';

/**
 * What `Ref: AWS::NoValue` resolves to: the key (or list item) holding it is removed
 * ("Pseudo parameters reference", AWS::NoValue: "Removes the corresponding resource property when
 * specified as a return value in the Fn::If intrinsic function").
 */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');

/** A resolved value, or the marker that removes it. */
export type Resolved = unknown;

/** What the intrinsic functions can look up: the template's names, and its resources' attributes. */
export interface IntrinsicScope {
  /** `Ref` of a parameter, pseudo parameter or resource; `undefined` when the name is unknown. */
  ref(name: string): unknown;
  /** `Fn::GetAtt` of a resource; throws TemplateError for an unknown resource or attribute. */
  getAtt(logicalId: string, attribute: string): unknown;
  /** The value of a named condition. */
  condition(name: string): boolean;
}

const FUNCTION_KEYS = new Set([
  'Ref',
  'Fn::Sub',
  'Fn::GetAtt',
  'Fn::If',
  'Fn::Join',
  'Fn::Split',
  'Fn::Select',
  'Fn::Equals',
  'Fn::Not',
  'Fn::And',
  'Fn::Or',
  'Condition',
  'Fn::FindInMap',
  'Fn::Base64',
  'Fn::Cidr',
  'Fn::ImportValue',
  'Fn::GetAZs',
  'Fn::Transform',
  'Fn::ToJsonString',
  'Fn::Length',
]);

/** The one intrinsic function an object is, if it is one (a one-key object whose key names a function). */
const intrinsicOf = (value: Record<string, unknown>): [string, unknown] | undefined => {
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const key = keys[0] as string;
  // `Condition: Name` is a function only with a string (inside Fn::And/Or/Not); an IAM statement's
  // `Condition` holds an object, and a resource's sits beside Type and Properties.
  if (key === 'Condition' && typeof value[key] !== 'string') return undefined;
  return FUNCTION_KEYS.has(key) ? [key, value[key]] : undefined;
};

const fail = (path: string, message: string): never => {
  throw new TemplateError([`${path}: ${message}`]);
};

const asString = (value: unknown, path: string, what: string): string => {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return fail(path, `${what} must be a string (got ${JSON.stringify(value)})`);
};

const asList = (value: unknown, path: string, what: string): unknown[] =>
  Array.isArray(value) ? value.filter((item) => item !== NO_VALUE) : fail(path, `${what} must be a list`);

/**
 * `Fn::Sub` template text: `${Name}` is a Ref, `${Resource.Attribute}` a GetAtt, `${!Literal}` the
 * literal `${Literal}` (Fn::Sub page, "Variables" and "Literal"). Variables given in the
 * two-argument form win over template names.
 */
const substitute = (text: string, variables: Record<string, unknown>, scope: IntrinsicScope, path: string): string =>
  text.replace(/\$\{([^}]*)\}/g, (_match, inner: string) => {
    if (inner.startsWith('!')) return `\${${inner.slice(1)}}`;
    const name = inner.trim();
    if (name in variables) return asString(variables[name], path, `Fn::Sub variable ${name}`);
    const dot = name.indexOf('.');
    if (dot > 0 && !name.startsWith('AWS::')) {
      return asString(scope.getAtt(name.slice(0, dot), name.slice(dot + 1)), path, `\${${name}}`);
    }
    const value = scope.ref(name);
    if (value === undefined) return fail(path, `Fn::Sub names ${name}, which is not a parameter or resource`);
    if (value === NO_VALUE) return fail(path, `Fn::Sub cannot use AWS::NoValue`);
    return asString(value, path, `\${${name}}`);
  });

/** `Fn::Equals` compares values as CloudFormation does: as strings (a Number parameter is a string). */
const equalValues = (a: unknown, b: unknown): boolean =>
  Array.isArray(a) || Array.isArray(b) || isRecord(a) || isRecord(b)
    ? JSON.stringify(a) === JSON.stringify(b)
    : String(a) === String(b);

/**
 * Evaluates a condition expression (Conditions section, or an Fn::If's first argument resolved by
 * name): Fn::Equals, Fn::Not, Fn::And, Fn::Or and Condition ("Condition functions" page).
 */
export const evaluateCondition = (expression: unknown, scope: IntrinsicScope, path: string): boolean => {
  if (!isRecord(expression)) return fail(path, 'a condition must be Fn::Equals, Fn::Not, Fn::And, Fn::Or or Condition');
  const fn = intrinsicOf(expression);
  if (!fn) return fail(path, 'a condition must be Fn::Equals, Fn::Not, Fn::And, Fn::Or or Condition');
  const [name, args] = fn;
  switch (name) {
    case 'Fn::Equals': {
      if (!Array.isArray(args) || args.length !== 2) return fail(path, 'Fn::Equals takes two values');
      return equalValues(
        resolveValue(args[0], scope, `${path}/Fn::Equals/0`),
        resolveValue(args[1], scope, `${path}/Fn::Equals/1`),
      );
    }
    case 'Fn::Not': {
      if (!Array.isArray(args) || args.length !== 1) return fail(path, 'Fn::Not takes one condition');
      return !evaluateCondition(args[0], scope, `${path}/Fn::Not`);
    }
    case 'Fn::And':
    case 'Fn::Or': {
      // "between 2 and 10 conditions" (Condition functions page).
      if (!Array.isArray(args) || args.length < 2 || args.length > 10)
        return fail(path, `${name} takes 2 to 10 conditions`);
      const values = args.map((arg, i) => evaluateCondition(arg, scope, `${path}/${name}/${i}`));
      return name === 'Fn::And' ? values.every(Boolean) : values.some(Boolean);
    }
    case 'Condition':
      return scope.condition(asString(args, path, 'Condition'));
    default:
      return fail(path, `${name} is not a condition function`);
  }
};

const resolveFunction = (name: string, args: unknown, scope: IntrinsicScope, path: string): Resolved => {
  const here = `${path}/${name}`;
  switch (name) {
    case 'Ref': {
      const target = asString(args, here, 'Ref');
      const value = scope.ref(target);
      return value === undefined ? fail(here, `${target} is not a parameter, pseudo parameter or resource`) : value;
    }
    case 'Fn::GetAtt': {
      // Both forms: "Resource.Attribute" and [Resource, Attribute] (Fn::GetAtt page).
      const parts =
        typeof args === 'string' && args.includes('.')
          ? [args.slice(0, args.indexOf('.')), args.slice(args.indexOf('.') + 1)]
          : args;
      if (!Array.isArray(parts) || parts.length !== 2)
        return fail(here, 'Fn::GetAtt takes a resource and an attribute');
      const [logicalId, attribute] = parts.map((part, i) =>
        asString(resolveValue(part, scope, `${here}/${i}`), here, 'Fn::GetAtt'),
      );
      return scope.getAtt(logicalId as string, attribute as string);
    }
    case 'Fn::Sub': {
      if (typeof args === 'string') return substitute(args, {}, scope, here);
      if (!Array.isArray(args) || args.length !== 2 || !isRecord(args[1])) {
        return fail(here, 'Fn::Sub takes a string, or [string, {variables}]');
      }
      const variables = resolveValue(args[1], scope, `${here}/1`) as Record<string, unknown>;
      return substitute(asString(args[0], here, 'Fn::Sub text'), variables, scope, here);
    }
    case 'Fn::If': {
      if (!Array.isArray(args) || args.length !== 3) return fail(here, 'Fn::If takes [condition, then, else]');
      const chosen = scope.condition(asString(args[0], here, 'Fn::If condition')) ? args[1] : args[2];
      return resolveValue(chosen, scope, here);
    }
    case 'Fn::Join': {
      if (!Array.isArray(args) || args.length !== 2) return fail(here, 'Fn::Join takes [delimiter, list]');
      const list = asList(resolveValue(args[1], scope, `${here}/1`), here, 'Fn::Join list');
      return list
        .map((item) => asString(item, here, 'Fn::Join item'))
        .join(asString(args[0], here, 'Fn::Join delimiter'));
    }
    case 'Fn::Split': {
      if (!Array.isArray(args) || args.length !== 2) return fail(here, 'Fn::Split takes [delimiter, string]');
      const text = asString(resolveValue(args[1], scope, `${here}/1`), here, 'Fn::Split source');
      return text.split(asString(args[0], here, 'Fn::Split delimiter'));
    }
    case 'Fn::Select': {
      if (!Array.isArray(args) || args.length !== 2) return fail(here, 'Fn::Select takes [index, list]');
      const index = Number(asString(resolveValue(args[0], scope, `${here}/0`), here, 'Fn::Select index'));
      const list = asList(resolveValue(args[1], scope, `${here}/1`), here, 'Fn::Select list');
      // "The index must be a value from zero to N-1" (Fn::Select page): out of range fails the stack.
      if (!Number.isInteger(index) || index < 0 || index >= list.length) {
        return fail(here, `Fn::Select index ${index} is out of range for a list of ${list.length}`);
      }
      return list[index];
    }
    case 'Fn::Equals':
    case 'Fn::Not':
    case 'Fn::And':
    case 'Fn::Or':
    case 'Condition':
      return evaluateCondition({ [name]: args }, scope, path);
    default:
      return fail(here, `${name} is not supported by the sandbox (template.yaml does not use it)`);
  }
};

/**
 * Resolves every intrinsic function inside `value`, depth first. A key or list item that resolves
 * to AWS::NoValue is removed; `NO_VALUE` itself is returned when `value` as a whole is removed.
 * `path` names where the value sits (for error messages), e.g. `Resources/LedgerTable/Properties`.
 */
export const resolveValue = (value: unknown, scope: IntrinsicScope, path: string): Resolved => {
  if (Array.isArray(value)) {
    return value.map((item, i) => resolveValue(item, scope, `${path}/${i}`)).filter((item) => item !== NO_VALUE);
  }
  if (!isRecord(value)) return value;
  const fn = intrinsicOf(value);
  if (fn) return resolveFunction(fn[0], fn[1], scope, path);
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const resolved = resolveValue(item, scope, `${path}/${key}`);
    if (resolved !== NO_VALUE) out[key] = resolved;
  }
  return out;
};
