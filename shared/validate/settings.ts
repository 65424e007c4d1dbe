/**
 * valibot schemas of one environment setting each. Lambda hands every setting over as text; a blank
 * one counts as unset (CloudFormation cannot leave a variable out without a condition, so templates
 * pass `''`). Each schema raises at most one issue, worded as what was expected, so a problem reads
 * `RETRY_MAX_ATTEMPTS must be an integer from 0 to 10 (got "three")`.
 */
import * as v from 'valibot';
import { describeValue } from '../errors.js';
import { MAX_GLOB_LENGTH } from '../glob.js';
import { type ArnShape, isArnOf } from './schemas.js';
import { isWellFormed } from './unicode.js';

/** A setting's schema: its text (`undefined` when unset or blank) in, its value out. */
export type Setting<T> = v.GenericSchema<string | undefined, T>;

/** Longest setting accepted: Lambda's whole environment holds 4 KB, so longer text is a mistake. */
export const MAX_SETTING_LENGTH = 32_768;

function withFallback<T>(schema: v.GenericSchema<string, T>, fallback: T): Setting<T> {
  return v.pipe(
    v.optional(schema),
    v.transform((value) => (value === undefined ? fallback : value)),
  );
}

/** Text that must be set: missing or blank is a problem, never a silent default. */
export function requiredText(): Setting<string> {
  return v.string('is required');
}

/** Text that may be unset (`undefined`). */
export function optionalText(): Setting<string | undefined> {
  return v.optional(v.string());
}

/** Text that may be unset, and must pass `test` when set. */
export function optionalMatching(test: (s: string) => boolean, expected: string): Setting<string | undefined> {
  return v.optional(v.pipe(v.string(), v.check(test, expected)));
}

/** Text that must be set and pass `test`. */
export function requiredMatching(test: (s: string) => boolean, expected: string): Setting<string> {
  return v.pipe(v.string('is required'), v.check(test, expected));
}

/** A whole number in an inclusive range, with a documented default. */
export function integer(fallback: number, min: number, max: number): Setting<number> {
  const expected = `must be an integer from ${min} to ${max}`;
  return withFallback(
    v.pipe(
      v.string(),
      v.check((s) => {
        if (s.length > 20 || !/^-?\d+$/.test(s)) return false;
        const n = Number(s);
        return Number.isSafeInteger(n) && n >= min && n <= max;
      }, expected),
      v.transform(Number),
    ),
    fallback,
  );
}

const TRUE = ['true', '1', 'yes'];
const FALSE = ['false', '0', 'no'];

/** A boolean: `true`/`false`/`1`/`0`/`yes`/`no`, case-insensitive. */
export function boolean(fallback: boolean): Setting<boolean> {
  return withFallback(
    v.pipe(
      v.string(),
      v.check((s) => [...TRUE, ...FALSE].includes(s.toLowerCase()), 'must be true or false'),
      v.transform((s) => TRUE.includes(s.toLowerCase())),
    ),
    fallback,
  );
}

/** One of a fixed set of values. */
export function oneOf<const T extends string>(allowed: readonly T[], fallback: T): Setting<T> {
  return withFallback(v.picklist(allowed, `must be one of ${allowed.join(', ')}`), fallback);
}

/** What every item of a {@link list} must be, and the problem when some are not. */
export interface ListItems {
  readonly test: (item: string) => boolean;
  /** The problem, before the offending items: `may only contain sns, slack` or `must list Region codes`. */
  readonly expected: string;
}

/** Items of a fixed set, for {@link list}. */
export function itemsOf(allowed: readonly string[]): ListItems {
  return {
    test: (item) => allowed.includes(item),
    expected: `may only contain ${allowed.join(', ')}`,
  };
}

/**
 * Globs of at most {@link MAX_GLOB_LENGTH} characters, well-formed Unicode, for {@link list}
 * (the bound of shared/validate/schemas.ts `globSchema`, for comma lists).
 *
 * @param what what the globs are matched against: `vault name globs`
 */
export function globItems(what: string): ListItems {
  return {
    test: (item) => item.length <= MAX_GLOB_LENGTH && isWellFormed(item),
    expected: `must list ${what} of at most ${MAX_GLOB_LENGTH} characters each, in well-formed Unicode`,
  };
}

/** `twice`, `3 times`. */
function times(n: number): string {
  return n === 2 ? 'twice' : `${n} times`;
}

/**
 * A comma-separated list, blanks dropped. The problem quotes the offending items only.
 *
 * Every list setting is a set (Regions, accounts, states, channels, globs), and an item listed
 * twice is refused, each repeated item named once (`SUMMARY_REGIONS lists "us-east-1" twice`):
 * a repeat is never meant, and some repeats do harm (a Region listed twice in SUMMARY_REGIONS
 * would be summarised twice, doubling every count of the summary).
 */
export function list<T extends string = string>(fallback: readonly T[], items?: ListItems): Setting<T[]> {
  return withFallback(
    v.pipe(
      v.string(),
      v.transform((s) =>
        s
          .split(',')
          .map((item) => item.trim())
          .filter((item) => item !== ''),
      ),
      v.rawCheck(({ dataset, addIssue }) => {
        if (!items || !dataset.typed) return;
        const bad = dataset.value.filter((item) => !items.test(item));
        if (bad.length > 0) addIssue({ message: `${items.expected} (got ${describeValue(bad.join(','))})` });
      }),
      v.rawCheck(({ dataset, addIssue }) => {
        if (!dataset.typed) return;
        // One pass with a map (first occurrence order): linear in the list's length.
        const counts = new Map<string, number>();
        for (const item of dataset.value) counts.set(item, (counts.get(item) ?? 0) + 1);
        for (const [item, n] of counts) {
          if (n > 1) addIssue({ message: `lists ${describeValue(item)} ${times(n)}` });
        }
      }),
      v.transform((values) => values as T[]),
    ),
    [...fallback],
  );
}

/**
 * A JSON setting: parsed, then checked by `schema`; a problem inside it names its JSON path
 * (`ALERT_MUTE[0].accounts[0]: ...`). `undefined` when unset.
 */
export function json<T>(schema: v.GenericSchema<unknown, T>): Setting<T | undefined> {
  return v.optional(
    v.pipe(
      v.string(),
      v.rawTransform(({ dataset, addIssue, NEVER }) => {
        try {
          return JSON.parse(dataset.value) as unknown;
        } catch (error) {
          addIssue({ message: `is not valid JSON: ${(error as Error).message}` });
          return NEVER;
        }
      }),
      schema,
    ),
  );
}

/** An ARN of one service, checked by `@aws-sdk/util-arn-parser`; `undefined` when unset. */
export function optionalArn(shape: ArnShape): Setting<string | undefined> {
  return v.optional(
    v.pipe(
      v.string(),
      v.check((s) => isArnOf(s, shape), shape.expected),
    ),
  );
}

/** An ARN of one service that must be set. */
export function requiredArn(shape: ArnShape): Setting<string> {
  return v.pipe(
    v.string('is required'),
    v.check((s) => isArnOf(s, shape), shape.expected),
  );
}
