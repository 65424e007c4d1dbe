import { BlockList, isIP } from 'node:net';
import { isRecord } from '../../shared/objects.js';

// Amazon EventBridge event patterns, as the EventBridge User Guide describes them ("Amazon
// EventBridge event patterns", "Content filtering in Amazon EventBridge event patterns",
// "Comparison operators for use in event patterns"):
// - every field of the pattern must match (AND); the values listed for a field are alternatives (OR);
// - a nested object matches the event's object at that key;
// - a field whose event value is an array matches when any element matches;
// - exact values are strings, numbers, booleans and null, compared by type and value;
// - content filters: prefix, suffix (each optionally with equals-ignore-case), anything-but (values,
//   prefix, suffix, equals-ignore-case, wildcard), numeric, exists, equals-ignore-case, wildcard,
//   cidr, and $or between field sets.
// Comparison operators work on leaf values only: an object in the event is not a value (so
// `exists: true` does not match it), as the guide says ("only works on leaf nodes").

type Json = unknown;

/** The leaf values at a field: none when absent or an object; an array's primitive elements. */
const leavesOf = (value: Json): Json[] => {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value.flatMap(leavesOf);
  return isRecord(value) ? [] : [value];
};

const exactlyEqual = (expected: Json, actual: Json): boolean =>
  expected === null ? actual === null : typeof expected === typeof actual && expected === actual;

/**
 * `wildcard`: `*` matches any run of characters; `\*` and `\\` are a literal star and backslash
 * ("Wildcard matching").
 */
const wildcardRegExp = (wildcard: string): RegExp => {
  let source = '';
  for (let i = 0; i < wildcard.length; i += 1) {
    const char = wildcard[i] as string;
    if (char === '\\' && (wildcard[i + 1] === '*' || wildcard[i + 1] === '\\')) {
      source += `\\${wildcard[i + 1]}`;
      i += 1;
    } else if (char === '*') {
      source += '.*';
    } else {
      source += char.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`, 'su');
};

const lower = (text: string): string => text.toLowerCase();

/** `prefix`/`suffix` operand: a string, or `{equals-ignore-case: string}`. */
const affixMatches = (operand: Json, value: Json, test: (value: string, affix: string) => boolean): boolean => {
  if (typeof value !== 'string') return false;
  if (typeof operand === 'string') return test(value, operand);
  const ignoreCase = isRecord(operand) ? operand['equals-ignore-case'] : undefined;
  return typeof ignoreCase === 'string' && test(lower(value), lower(ignoreCase));
};
const startsWith = (value: string, affix: string) => value.startsWith(affix);
const endsWith = (value: string, affix: string) => value.endsWith(affix);

const LOWER_BOUNDS: Readonly<Record<string, (a: number, b: number) => boolean>> = {
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
};
const UPPER_BOUNDS: Readonly<Record<string, (a: number, b: number) => boolean>> = {
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
};

const numericMatches = (operand: Json, value: Json): boolean => {
  if (typeof value !== 'number' || !Array.isArray(operand)) return false;
  for (let i = 0; i + 1 < operand.length; i += 2) {
    const [op, bound] = [operand[i], operand[i + 1]];
    if (typeof op !== 'string' || typeof bound !== 'number') return false;
    const compare = op === '=' ? (a: number, b: number) => a === b : (LOWER_BOUNDS[op] ?? UPPER_BOUNDS[op]);
    if (!compare?.(value, bound)) return false;
  }
  return true;
};

const cidrMatches = (operand: Json, value: Json): boolean => {
  if (typeof operand !== 'string' || typeof value !== 'string') return false;
  const [network = '', bits = ''] = operand.split('/');
  const family = isIP(network);
  if (family === 0 || isIP(value) !== family) return false;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  const list = new BlockList();
  list.addSubnet(network, Number(bits), type);
  return list.check(value, type);
};

/** `anything-but`: a value (or list) it must not be, or an object of prefix/suffix/equals-ignore-case/wildcard. */
const anythingButMatches = (operand: Json, value: Json): boolean => {
  if (isRecord(operand)) {
    if (typeof value !== 'string') return false;
    const [op, arg] = Object.entries(operand)[0] ?? [];
    const args = Array.isArray(arg) ? arg : [arg];
    switch (op) {
      case 'prefix':
        return !args.some((a) => typeof a === 'string' && value.startsWith(a));
      case 'suffix':
        return !args.some((a) => typeof a === 'string' && value.endsWith(a));
      case 'equals-ignore-case':
        return !args.some((a) => typeof a === 'string' && lower(a) === lower(value));
      case 'wildcard':
        return !args.some((a) => typeof a === 'string' && wildcardRegExp(a).test(value));
      default:
        return false;
    }
  }
  const excluded = Array.isArray(operand) ? operand : [operand];
  return !excluded.some((item) => exactlyEqual(item, value));
};

/** One content filter (an object inside a field's list) against one leaf value. */
const operatorMatches = (filter: Record<string, Json>, value: Json): boolean => {
  const [op, operand] = Object.entries(filter)[0] ?? [];
  switch (op) {
    case 'prefix':
      return affixMatches(operand, value, startsWith);
    case 'suffix':
      return affixMatches(operand, value, endsWith);
    case 'equals-ignore-case':
      return typeof operand === 'string' && typeof value === 'string' && lower(operand) === lower(value);
    case 'wildcard':
      return typeof operand === 'string' && typeof value === 'string' && wildcardRegExp(operand).test(value);
    case 'anything-but':
      return anythingButMatches(operand, value);
    case 'numeric':
      return numericMatches(operand, value);
    case 'cidr':
      return cidrMatches(operand, value);
    default:
      return false;
  }
};

const fieldMatches = (alternatives: Json[], value: Json): boolean => {
  const leaves = leavesOf(value);
  return alternatives.some((alternative) => {
    if (isRecord(alternative)) {
      if ('exists' in alternative) return leaves.length > 0 === alternative.exists;
      return leaves.some((leaf) => operatorMatches(alternative, leaf));
    }
    return leaves.some((leaf) => exactlyEqual(alternative, leaf));
  });
};

const objectMatches = (pattern: Record<string, Json>, event: Json): boolean =>
  Object.entries(pattern).every(([key, expected]) => {
    if (key === '$or')
      return Array.isArray(expected) && expected.some((branch) => isRecord(branch) && objectMatches(branch, event));
    const value = isRecord(event) ? event[key] : undefined;
    if (Array.isArray(expected)) return fieldMatches(expected, value);
    if (!isRecord(expected)) return false;
    if (Array.isArray(value)) {
      // An array of objects in the event: the nested pattern must match one element as a whole.
      const objects = value.filter(isRecord);
      return objects.length > 0
        ? objects.some((item) => objectMatches(expected, item))
        : objectMatches(expected, undefined);
    }
    return objectMatches(expected, value);
  });

/** Whether EventBridge would deliver `event` to a rule with `pattern` (an invalid pattern matches nothing). */
export const matchesPattern = (pattern: unknown, event: unknown): boolean =>
  isRecord(pattern) && validatePattern(pattern).length === 0 && objectMatches(pattern, event);

// ---------------------------------------------------------------------------------------------
// Validation: what PutRule refuses with InvalidEventPatternException.
// ---------------------------------------------------------------------------------------------

/** "Numeric matching only works with values that are between -5.0e9 and +5.0e9 inclusive" (Content filtering). */
const NUMERIC_LIMIT = 5e9;

const isStringList = (value: Json): boolean =>
  Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === 'string');

const wildcardProblem = (wildcard: Json, at: string): string | undefined => {
  if (typeof wildcard !== 'string') return `${at}: wildcard must be a string`;
  // Event Ruler (the engine the guide's wildcard rules come from) refuses consecutive stars.
  if (/(?<!\\)\*\*/.test(wildcard.replaceAll('\\\\', '')))
    return `${at}: consecutive wildcard characters are not allowed`;
  if (/\\(?![*\\])/.test(wildcard)) return `${at}: a backslash may only escape * or \\`;
  return undefined;
};

const numericProblems = (operand: Json, at: string): string[] => {
  if (!Array.isArray(operand) || operand.length === 0 || operand.length % 2 !== 0 || operand.length > 4) {
    return [`${at}: numeric takes [op, number] or [lower op, number, upper op, number]`];
  }
  const problems: string[] = [];
  let lowerBound: number | undefined;
  let upperBound: number | undefined;
  for (let i = 0; i < operand.length; i += 2) {
    const [op, bound] = [operand[i], operand[i + 1]];
    if (typeof bound !== 'number' || Math.abs(bound) > NUMERIC_LIMIT) {
      problems.push(`${at}: numeric bounds must be numbers between -5e9 and 5e9 (got ${JSON.stringify(bound)})`);
      continue;
    }
    if (op === '=' && operand.length === 2) continue;
    if (typeof op === 'string' && op in LOWER_BOUNDS && lowerBound === undefined) lowerBound = bound;
    else if (typeof op === 'string' && op in UPPER_BOUNDS && upperBound === undefined) upperBound = bound;
    else problems.push(`${at}: numeric operator ${JSON.stringify(op)} is not allowed here`);
  }
  if (lowerBound !== undefined && upperBound !== undefined && lowerBound >= upperBound) {
    problems.push(`${at}: numeric range is empty (${lowerBound} .. ${upperBound})`);
  }
  return problems;
};

const cidrProblem = (operand: Json, at: string): string | undefined => {
  const [network = '', bits = '', extra] = typeof operand === 'string' ? operand.split('/') : [];
  const family = isIP(network);
  const max = family === 4 ? 32 : 128;
  const valid = family !== 0 && extra === undefined && /^\d+$/.test(bits) && Number(bits) <= max;
  return valid ? undefined : `${at}: cidr must be an IPv4 or IPv6 network/prefix (got ${JSON.stringify(operand)})`;
};

const anythingButProblems = (operand: Json, at: string): string[] => {
  if (typeof operand === 'string' || typeof operand === 'number') return [];
  if (Array.isArray(operand)) {
    const allStrings = operand.every((item) => typeof item === 'string');
    const allNumbers = operand.every((item) => typeof item === 'number');
    return operand.length > 0 && (allStrings || allNumbers)
      ? []
      : [`${at}: anything-but takes a non-empty list of only strings or only numbers`];
  }
  if (!isRecord(operand) || Object.keys(operand).length !== 1) {
    return [`${at}: anything-but takes a value, a list, or one of prefix, suffix, equals-ignore-case, wildcard`];
  }
  const [op, arg] = Object.entries(operand)[0] as [string, Json];
  if (op === 'prefix' || op === 'suffix') {
    return typeof arg === 'string' && arg !== '' ? [] : [`${at}: anything-but ${op} takes a non-empty string`];
  }
  if (op === 'equals-ignore-case') {
    return typeof arg === 'string' || isStringList(arg) ? [] : [`${at}: anything-but equals-ignore-case takes strings`];
  }
  if (op === 'wildcard') {
    const items = Array.isArray(arg) ? arg : [arg];
    return items.flatMap((item) => wildcardProblem(item, at) ?? []);
  }
  return [`${at}: anything-but does not take ${op}`];
};

const filterProblems = (filter: Record<string, Json>, at: string): string[] => {
  const keys = Object.keys(filter);
  if (keys.length !== 1) return [`${at}: a content filter has exactly one operator (got ${keys.join(', ') || 'none'})`];
  const [op, operand] = Object.entries(filter)[0] as [string, Json];
  switch (op) {
    case 'prefix':
    case 'suffix': {
      const ignoreCase =
        isRecord(operand) && Object.keys(operand).length === 1 ? operand['equals-ignore-case'] : undefined;
      return typeof operand === 'string' || typeof ignoreCase === 'string'
        ? []
        : [`${at}: ${op} takes a string or {"equals-ignore-case": string}`];
    }
    case 'equals-ignore-case':
      return typeof operand === 'string' ? [] : [`${at}: equals-ignore-case takes a string`];
    case 'wildcard':
      return [wildcardProblem(operand, at)].flatMap((problem) => problem ?? []);
    case 'exists':
      return typeof operand === 'boolean' ? [] : [`${at}: exists takes true or false`];
    case 'numeric':
      return numericProblems(operand, at);
    case 'cidr':
      return [cidrProblem(operand, at)].flatMap((problem) => problem ?? []);
    case 'anything-but':
      return anythingButProblems(operand, at);
    default:
      return [`${at}: ${op} is not an event pattern operator`];
  }
};

const objectProblems = (pattern: Record<string, Json>, at: string): string[] => {
  const entries = Object.entries(pattern);
  if (entries.length === 0) return [`${at || '(pattern)'}: empty objects are not allowed`];
  return entries.flatMap(([key, value]) => {
    const here = at ? `${at}.${key}` : key;
    if (key === '$or') {
      // Event Ruler: "There must have at least 2 Objects in $or Array".
      if (!Array.isArray(value) || value.length < 2 || !value.every(isRecord)) {
        return [`${here}: $or takes a list of at least two objects`];
      }
      return value.flatMap((branch, i) => objectProblems(branch as Record<string, Json>, `${here}[${i}]`));
    }
    if (isRecord(value)) return objectProblems(value, here);
    if (!Array.isArray(value)) return [`${here}: a value must be in a list (got ${JSON.stringify(value)})`];
    if (value.length === 0) return [`${here}: empty lists are not allowed`];
    return value.flatMap((item, i) => {
      if (item === null || ['string', 'number', 'boolean'].includes(typeof item)) return [];
      if (isRecord(item)) return filterProblems(item, `${here}[${i}]`);
      return [`${here}[${i}]: must be a string, number, boolean, null or content filter`];
    });
  });
};

/** Problems EventBridge would refuse the pattern for (empty when it is valid). */
export const validatePattern = (pattern: unknown): string[] =>
  isRecord(pattern) ? objectProblems(pattern, '') : ['an event pattern must be a JSON object'];
