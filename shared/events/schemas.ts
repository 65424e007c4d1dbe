/**
 * valibot schemas of what AWS Backup really sends on EventBridge (eventbridge.html samples).
 * valibot rather than zod: Powertools' parser builds on full zod, which adds about 440 KiB to each
 * bundle and 15% to its cold start; valibot costs about 4% (aws-facts.md, measured).
 *
 * Lenient where AWS is inconsistent, strict where a wrong value would do harm:
 * - numbers arrive as numbers or numeric strings (sizes are strings in backup events);
 * - dates arrive as ISO 8601 or "Jul 15, 2020 9:39:07 PM" (expectedCompletionDate);
 * - an absent ARN arrives as `{}` (destinationRecoveryPointArn on FAILED and RUNNING copies);
 * - status messages arrive wrapped in literal quotes, and may be long: stripped and capped;
 * - ids, states and the ARNs a handler acts on are checked.
 */
import * as v from 'valibot';
import { isArn } from '../backup/arn.js';
import { parseEventDate } from './dates.js';
import { BACKUP_JOB_STATES, COPY_JOB_STATES, RESTORE_JOB_STATUSES } from './types.js';

/** Longest status message kept; AWS's are one sentence, so more is noise, not a reason to reject. */
export const MAX_MESSAGE_LENGTH = 4096;

const id = v.pipe(
  v.string('must be a string'),
  v.trim(),
  v.minLength(1, 'must not be empty'),
  v.maxLength(1024, 'must be at most 1024 characters'),
);

const text = v.pipe(v.string('must be a string'), v.maxLength(1024, 'must be at most 1024 characters'));

const number = v.union(
  [
    v.pipe(v.number(), v.finite()),
    v.pipe(
      v.string(),
      v.regex(/^-?\d{1,20}(\.\d+)?$/),
      v.transform((s) => Number(s)),
    ),
  ],
  'must be a number or a numeric string',
);

const date = v.pipe(
  v.string('must be a date string'),
  v.maxLength(64, 'must be a date string'),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    const parsed = parseEventDate(dataset.value);
    if (!parsed) {
      addIssue({ message: 'must be an ISO 8601 date or AWS\'s "Jul 15, 2020 9:39:07 PM" form' });
      return NEVER;
    }
    return parsed;
  }),
);

const arn = v.pipe(
  v.string('must be an ARN'),
  v.check((s) => isArn(s), 'must be an ARN'),
);

/** An ARN, or `{}` / `""` for "none" (AWS's FAILED and RUNNING copy samples). */
const optionalArn = v.union(
  [
    arn,
    v.pipe(
      v.strictObject({}),
      v.transform(() => undefined),
    ),
    v.pipe(
      v.literal(''),
      v.transform(() => undefined),
    ),
  ],
  'must be an ARN or {}',
);

/** Strips the literal quotes AWS wraps messages in (`"\"Backup job failed ...\""`), caps the length. */
export const cleanStatusMessage = (message: string): string | undefined => {
  let s = message.trim();
  while (s.length >= 2 && s.startsWith('"') && s.endsWith('"')) s = s.slice(1, -1).trim();
  if (s.length > MAX_MESSAGE_LENGTH) s = `${s.slice(0, MAX_MESSAGE_LENGTH)}…`;
  return s === '' ? undefined : s;
};

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

const envelope = {
  version: v.optional(text),
  id,
  source: v.literal('aws.backup', 'must be "aws.backup"'),
  account: v.pipe(v.string('must be a string'), v.regex(/^\d{12,13}$/, 'must be a 12-digit account id')),
  region: v.pipe(v.string('must be a string'), v.regex(/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/, 'must be an AWS Region')),
  time: date,
  resources: v.optional(v.array(v.pipe(v.string(), v.maxLength(2048)), 'must be an array of strings'), []),
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
export const backupJobEventSchema = v.looseObject({
  ...envelope,
  'detail-type': v.literal('Backup Job State Change', 'must be "Backup Job State Change"'),
  detail: v.looseObject(
    {
      ...common,
      backupJobId: id,
      state: v.picklist(BACKUP_JOB_STATES, `must be one of ${BACKUP_JOB_STATES.join(', ')}`),
      // Absent on AWS's CREATED sample; every other state carries it.
      backupVaultName: v.optional(text),
      backupVaultArn: v.optional(arn),
      recoveryPointArn: v.optional(optionalArn),
      startBy: v.optional(date),
      expectedCompletionDate: v.optional(date),
      bytesTransferred: v.optional(number),
      createdBy: v.optional(createdBy),
    },
    'must be an object',
  ),
});

/** "Copy Job State Change". */
export const copyJobEventSchema = v.looseObject({
  ...envelope,
  'detail-type': v.literal('Copy Job State Change', 'must be "Copy Job State Change"'),
  detail: v.looseObject(
    {
      ...common,
      // Absent on AWS's CREATED sample.
      copyJobId: v.optional(id),
      state: v.picklist(COPY_JOB_STATES, `must be one of ${COPY_JOB_STATES.join(', ')}`),
      sourceBackupVaultArn: v.optional(arn),
      destinationBackupVaultArn: v.optional(arn),
      sourceRecoveryPointArn: v.optional(optionalArn),
      destinationRecoveryPointArn: v.optional(optionalArn),
      createdBy: v.optional(createdBy),
    },
    'must be an object',
  ),
});

const restoreStatus = v.picklist(
  [...RESTORE_JOB_STATUSES, 'CREATED'],
  `must be one of ${RESTORE_JOB_STATUSES.join(', ')} or CREATED`,
);

/** "Restore Job State Change" (`status`, except CREATED which uses `state`). */
export const restoreJobEventSchema = v.looseObject({
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
});
