/**
 * valibot schemas for what people type into JSON settings (copy rules, mute rules) and what
 * direct invocations carry. Built on {@link ./identifiers.ts}, so an account id, a Region or an
 * ARN is checked by one rule everywhere. Strings are length-bounded before any pattern runs.
 */
import * as v from 'valibot';
import { describeValue } from '../errors.js';
import { MAX_GLOB_LENGTH } from '../glob.js';
import { isRecord } from '../objects.js';
import { type ArnParts, arnParts, isAccountId, isAwsAccountId, isRegion } from './identifiers.js';
import { brokenItems, reporter } from './report.js';
import { wellFormed } from './unicode.js';

/** Longest free-text value (a name) accepted in a JSON setting; globs have their own bound, MAX_GLOB_LENGTH. */
export const MAX_TEXT_LENGTH = 1024;
/** Most entries accepted in one list of a JSON setting. */
export const MAX_LIST_LENGTH = 200;

/**
 * A non-empty string (after trimming) of at most {@link MAX_TEXT_LENGTH} characters, well-formed
 * Unicode (a vault name or glob read from an SSM parameter may carry a `\uD800` escape; see unicode.ts).
 */
export function nonEmptyString(message = 'must be a non-empty string') {
  return v.pipe(
    v.string(message),
    v.maxLength(MAX_TEXT_LENGTH, `must be at most ${MAX_TEXT_LENGTH} characters`),
    v.check((s) => s.trim() !== '', message),
    wellFormed(),
  );
}

/**
 * A glob (shared/glob.ts): non-empty, at most {@link MAX_GLOB_LENGTH} characters (the matcher's
 * work is bounded by glob length x value length), and well-formed Unicode, so that each of its
 * characters is a whole code point as `?` is.
 *
 * @param what what the glob is matched against, for the problem: `a vault name glob`
 */
export function globSchema(what = 'a glob') {
  const message = `must be a non-empty string (${what})`;
  return v.pipe(
    v.string(message),
    v.maxLength(MAX_GLOB_LENGTH, `must be ${what} of at most ${MAX_GLOB_LENGTH} characters`),
    v.check((s) => s.trim() !== '', message),
    wellFormed(),
  );
}

/** A 12-digit account id, as a person types it (see `ACCOUNT_ID` for why events are looser). */
export const accountIdSchema = v.pipe(
  v.string('must be a 12-digit account id'),
  v.check(isAccountId, 'must be a 12-digit account id'),
);

/**
 * An account id as events carry it: 12 digits, or 13 as in AWS's own sample events. For settings
 * that name the accounts whose events act (a copy rule's `match.accounts`), so a rule can name the
 * account of every event the toolkit is tested with; they are compared with events, never used to
 * build an ARN.
 */
export const eventAccountIdSchema = v.pipe(
  v.string("must be an account id (12 digits, or 13 as in AWS's sample events)"),
  v.check(isAwsAccountId, "must be an account id (12 digits, or 13 as in AWS's sample events)"),
);

/** A Region code such as `us-east-1`. */
export const regionSchema = v.pipe(
  v.string('must be a Region code such as us-east-1'),
  v.check(isRegion, 'must be a Region code such as us-east-1'),
);

/** What an ARN must be, for {@link arnSchema}. */
export interface ArnShape {
  /** The ARN's service (`iam`, `backup`, `sns`). */
  readonly service: string;
  /** How its resource part starts (`role/`, `backup-vault:`), with something after it. */
  readonly resourcePrefix?: string;
  /** The whole resource part, when its characters are known (IAM's role names: no wildcard). */
  readonly resource?: RegExp;
  /**
   * Whether the ARN names a Region: `required` (a Region code, the default: vaults, topics, queues)
   * or `none` (IAM is global: `arn:aws:iam::<account>:role/<name>`). Either way it names an account:
   * an ARN with an empty Region or account is no vault, and AWS refuses it only at the call.
   */
  readonly region?: 'required' | 'none';
  /** The expectation a problem states: `must be an IAM role ARN arn:aws:iam::<account>:role/<name>`. */
  readonly expected: string;
}

/** True when `value` is an ARN of the given service, Region and account, and resource. */
export function isArnOf(
  value: unknown,
  { service, resourcePrefix = '', resource, region = 'required' }: Omit<ArnShape, 'expected'>,
): boolean {
  const parts: ArnParts | undefined = arnParts(value);
  return (
    parts !== undefined &&
    parts.service === service &&
    parts.accountId !== '' &&
    (region === 'none' ? parts.region === '' : isRegion(parts.region)) &&
    parts.resource.startsWith(resourcePrefix) &&
    parts.resource.length > resourcePrefix.length &&
    (resource === undefined || resource.test(parts.resource))
  );
}

/** An ARN of one service (and resource prefix), split by `@aws-sdk/util-arn-parser`; well-formed Unicode. */
export function arnSchema(shape: ArnShape) {
  return v.pipe(
    v.string(shape.expected),
    v.check((s) => isArnOf(s, shape), shape.expected),
    wellFormed(),
  );
}

/** `arn:<partition>:iam::<account>:role/<name>`. */
export const ROLE_ARN: ArnShape = {
  service: 'iam',
  resourcePrefix: 'role/',
  region: 'none',
  // IAM's path and name characters (CreateRole), name at most 64: never * or ?, which in a role ARN
  // would be a wildcard where an iam:PassRole Resource is built from it (the template says the same).
  resource: /^role\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/,
  expected: 'must be an IAM role ARN arn:aws:iam::<account>:role/<name>',
};

/** `arn:<partition>:backup:<region>:<account>:backup-vault:<name>`. */
export const BACKUP_VAULT_ARN: ArnShape = {
  service: 'backup',
  resourcePrefix: 'backup-vault:',
  expected: 'must be a backup vault ARN arn:aws:backup:<region>:<account>:backup-vault:<name>',
};

/**
 * A non-empty, bounded list whose items each pass `item`, none of them listed twice: every list of
 * a JSON setting is a set (accounts, Regions, resource types, categories), where a repeat means
 * nothing and usually hides a typo (the second entry meant to be another account). A repeat is
 * reported at its position, naming the first (`accounts[2]: "111122223333" is already listed at
 * [0]`). Items are compared as parsed; only strings and numbers are compared (an object item, such
 * as a copy destination, is compared by its own schema's rule).
 */
export function listOf<T extends v.GenericSchema<unknown, unknown>>(item: T, message = 'must be a non-empty array') {
  return v.pipe(
    v.array(item, message),
    v.minLength(1, message),
    v.maxLength(MAX_LIST_LENGTH, `must hold at most ${MAX_LIST_LENGTH} entries`),
    v.rawCheck(({ dataset, addIssue }) => {
      if (!Array.isArray(dataset.value)) return;
      const broken = brokenItems(dataset.issues);
      const report = reporter(dataset.value, addIssue);
      // One pass with a map: linear in the list's length.
      const first = new Map<unknown, number>();
      for (const [i, value] of (dataset.value as unknown[]).entries()) {
        if (broken.has(i) || (typeof value !== 'string' && typeof value !== 'number')) continue;
        const at = first.get(value);
        if (at === undefined) first.set(value, i);
        else report([i], `${describeValue(value)} is already listed at [${at}]`);
      }
    }),
  );
}

/**
 * An object that rejects unknown keys, each reported (a typo such as `destination` must not be
 * silently ignored: the rule would copy nowhere). valibot's `strictObject` reports only the first.
 * The output holds the known keys that are set.
 */
export function exactObject<const E extends v.ObjectEntries>(entries: E, message = 'must be an object') {
  const allowed = Object.keys(entries);
  return v.pipe(
    v.looseObject(entries, message),
    v.rawCheck(({ dataset, addIssue }) => {
      if (!isRecord(dataset.value)) return;
      for (const key of Object.keys(dataset.value)) {
        if (!Object.hasOwn(entries, key)) {
          addIssue({ message: `unknown key ${describeValue(key)} (allowed: ${allowed.join(', ')})`, input: key });
        }
      }
    }),
    v.transform((value) => {
      const known: Record<string, unknown> = {};
      for (const key of allowed) if (value[key] !== undefined) known[key] = value[key];
      return known as v.InferOutput<v.ObjectSchema<E, undefined>>;
    }),
  );
}
