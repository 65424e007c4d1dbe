/**
 * Problems raised by cross-field checks (valibot `rawCheck`) at a path inside the value checked, so
 * they are printed like the schemas' own (`COPY_RULES[0] ("dr-eu").match.accounts[1]: ...`, see
 * {@link ./problems.ts}) and sorted into input order with them.
 */
import type * as v from 'valibot';
import { isRecord } from '../objects.js';

/** Reports a problem at a path (object keys and array indexes) relative to the value being checked. */
export type Report = (keys: readonly (string | number)[], message: string) => void;

/** The `addIssue` a valibot rawCheck hands its action, as far as {@link reporter} uses it. */
export type AddIssue = (info: { message: string; path: [v.IssuePathItem, ...v.IssuePathItem[]] }) => void;

/**
 * A {@link Report} for valibot's rawCheck on `root`: builds the path items a problem's path is
 * printed from (each with the value at it, so an array element is labelled by its `name`).
 *
 * @example reporter(rule, addIssue)(['destinations', 1], 'repeats the route of destinations[0]')
 */
export function reporter(root: unknown, addIssue: AddIssue): Report {
  return (keys, message) => {
    let input: unknown = root;
    const items: v.IssuePathItem[] = [];
    for (const key of keys) {
      const value =
        isRecord(input) || Array.isArray(input) ? (input as Record<string | number, unknown>)[key] : undefined;
      items.push(
        typeof key === 'number'
          ? { type: 'array', origin: 'value', input: input as unknown[], key, value }
          : { type: 'object', origin: 'value', input: input as Record<string, unknown>, key, value },
      );
      input = value;
    }
    addIssue({ message, path: items as [v.IssuePathItem, ...v.IssuePathItem[]] });
  };
}

/**
 * The indexes of an array's items that have an issue of their own (valibot keeps the issues of a
 * failed item and goes on): a check across items skips them, so a malformed item is reported once,
 * not again as, say, a repeat of another malformed one.
 */
export function brokenItems(issues: readonly v.BaseIssue<unknown>[] | undefined): Set<unknown> {
  return new Set((issues ?? []).map((issue) => issue.path?.[0]?.key));
}
