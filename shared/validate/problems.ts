/**
 * Turns valibot issues into the problems a person reads: each names where (the setting and the JSON
 * path inside it), the value found and what was expected, and all of them come in the order they
 * appear in the input, so one cold start reports every mistake of a deploy at once.
 */
import type * as v from 'valibot';
import { describeValue } from '../errors.js';
import { isRecord } from '../objects.js';

type Issue = v.BaseIssue<unknown>;
type PathItem = v.IssuePathItem;

/** Longest rule name quoted in a path; the whole name is in the input already. */
const MAX_LABEL = 60;

/**
 * An array element is labelled by its `name` when it has one (`COPY_RULES[1] ("dr-eu")`): after an
 * edit moves rules around, the name says which rule is meant where the index alone would not.
 */
function labelOf(value: unknown): string {
  if (!isRecord(value) || typeof value.name !== 'string' || value.name.trim() === '') return '';
  return ` (${describeValue(value.name, MAX_LABEL)})`;
}

/** `COPY_RULES[1] ("dr-eu").destinations[0].via[0]`: the setting, then the JSON path inside it. */
export function formatPath(source: string, path: readonly PathItem[]): string {
  let text = source;
  for (const item of path) {
    if (typeof item.key === 'number') text += `[${item.key}]${labelOf(item.value)}`;
    else text += `.${String(item.key)}`;
  }
  return text;
}

/**
 * Issues whose message is a whole sentence naming its own values: cross-field checks (rawCheck,
 * rawTransform). Every other issue gets the value it was raised on appended.
 */
function namesItsValues(issue: Issue): boolean {
  return issue.type === 'raw_check' || issue.type === 'raw_transform';
}

/**
 * One problem line. A problem with the setting as a whole reads `KEY must ... (got "x")`; one
 * inside a JSON setting reads `KEY[0].field: must ... (got "x")`.
 *
 * @param source the setting's name (`COPY_RULES`, `COPY_RULES_PARAMETER /rules`); the issue's path is inside it
 * @param shown the value to quote instead of the issue's input (the text a person typed, for a setting)
 */
export function describeIssue(source: string, issue: Issue, shown?: { value: unknown }): string {
  const path = issue.path ?? [];
  const where = formatPath(source, path);
  const inside = path.length > 0;
  const value = shown ? shown.value : issue.input;
  const got = namesItsValues(issue) || value === undefined ? '' : ` (got ${describeValue(value)})`;
  return `${where}${inside ? ':' : ''} ${reasonOf(issue, inside)}${got}`;
}

/**
 * What an issue says was expected. valibot reports a required key that is absent with the message
 * of the object that lacks it ("COPY_RULES[0].name: must be an object" for a rule without a name):
 * inside a JSON setting (which has no `undefined` value), a schema issue on `undefined` is an
 * absent key, and says so, as events/issues.ts does for events.
 */
function reasonOf(issue: Issue, inside: boolean): string {
  return inside && issue.kind === 'schema' && issue.input === undefined ? 'is required' : issue.message;
}

function positionIn(item: PathItem): number {
  return typeof item.key === 'number'
    ? item.key
    : isRecord(item.input)
      ? Object.keys(item.input).indexOf(String(item.key))
      : 0;
}

/**
 * Orders issues as their paths appear in the input (array index, then key order), an issue about an
 * object before the issues inside it. valibot reports a pipe's checks after the schema's own issues;
 * a person reads the JSON top to bottom.
 */
function byPosition(a: Issue, b: Issue): number {
  const pa = a.path ?? [];
  const pb = b.path ?? [];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i] as PathItem;
    const y = pb[i] as PathItem;
    if (x.key === y.key) continue;
    return positionIn(x) - positionIn(y);
  }
  return pa.length - pb.length;
}

/** The issues of a failed parse in the order a person reads the input. */
export function inInputOrder<I extends Issue>(issues: readonly I[]): I[] {
  return [...issues].sort(byPosition);
}

/** Every issue of a failed parse as problem lines, in input order (see {@link describeIssue}). */
export function describeIssues(source: string, issues: readonly Issue[]): string[] {
  return inInputOrder(issues).map((issue) => describeIssue(source, issue));
}
