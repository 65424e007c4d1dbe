/**
 * Well-formed Unicode for every id, ARN and name the toolkit takes in. A JavaScript string may hold
 * a lone surrogate (`"\uD800"`): JSON's `\uD800` escape produces one, and EventBridge, Lambda and
 * JSON.parse all pass it through. It then fails far from where it came in: `encodeURIComponent`
 * throws a URIError for it (ECMA-262, "Encode": "If ... is a lone surrogate, throw a URIError"),
 * and the AWS SDK encodes every id that travels in a request path (DescribeBackupJob's
 * `/backup-jobs/{BackupJobId}`) or a query-protocol body (SNS Publish) that way. Checked at the
 * door instead, so the error names the field and no request is half made.
 *
 * `String.prototype.isWellFormed` (ES2024) is in V8 since 11.3, so in every Node the toolkit runs on
 * (`engines` asks for 20.19 or later; Node 20.0 shipped V8 11.3). It is one linear scan.
 */
import * as v from 'valibot';

/** The expectation a problem states for a string holding a lone surrogate. */
const WELL_FORMED_EXPECTED = 'must be well-formed Unicode (no lone surrogate)';

/**
 * True when `value` holds no lone surrogate (every high surrogate followed by a low one, no low one alone).
 *
 * @example isWellFormed('vol-😀') // true
 * @example isWellFormed('job-\uD800') // false
 */
export function isWellFormed(value: string): boolean {
  return value.isWellFormed();
}

/** The valibot check of {@link isWellFormed}, for a pipe that has a string already. */
export function wellFormed<T extends string>() {
  return v.check<T, string>(isWellFormed, WELL_FORMED_EXPECTED);
}

/**
 * The shared string schema for ids, ARNs and names: a string of at most `max` characters (bounded
 * before anything scans it) that is well-formed Unicode.
 *
 * @param max longest accepted, in UTF-16 code units as `String.prototype.length` counts them
 * @param expected the problem for a value that is not a string (`must be a job id`)
 * @example v.pipe(boundedString(1024, 'must be a job id'), v.minLength(1, 'must be a job id'))
 */
export function boundedString(max: number, expected = 'must be a string') {
  return v.pipe(v.string(expected), v.maxLength(max, `must be at most ${max} characters`), wellFormed());
}
