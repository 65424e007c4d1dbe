/**
 * valibot schemas of what AWS Backup really sends on EventBridge (eventbridge.html samples).
 * valibot rather than zod: Powertools' parser builds on full zod, which adds about 440 KiB to each
 * bundle and 18% to its cold start; valibot costs about 4% (aws-facts.md, measured).
 *
 * Lenient where AWS is inconsistent, strict where a wrong value would do harm:
 * - numbers arrive as numbers or numeric strings (sizes are strings in backup events);
 * - dates arrive as ISO 8601 or "Jul 15, 2020 9:39:07 PM" (expectedCompletionDate);
 * - an absent ARN arrives as `{}` (destinationRecoveryPointArn on FAILED and RUNNING copies);
 * - status messages arrive wrapped in literal quotes, and may be long: stripped and capped;
 * - ids, states and the ARNs a handler acts on are checked, and every id, ARN and name is
 *   well-formed Unicode (validate/unicode.ts: a lone surrogate would fail later, in URL encoding).
 * Every schema and check states its own message, worded as what was expected (issues.ts).
 */
import * as v from 'valibot';
import { isArn } from '../backup/arn.js';
import { isAwsAccountId, isRegion } from '../validate/identifiers.js';
import { BACKUP_VAULT_ARN, isArnOf } from '../validate/schemas.js';
import { boundedString, wellFormed } from '../validate/unicode.js';
import { MAX_DATE_LENGTH, parseEventDate } from './dates.js';
import {
  BACKUP_JOB_STATES,
  COPY_JOB_STATES,
  RESTORE_JOB_STATUSES,
  SCAN_JOB_STATES,
  SCAN_RESULT_STATUSES,
} from './types.js';

/** Longest status message kept; AWS's are one sentence, so more is noise, not a reason to reject. */
export const MAX_MESSAGE_LENGTH = 4096;

/** Longest id or name accepted (AWS Backup's ids are 36 characters; vault names at most 50). */
const MAX_ID_LENGTH = 1024;

// Emptiness is checked before trimming, so that the message quotes the blank value as sent.
const id = v.pipe(
  boundedString(MAX_ID_LENGTH),
  v.check((s) => s.trim() !== '', 'must not be empty'),
  v.trim(),
);

const text = boundedString(MAX_ID_LENGTH);

const NUMBER_EXPECTED = 'must be a number or a numeric string';

const number = v.union(
  [
    v.pipe(v.number(NUMBER_EXPECTED), v.finite(NUMBER_EXPECTED)),
    v.pipe(
      v.string(NUMBER_EXPECTED),
      v.maxLength(64, NUMBER_EXPECTED),
      v.regex(/^-?\d{1,20}(\.\d{1,20})?$/, NUMBER_EXPECTED),
      v.transform((s) => Number(s)),
    ),
  ],
  NUMBER_EXPECTED,
);

const date = v.pipe(
  v.string('must be a date string'),
  v.maxLength(MAX_DATE_LENGTH, 'must be a date string'),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    const parsed = parseEventDate(dataset.value);
    if (!parsed) {
      addIssue({ message: 'must be an ISO 8601 date or AWS\'s "Jul 15, 2020 9:39:07 PM" form' });
      return NEVER;
    }
    return parsed;
  }),
);

// isArn bounds the length (2048) before it splits; the Unicode scan then runs on at most that.
const arn = v.pipe(
  v.string('must be an ARN'),
  v.check((s) => isArn(s), 'must be an ARN'),
  wellFormed(),
);

/**
 * A backup vault's ARN (`arn:aws:backup:<region>:<account>:backup-vault:<name>`). Checked here, not
 * as any ARN: handlers read the vault's name, Region and account out of it, and an ARN of something
 * else failed there, naming their own variable instead of the event's field.
 */
const vaultArn = v.pipe(
  v.string('must be a backup vault ARN'),
  v.check((s) => isArnOf(s, BACKUP_VAULT_ARN), BACKUP_VAULT_ARN.expected),
  wellFormed(),
);

/** An ARN, or `{}` / `""` for "none" (AWS's FAILED and RUNNING copy samples). */
const optionalArn = v.union(
  [
    arn,
    v.pipe(
      v.strictObject({}, 'must be an ARN or {}'),
      v.transform(() => undefined),
    ),
    v.pipe(
      v.literal('', 'must be an ARN or {}'),
      v.transform(() => undefined),
    ),
  ],
  'must be an ARN or {}',
);

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0;
}
const QUOTE = 34;

/**
 * Strips the literal quotes AWS wraps messages in (`"\"Backup job failed ...\""` in the FAILED,
 * ABORTED and EXPIRED backup samples of eventbridge.html) and surrounding white space, then caps the
 * length at {@link MAX_MESSAGE_LENGTH} (plus an ellipsis) rather than rejecting the event. Linear
 * in the length, even for a megabyte of quotes. Returns `undefined` for an empty message (the
 * PENDING sample sends `""`). A lone surrogate becomes U+FFFD rather than failing the event: a
 * message is prose for people, and one left in would throw later in the URL encoding of SNS's
 * query-protocol body (validate/unicode.ts).
 *
 * @example cleanStatusMessage('"Backup job was stopped by user."') // 'Backup job was stopped by user.'
 */
export function cleanStatusMessage(message: string): string | undefined {
  let start = 0;
  let end = message.length;
  const trim = () => {
    while (start < end && isSpace(message.charCodeAt(start))) start++;
    while (end > start && isSpace(message.charCodeAt(end - 1))) end--;
  };
  trim();
  while (end - start >= 2 && message.charCodeAt(start) === QUOTE && message.charCodeAt(end - 1) === QUOTE) {
    start++;
    end--;
    trim();
  }
  if (start === end) return undefined;
  if (end - start <= MAX_MESSAGE_LENGTH) return message.slice(start, end).toWellFormed();
  let cut = start + MAX_MESSAGE_LENGTH;
  // Never split a surrogate pair: the half left behind would not survive JSON or SNS.
  const last = message.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut--;
  return `${message.slice(start, cut)}…`.toWellFormed();
}

const message = v.pipe(v.string('must be a string'), v.transform(cleanStatusMessage));

const createdBy = v.looseObject(
  {
    backupPlanId: id,
    backupPlanArn: v.optional(arn),
    backupPlanVersion: v.optional(text),
    backupPlanRuleId: v.optional(text),
    backupRuleId: v.optional(text),
  },
  'must be an object',
);

const EVENT_EXPECTED = 'must be an EventBridge event object';
const ACCOUNT_EXPECTED = 'must be an account id (12 digits, or 13)';
const REGION_EXPECTED = 'must be an AWS Region code such as us-east-1';

const envelope = {
  version: v.optional(text),
  id,
  source: v.literal('aws.backup', 'must be "aws.backup"'),
  // Lenient: AWS's own samples carry a 13-digit account (shared/validate/identifiers.ts).
  account: v.pipe(v.string(ACCOUNT_EXPECTED), v.check(isAwsAccountId, ACCOUNT_EXPECTED)),
  region: v.pipe(v.string(REGION_EXPECTED), v.check(isRegion, REGION_EXPECTED)),
  time: date,
  resources: v.optional(
    v.pipe(v.array(boundedString(2048), 'must be an array'), v.maxLength(1000, 'must hold at most 1000 entries')),
    [],
  ),
};

const common = {
  resourceArn: v.optional(arn),
  resourceType: v.optional(text),
  iamRoleArn: v.optional(arn),
  statusMessage: v.optional(message),
  creationDate: v.optional(date),
  completionDate: v.optional(date),
  percentDone: v.optional(number),
  backupSizeInBytes: v.optional(number),
};

/** "Backup Job State Change". */
export const backupJobEventSchema = v.looseObject(
  {
    ...envelope,
    'detail-type': v.literal('Backup Job State Change', 'must be "Backup Job State Change"'),
    detail: v.looseObject(
      {
        ...common,
        backupJobId: id,
        state: v.picklist(BACKUP_JOB_STATES, `must be one of ${BACKUP_JOB_STATES.join(', ')}`),
        // Absent on AWS's CREATED sample; every other state carries it.
        backupVaultName: v.optional(text),
        backupVaultArn: v.optional(vaultArn),
        recoveryPointArn: v.optional(optionalArn),
        startBy: v.optional(date),
        expectedCompletionDate: v.optional(date),
        bytesTransferred: v.optional(number),
        createdBy: v.optional(createdBy),
      },
      'must be an object',
    ),
  },
  EVENT_EXPECTED,
);

/** "Copy Job State Change". */
export const copyJobEventSchema = v.looseObject(
  {
    ...envelope,
    'detail-type': v.literal('Copy Job State Change', 'must be "Copy Job State Change"'),
    detail: v.looseObject(
      {
        ...common,
        // Absent on AWS's CREATED sample.
        copyJobId: v.optional(id),
        state: v.picklist(COPY_JOB_STATES, `must be one of ${COPY_JOB_STATES.join(', ')}`),
        sourceBackupVaultArn: v.optional(vaultArn),
        destinationBackupVaultArn: v.optional(vaultArn),
        sourceRecoveryPointArn: v.optional(optionalArn),
        destinationRecoveryPointArn: v.optional(optionalArn),
        createdBy: v.optional(createdBy),
      },
      'must be an object',
    ),
  },
  EVENT_EXPECTED,
);

const restoreStatus = v.picklist(
  [...RESTORE_JOB_STATUSES, 'CREATED'],
  `must be one of ${RESTORE_JOB_STATUSES.join(', ')} or CREATED`,
);

/** "Restore Job State Change" (`status`, except CREATED which uses `state`). */
export const restoreJobEventSchema = v.looseObject(
  {
    ...envelope,
    'detail-type': v.literal('Restore Job State Change', 'must be "Restore Job State Change"'),
    detail: v.looseObject(
      {
        ...common,
        restoreJobId: id,
        status: v.optional(restoreStatus),
        state: v.optional(restoreStatus),
        recoveryPointArn: v.optional(optionalArn),
        createdResourceArn: v.optional(optionalArn),
      },
      'must be an object',
    ),
  },
  EVENT_EXPECTED,
);

/**
 * "Scan Job State Change" (eventbridge.html, malware scan job events; events/scan-job.*.json).
 * Strict on what decides an alert: the scan job id, the state and the result status; the vault,
 * which a mute rule matches, is in every sample. The scanner is kept as text: AWS lists only
 * GUARDDUTY today, and another scanner is not a reason to lose a failure.
 */
export const scanJobEventSchema = v.looseObject(
  {
    ...envelope,
    'detail-type': v.literal('Scan Job State Change', 'must be "Scan Job State Change"'),
    detail: v.looseObject(
      {
        scanJobId: id,
        state: v.picklist(SCAN_JOB_STATES, `must be one of ${SCAN_JOB_STATES.join(', ')}`),
        accountId: v.optional(v.pipe(v.string(ACCOUNT_EXPECTED), v.check(isAwsAccountId, ACCOUNT_EXPECTED))),
        backupVaultName: id,
        backupVaultArn: v.optional(arn),
        recoveryPointArn: v.optional(optionalArn),
        resourceArn: v.optional(arn),
        resourceType: v.optional(text),
        iamRoleArn: v.optional(arn),
        scannerRoleArn: v.optional(arn),
        scanId: v.optional(text),
        scanBaseRecoveryPointArn: v.optional(optionalArn),
        malwareScanner: v.optional(text),
        scanResult: v.optional(
          v.looseObject(
            {
              scanResultStatus: v.picklist(SCAN_RESULT_STATUSES, `must be one of ${SCAN_RESULT_STATUSES.join(', ')}`),
            },
            'must be an object',
          ),
        ),
        statusMessage: v.optional(message),
        creationDate: v.optional(date),
        completionDate: v.optional(date),
        createdBy: v.optional(createdBy),
      },
      'must be an object',
    ),
  },
  EVENT_EXPECTED,
);
