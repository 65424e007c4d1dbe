/**
 * AWS Backup's EventBridge events, built EXACTLY like AWS's published samples (Backup Developer
 * Guide, "Monitoring AWS Backup events using Amazon EventBridge", eventbridge.html; copied in
 * `events/`): the envelope, and per state only the detail fields that state's sample has, with
 * its quirks — sizes as strings in backup and restore events and numbers in copy events, status
 * messages wrapped in literal quotes in backup events (not in copy or restore events), a locale
 * `expectedCompletionDate` on RUNNING backups, `destinationRecoveryPointArn: {}` on RUNNING and
 * FAILED copies, no `copyJobId` on a CREATED copy, restore events with `status` except CREATED
 * (`state`), `createdBy.backupPlanRuleId`, and a COMPLETED backup's recovery point only in
 * `resources[0]`. No event carries messageCategory, parentJobId or isParent (aws-facts.md).
 */
import type { RecoveryPointCreator } from '@aws-sdk/client-backup';
import { uuidFrom } from '../ids.js';
import {
  type BackupJobRecord,
  type CopyJobRecord,
  type JobChange,
  jobIdOf,
  type RestoreJobRecord,
  type ScanJobRecord,
} from './store.js';

/** One EventBridge event as AWS Backup sends it. */
export interface BackupEventJson {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type':
    | 'Backup Job State Change'
    | 'Copy Job State Change'
    | 'Restore Job State Change'
    | 'Scan Job State Change';
  readonly source: 'aws.backup';
  readonly account: string;
  /** ISO 8601 without milliseconds, as in every sample ("2020-07-15T21:33:16Z"). */
  readonly time: string;
  readonly region: string;
  readonly resources: string[];
  readonly detail: Record<string, unknown>;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** "2020-07-15T21:33:16Z": the envelope's `time`. */
export const eventTime = (ms: number): string => `${new Date(ms).toISOString().slice(0, 19)}Z`;

/** "Jul 15, 2020 9:39:07 PM" in UTC: the RUNNING backup sample's `expectedCompletionDate`. */
export const localeDate = (date: Date): string => {
  const h = date.getUTCHours();
  const pad = (n: number) => String(n).padStart(2, '0');
  const clock = `${h % 12 === 0 ? 12 : h % 12}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
  return `${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()}, ${date.getUTCFullYear()} ${clock} ${h < 12 ? 'AM' : 'PM'}`;
};

/** Backup events quote the message: `"\"Backup job was stopped by user.\""` (ABORTED, EXPIRED, FAILED samples). */
const quoted = (message: string | undefined): string => `"${message ?? ''}"`;

const iso = (date: Date | undefined): string | undefined => date?.toISOString();

/** Events name the rule `backupPlanRuleId` and carry only the four ids (EXPIRED, RUNNING, copy samples). */
const createdByOf = (c: RecoveryPointCreator | undefined): Record<string, string> | undefined =>
  c?.BackupPlanId
    ? {
        backupPlanId: c.BackupPlanId,
        ...(c.BackupPlanArn ? { backupPlanArn: c.BackupPlanArn } : {}),
        ...(c.BackupPlanVersion ? { backupPlanVersion: c.BackupPlanVersion } : {}),
        ...(c.BackupRuleId ? { backupPlanRuleId: c.BackupRuleId } : {}),
      }
    : undefined;

/** Keeps the sample's key order and drops absent values. */
const detailOf = (entries: readonly (readonly [string, unknown])[]): Record<string, unknown> =>
  Object.fromEntries(entries.filter(([, v]) => v !== undefined));

/**
 * What AWS sends as `retryCount` is defined nowhere (aws-facts.md); the samples show it on FAILED
 * and COMPLETED backups only. The stand-in always says 0.
 */
const RETRY_COUNT = 0;

/** A state's detail (in the sample's key order) and its `resources`. */
interface EventBody {
  detail: Record<string, unknown>;
  resources: string[];
}

const bodyOf = (entries: readonly (readonly [string, unknown])[], resources: string[] = []): EventBody => ({
  detail: detailOf(entries),
  resources,
});

const backupDetail = (r: BackupJobRecord, state: string): EventBody => {
  const j = r.job;
  if (state === 'CREATED') {
    return bodyOf([
      ['backupJobId', j.BackupJobId],
      ['state', 'CREATED'],
      ['creationDate', iso(j.CreationDate)],
    ]);
  }
  /** The keys every other backup sample opens with; RUNNING, COMPLETED and PARTIAL add the size second. */
  const lead = (sized: boolean): [string, unknown][] => [
    ['backupJobId', j.BackupJobId],
    ...(sized ? [['backupSizeInBytes', String(j.BackupSizeInBytes ?? 0)] as [string, unknown]] : []),
    ['backupVaultArn', j.BackupVaultArn],
    ['backupVaultName', j.BackupVaultName],
    ['bytesTransferred', String(j.BytesTransferred ?? 0)],
    ['creationDate', iso(j.CreationDate)],
    ['iamRoleArn', j.IamRoleArn],
    ['resourceArn', j.ResourceArn],
    ['resourceType', j.ResourceType],
    ['state', state],
  ];
  const message: [string, unknown] = ['statusMessage', quoted(j.StatusMessage)];
  const completion: [string, unknown] = ['completionDate', iso(j.CompletionDate)];
  const startBy: [string, unknown] = ['startBy', iso(j.StartBy)];
  const percent: [string, unknown] = ['percentDone', Number(j.PercentDone ?? 0)];
  const createdBy: [string, unknown] = ['createdBy', createdByOf(j.CreatedBy)];
  const retry: [string, unknown] = ['retryCount', RETRY_COUNT];
  switch (state) {
    case 'PENDING':
      return bodyOf([...lead(false), ['statusMessage', ''], startBy, ['percentDone', 0]]);
    case 'RUNNING':
      return bodyOf([
        ...lead(true),
        startBy,
        ['expectedCompletionDate', j.ExpectedCompletionDate && localeDate(j.ExpectedCompletionDate)],
        percent,
        createdBy,
      ]);
    case 'COMPLETED':
    case 'PARTIAL':
      return bodyOf(
        [...lead(true), completion, startBy, ['percentDone', 100], retry],
        j.RecoveryPointArn ? [j.RecoveryPointArn] : [],
      );
    case 'FAILED':
      // The FAILED sample has no completionDate and no createdBy (aws-facts.md).
      return bodyOf([...lead(false), message, startBy, percent, retry]);
    case 'ABORTED':
      return bodyOf([...lead(false), message, completion, startBy, percent]);
    case 'EXPIRED':
      return bodyOf([...lead(false), message, completion, startBy, ['percentDone', 0], createdBy]);
    default:
      throw new Error(`no AWS sample shape for a ${state} backup job event`);
  }
};

const copyDetail = (r: CopyJobRecord, state: string): EventBody => {
  const j = r.job;
  // Every copy sample carries the source recovery point in resources[0].
  const resources = [j.SourceRecoveryPointArn ?? ''];
  if (state === 'CREATED') {
    return bodyOf(
      [
        ['creationDate', iso(j.CreationDate)],
        ['state', 'CREATED'],
        ['sourceBackupVaultArn', j.SourceBackupVaultArn],
        ['destinationBackupVaultArn', j.DestinationBackupVaultArn],
      ],
      resources,
    );
  }
  const head: [string, unknown][] = [
    ['copyJobId', j.CopyJobId],
    ['backupSizeInBytes', Number(j.BackupSizeInBytes ?? 0)],
    ['creationDate', iso(j.CreationDate)],
    ['iamRoleArn', j.IamRoleArn],
    ['resourceArn', j.ResourceArn],
    ['resourceType', j.ResourceType],
    ['sourceBackupVaultArn', j.SourceBackupVaultArn],
    ['state', state],
  ];
  const completion: [string, unknown] = ['completionDate', iso(j.CompletionDate)];
  const destination: [string, unknown] = ['destinationBackupVaultArn', j.DestinationBackupVaultArn];
  const createdBy: [string, unknown] = ['createdBy', createdByOf(j.CreatedBy)];
  switch (state) {
    case 'RUNNING':
      return bodyOf([...head, destination, ['destinationRecoveryPointArn', {}], createdBy], resources);
    case 'COMPLETED':
    case 'PARTIAL':
      return bodyOf(
        [...head, completion, destination, ['destinationRecoveryPointArn', j.DestinationRecoveryPointArn], createdBy],
        resources,
      );
    case 'FAILED':
      // Unquoted in the FAILED copy sample ("Access denied exception while trying to list tags"); no createdBy.
      return bodyOf(
        [
          ...head,
          ['statusMessage', j.StatusMessage ?? ''],
          completion,
          destination,
          ['destinationRecoveryPointArn', {}],
        ],
        resources,
      );
    default:
      throw new Error(`no AWS sample shape for a ${state} copy job event`);
  }
};

const restoreDetail = (r: RestoreJobRecord, state: string): EventBody => {
  const j = r.job;
  const resources = [j.RecoveryPointArn ?? ''];
  const id: [string, unknown] = ['restoreJobId', j.RestoreJobId];
  if (state === 'CREATED') {
    return bodyOf([id, ['creationDate', iso(j.CreationDate)], ['state', 'CREATED']], resources);
  }
  const common: [string, unknown][] = [
    ['backupSizeInBytes', String(j.BackupSizeInBytes ?? 0)],
    ['creationDate', iso(j.CreationDate)],
    ['iamRoleArn', j.IamRoleArn],
    // 0 in every restore sample, COMPLETED included.
    ['percentDone', 0],
    ['resourceType', j.ResourceType],
    ['status', state],
  ];
  switch (state) {
    case 'PENDING':
    case 'RUNNING':
      return bodyOf([id, ...common], resources);
    case 'COMPLETED':
      return bodyOf(
        [
          id,
          ['backupVaultArn', j.BackupVaultArn],
          ['recoveryPointArn', j.RecoveryPointArn],
          ['sourceResourceArn', j.SourceResourceArn],
          ...common,
          ['createdResourceArn', j.CreatedResourceArn],
          ['completionDate', iso(j.CompletionDate)],
        ],
        resources,
      );
    case 'FAILED':
    case 'ABORTED':
      // AWS publishes no ABORTED restore sample: it is given the FAILED sample's shape.
      return bodyOf([id, ...common, ['statusMessage', j.StatusMessage ?? '']], resources);
    default:
      throw new Error(`no AWS sample shape for a ${state} restore job event`);
  }
};

/**
 * A scan's detail, in the key order of AWS's scan job samples (eventbridge.html, "Malware scan job
 * events"; events/scan-job.*.json): dates without milliseconds, `createdBy.backupRuleId` (not
 * `backupPlanRuleId` as in backup and copy events), `completionDate` and `statusMessage` on final
 * states only, `scanResult` on finished scans only, the recovery point in `resources[0]` too.
 */
const scanDetail = (r: ScanJobRecord, state: string): EventBody => {
  const j = r.job;
  const final = state !== 'CREATED' && state !== 'RUNNING';
  const c = j.CreatedBy;
  return bodyOf(
    [
      ['accountId', j.AccountId],
      ['backupVaultArn', j.BackupVaultArn],
      ['backupVaultName', j.BackupVaultName],
      ['completionDate', final && j.CompletionDate ? eventTime(j.CompletionDate.getTime()) : undefined],
      [
        'createdBy',
        c && {
          backupPlanArn: c.BackupPlanArn,
          backupPlanId: c.BackupPlanId,
          backupPlanVersion: c.BackupPlanVersion,
          backupRuleId: c.BackupRuleId,
        },
      ],
      ['creationDate', eventTime(j.CreationDate.getTime())],
      ['iamRoleArn', j.IamRoleArn],
      ['scannerRoleArn', j.ScannerRoleArn],
      ['recoveryPointArn', j.RecoveryPointArn],
      ['resourceArn', j.ResourceArn],
      ['resourceType', j.ResourceType],
      ['scanId', j.ScanId],
      ['scanJobId', j.ScanJobId],
      ['scanBaseRecoveryPointArn', j.ScanBaseRecoveryPointArn],
      ['malwareScanner', j.MalwareScanner],
      ['scanResult', final && j.ScanResult ? { scanResultStatus: j.ScanResult.ScanResultStatus } : undefined],
      ['state', state],
      ['statusMessage', final ? (j.StatusMessage ?? '') : undefined],
    ],
    [j.RecoveryPointArn ?? ''],
  );
};

const DETAIL_TYPE = {
  backup: 'Backup Job State Change',
  copy: 'Copy Job State Change',
  restore: 'Restore Job State Change',
  scan: 'Scan Job State Change',
} as const;

/**
 * The event AWS Backup sends for one state change, read from the job as it is at that moment. Its
 * id is derived from (kind, job id, state, time), so a seeded run replays the same ids.
 */
export const buildEvent = (change: JobChange): BackupEventJson => {
  const { record, state, at } = change;
  const { detail, resources } =
    record.kind === 'backup'
      ? backupDetail(record, state)
      : record.kind === 'copy'
        ? copyDetail(record, state)
        : record.kind === 'scan'
          ? scanDetail(record, state)
          : restoreDetail(record, state);
  return {
    version: '0',
    id: uuidFrom('event', record.kind, jobIdOf(record), state, at),
    'detail-type': DETAIL_TYPE[record.kind],
    source: 'aws.backup',
    account: record.account,
    time: eventTime(at),
    region: record.region,
    resources,
    detail,
  };
};
