/**
 * valibot issues turned into EventParseErrors in our words: every error names the dotted path, the
 * value found and what was expected, and no text of valibot's own ("Invalid key: Expected ...")
 * ever reaches a message. Used for AWS's events (parse.ts) and for the toolkit's own payloads that
 * anyone allowed to invoke a function can send (an attempt schedule's input).
 */
import * as v from 'valibot';
import { EventParseError } from '../errors.js';

type Issue = v.BaseIssue<unknown>;

/** `must be at most 3 characters`, `must hold at least 1 entry`: a length bound on a string or an array. */
function lengthBound(issue: Issue, bound: 'at least' | 'at most'): string {
  const n = Number(issue.requirement);
  if (!Array.isArray(issue.input)) return `must be ${bound} ${n} character${n === 1 ? '' : 's'}`;
  return `must hold ${bound} ${n} ${n === 1 ? 'entry' : 'entries'}`;
}

/**
 * Our wording by issue type, for a schema or check built without a message of its own (every
 * schema in this toolkit has one; this is the net under a future one that forgets). valibot calls
 * it only where no message was given (`config.message` comes after the schema's own in
 * `_addIssue`), so it never overrides a message a schema states.
 */
function expectationOf(issue: Issue): string {
  switch (issue.type) {
    case 'string':
      return 'must be a string';
    case 'number':
      return 'must be a number';
    case 'boolean':
      return 'must be true or false';
    case 'array':
      return 'must be an array';
    case 'object':
    case 'loose_object':
    case 'strict_object':
      return 'must be an object';
    case 'min_length':
      return lengthBound(issue, 'at least');
    case 'max_length':
      return lengthBound(issue, 'at most');
    case 'finite':
      return 'must be a finite number';
    case 'integer':
      return 'must be an integer';
    // `expected` holds the allowed values as JSON: `"aws.backup"`, or `("A" | "B")` for a list.
    case 'literal':
      return `must be ${issue.expected ?? 'the documented value'}`;
    case 'picklist':
      return `must be one of ${(issue.expected ?? '')
        .replace(/^\((.*)\)$/s, '$1')
        .split(' | ')
        .join(', ')}`;
    default:
      return 'is not a value this field accepts';
  }
}

/**
 * The reason an issue states: `is required` for a member that is absent (valibot reports a missing
 * key of an object with the object's own message, which read "must be an object (got undefined)"),
 * the schema's message otherwise.
 */
function reasonOf(issue: Issue): string {
  return issue.kind === 'schema' && issue.input === undefined ? 'is required' : issue.message;
}

/**
 * Runs `schema` over `raw` and returns its output, or throws an EventParseError for the first
 * issue, naming its dotted path (`detail.backupJobId`; `(event)` for the input as a whole). Stops at
 * the first issue, so a hostile input costs one pass at most.
 *
 * @throws EventParseError naming the field, the value and what was expected
 * @example parseEventShape(attemptSchema, raw).logicalKey
 */
export function parseEventShape<S extends v.GenericSchema>(schema: S, raw: unknown): v.InferOutput<S> {
  const result = v.safeParse(schema, raw, { abortEarly: true, message: expectationOf });
  if (result.success) return result.output;
  const issue = result.issues[0];
  throw new EventParseError(v.getDotPath(issue) ?? '(event)', issue.input, reasonOf(issue));
}
