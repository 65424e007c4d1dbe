import { isRecord } from '../../shared/objects.js';
import { TemplateError } from './template-error.js';

/**
 * The template's Rules section, checked as CloudFormation checks it before it creates or updates
 * anything ("Rules" page of the template reference): for each rule whose RuleCondition is true (or
 * that has none), every assertion must be true, else the stack is refused with the assertion's
 * AssertDescription. Rule functions ("Rule functions" page): Fn::And, Fn::Contains,
 * Fn::EachMemberEquals, Fn::EachMemberIn, Fn::Equals, Fn::Not, Fn::Or and Ref of a parameter.
 * Written here because no library evaluates them; cfn-lint checks their shape only.
 *
 * @param rules the template's `Rules` (undefined when it has none)
 * @param parameter a parameter's value by name (a list for CommaDelimitedList), or undefined
 * @returns one problem per failed assertion, each naming its rule
 */
export const failedRules = (rules: unknown, parameter: (name: string) => unknown): string[] => {
  if (rules === undefined) return [];
  if (!isRecord(rules)) throw new TemplateError(['Rules must be an object']);
  const problems: string[] = [];
  for (const [name, rule] of Object.entries(rules)) {
    const path = `Rules/${name}`;
    if (!isRecord(rule)) throw new TemplateError([`${path} must be an object`]);
    const evaluate = (expression: unknown, where: string) => truth(expression, parameter, where);
    if (rule.RuleCondition !== undefined && !evaluate(rule.RuleCondition, `${path}/RuleCondition`)) continue;
    if (!Array.isArray(rule.Assertions) || rule.Assertions.length === 0) {
      throw new TemplateError([`${path}/Assertions must be a non-empty list`]);
    }
    rule.Assertions.forEach((assertion, i) => {
      if (!isRecord(assertion)) throw new TemplateError([`${path}/Assertions/${i} must be an object`]);
      if (evaluate(assertion.Assert, `${path}/Assertions/${i}/Assert`)) return;
      const description =
        typeof assertion.AssertDescription === 'string' ? assertion.AssertDescription : 'assertion failed';
      problems.push(`Rule ${name}: ${description}`);
    });
  }
  return problems;
};

const fail = (path: string, message: string): never => {
  throw new TemplateError([`${path}: ${message}`]);
};

/** A rule function's one argument list: `{ 'Fn::X': [...] }` -> ['Fn::X', [...]]. */
const functionOf = (expression: unknown, path: string): [string, unknown] => {
  if (!isRecord(expression) || Object.keys(expression).length !== 1) {
    return fail(path, `must be a rule function or Ref (got ${JSON.stringify(expression)})`);
  }
  const [entry] = Object.entries(expression) as [[string, unknown]];
  return entry;
};

/** A value a rule function compares: a literal, a list of them, or Ref of a parameter. */
const compared = (expression: unknown, parameter: (name: string) => unknown, path: string): unknown => {
  if (typeof expression === 'string' || typeof expression === 'number' || typeof expression === 'boolean') {
    return String(expression);
  }
  if (Array.isArray(expression)) return expression.map((item, i) => compared(item, parameter, `${path}/${i}`));
  const [name, args] = functionOf(expression, path);
  if (name !== 'Ref' || typeof args !== 'string') return fail(path, `${name} is not a value a rule can compare`);
  const value = parameter(args);
  return value === undefined ? fail(path, `Ref ${args}: rules may name parameters only`) : value;
};

const listAt = (value: unknown, path: string): string[] =>
  Array.isArray(value) ? value.map(String) : fail(path, 'must be a list');

const argsOf = (args: unknown, count: number, name: string, path: string): unknown[] =>
  Array.isArray(args) && args.length === count ? args : fail(path, `${name} takes ${count} arguments`);

const truth = (expression: unknown, parameter: (name: string) => unknown, path: string): boolean => {
  const [name, args] = functionOf(expression, path);
  const here = `${path}/${name}`;
  const value = (arg: unknown, i: number) => compared(arg, parameter, `${here}/${i}`);
  switch (name) {
    case 'Fn::Equals': {
      const [a, b] = argsOf(args, 2, name, here).map(value);
      return JSON.stringify(a) === JSON.stringify(b);
    }
    case 'Fn::Not':
      return !truth(argsOf(args, 1, name, here)[0], parameter, here);
    case 'Fn::And':
    case 'Fn::Or': {
      if (!Array.isArray(args) || args.length < 2 || args.length > 10)
        return fail(here, `${name} takes 2 to 10 conditions`);
      const values = args.map((arg, i) => truth(arg, parameter, `${here}/${i}`));
      return name === 'Fn::And' ? values.every(Boolean) : values.some(Boolean);
    }
    // "Returns true if a specified string matches at least one value in a list of strings."
    case 'Fn::Contains': {
      const [list, item] = argsOf(args, 2, name, here).map(value);
      return listAt(list, `${here}/0`).includes(String(item));
    }
    // "Returns true if a specified string matches all values in a list."
    case 'Fn::EachMemberEquals': {
      const [list, item] = argsOf(args, 2, name, here).map(value);
      return listAt(list, `${here}/0`).every((member) => member === String(item));
    }
    // "Returns true if each member in a list of strings matches at least one value in a second list of strings."
    case 'Fn::EachMemberIn': {
      const [members, allowed] = argsOf(args, 2, name, here).map(value);
      const pool = listAt(allowed, `${here}/1`);
      return listAt(members, `${here}/0`).every((member) => pool.includes(member));
    }
    default:
      return fail(here, `${name} is not a rule function`);
  }
};
