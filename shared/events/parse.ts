/**
 * Parsers of AWS Backup's job events ("Backup Job State Change", "Copy Job State Change",
 * "Restore Job State Change") into the normalized types of types.ts, keeping the EventBridge
 * envelope. Every failure is an EventParseError whose `field` is a dotted path (`source`,
 * `detail-type`, `detail`, `detail.backupJobId`, `resources.0`, or `(event)` for a non-object) and
 * whose message says what was expected: `event detail.backupJobId is required`,
 * `event detail.backupJobId must be a string (got number 5)` (issues.ts words every one).
 * Shapes follow AWS's published samples (Backup Developer Guide, eventbridge.html).
 */
import type * as v from 'valibot';
import { isArn } from '../backup/arn.js';
import { EventParseError } from '../errors.js';
import { compact, isRecord } from '../objects.js';
import { parseEventShape } from './issues.js';
import { backupJobEventSchema, copyJobEventSchema, restoreJobEventSchema, scanJobEventSchema } from './schemas.js';
import {
  type BackupEvent,
  type BackupJobStateChange,
  type CopyJobStateChange,
  type CreatedByPlan,
  DETAIL_TYPES,
  type EventEnvelope,
  type RestoreJobStateChange,
  type RestoreJobStatus,
  SCAN_JOB_DETAIL_TYPE,
  type ScanJobStateChange,
} from './types.js';

type Schema =
  | typeof backupJobEventSchema
  | typeof copyJobEventSchema
  | typeof restoreJobEventSchema
  | typeof scanJobEventSchema;

/** The error for a member that is absent (`is required`) or present but not what `expected` says. */
function wrong(field: string, value: unknown, expected: string): EventParseError {
  return new EventParseError(field, value, value === undefined ? 'is required' : expected);
}

/** The envelope checks every parser starts with: an object, from `aws.backup`. */
function checkSource(raw: unknown): Record<string, unknown> {
  if (!isRecord(raw)) throw new EventParseError('(event)', raw, 'must be an EventBridge event object');
  if (raw.source !== 'aws.backup') throw wrong('source', raw.source, 'must be "aws.backup"');
  return raw;
}

/**
 * Checks the envelope in the order a reader would (an object, from `aws.backup`, of the expected
 * detail-type, with a detail object), then runs the schema (issues.ts names the first issue's
 * dotted path). Never lets a TypeError through.
 */
function run<S extends Schema>(schema: S, detailType: string, input: unknown): v.InferOutput<S> {
  const raw = checkSource(input);
  const given = raw['detail-type'];
  if (given !== detailType) throw wrong('detail-type', given, `must be "${detailType}"`);
  if (!isRecord(raw.detail)) throw wrong('detail', raw.detail, 'must be an object');
  return parseEventShape(schema, raw);
}

/**
 * `resources[0]` when a handler will act on it as an ARN. EventBridge promises ARNs there, but
 * the envelope schema only caps lengths, so the one entry used is checked here.
 */
function firstResourceArn(resources: readonly string[]): string | undefined {
  const first = resources[0];
  if (first !== undefined && !isArn(first)) throw new EventParseError('resources.0', first, 'must be an ARN');
  return first;
}

function envelopeOf(e: {
  id: string;
  account: string;
  region: string;
  time: Date;
  resources: string[];
}): EventEnvelope {
  return {
    id: e.id,
    account: e.account,
    region: e.region,
    time: e.time,
    resources: e.resources,
  };
}

function planOf(c: v.InferOutput<typeof backupJobEventSchema>['detail']['createdBy']): CreatedByPlan | undefined {
  return (
    c &&
    compact({
      backupPlanId: c.backupPlanId,
      backupPlanArn: c.backupPlanArn,
      backupPlanVersion: c.backupPlanVersion,
      // Events say `backupPlanRuleId` (eventbridge.html samples); the API says BackupRuleId.
      backupRuleId: c.backupPlanRuleId ?? c.backupRuleId,
    })
  );
}

/**
 * Parses a "Backup Job State Change" event. A COMPLETED job's recovery point is only in
 * `resources[0]` in AWS's sample (and may be a native ARN: snapshot, AMI), so it is taken from
 * there when the detail has none.
 *
 * @throws EventParseError naming the field (e.g. `detail.backupJobId`)
 */
export function parseBackupJobEvent(raw: unknown): BackupJobStateChange {
  const e = run(backupJobEventSchema, DETAIL_TYPES['backup-job'], raw);
  const d = e.detail;
  if (d.state !== 'CREATED' && !d.backupVaultName) {
    throw new EventParseError('detail.backupVaultName', d.backupVaultName, `is required for a ${d.state} backup job`);
  }
  const recoveryPointArn = d.recoveryPointArn ?? (d.state === 'COMPLETED' ? firstResourceArn(e.resources) : undefined);
  return compact({
    ...envelopeOf(e),
    kind: 'backup-job',
    backupJobId: d.backupJobId,
    state: d.state,
    backupVaultName: d.backupVaultName,
    backupVaultArn: d.backupVaultArn,
    resourceArn: d.resourceArn,
    resourceType: d.resourceType,
    iamRoleArn: d.iamRoleArn,
    recoveryPointArn,
    statusMessage: d.statusMessage,
    creationDate: d.creationDate,
    completionDate: d.completionDate,
    startBy: d.startBy,
    expectedCompletionDate: d.expectedCompletionDate,
    percentDone: d.percentDone,
    backupSizeInBytes: d.backupSizeInBytes,
    bytesTransferred: d.bytesTransferred,
    createdBy: planOf(d.createdBy),
  });
}

/**
 * Parses a "Copy Job State Change" event. AWS's FAILED sample carries the source recovery point
 * only in `resources[0]`, and `{}` for the destination recovery point.
 *
 * @throws EventParseError naming the field
 */
export function parseCopyJobEvent(raw: unknown): CopyJobStateChange {
  const e = run(copyJobEventSchema, DETAIL_TYPES['copy-job'], raw);
  const d = e.detail;
  if (d.state !== 'CREATED' && !d.copyJobId) {
    throw new EventParseError('detail.copyJobId', d.copyJobId, `is required for a ${d.state} copy job`);
  }
  if (d.state === 'COMPLETED' && !d.destinationBackupVaultArn) {
    throw new EventParseError('detail.destinationBackupVaultArn', undefined, 'is required for a COMPLETED copy job');
  }
  return compact({
    ...envelopeOf(e),
    kind: 'copy-job',
    copyJobId: d.copyJobId,
    state: d.state,
    sourceBackupVaultArn: d.sourceBackupVaultArn,
    destinationBackupVaultArn: d.destinationBackupVaultArn,
    sourceRecoveryPointArn: d.sourceRecoveryPointArn ?? firstResourceArn(e.resources),
    destinationRecoveryPointArn: d.destinationRecoveryPointArn,
    resourceArn: d.resourceArn,
    resourceType: d.resourceType,
    iamRoleArn: d.iamRoleArn,
    statusMessage: d.statusMessage,
    creationDate: d.creationDate,
    completionDate: d.completionDate,
    percentDone: d.percentDone,
    backupSizeInBytes: d.backupSizeInBytes,
    createdBy: planOf(d.createdBy),
  });
}

/**
 * Parses a "Restore Job State Change" event: `status` (or `state`, which AWS's CREATED sample
 * uses). CREATED maps to PENDING, the API's first restore status.
 *
 * @throws EventParseError naming the field
 */
export function parseRestoreJobEvent(raw: unknown): RestoreJobStateChange {
  const e = run(restoreJobEventSchema, DETAIL_TYPES['restore-job'], raw);
  const d = e.detail;
  const given = d.status ?? d.state;
  if (!given) throw new EventParseError('detail.status', undefined, 'is required (or detail.state)');
  const status: RestoreJobStatus = given === 'CREATED' ? 'PENDING' : given;
  return compact({
    ...envelopeOf(e),
    kind: 'restore-job',
    restoreJobId: d.restoreJobId,
    status,
    resourceType: d.resourceType,
    recoveryPointArn: d.recoveryPointArn ?? firstResourceArn(e.resources),
    createdResourceArn: d.createdResourceArn,
    iamRoleArn: d.iamRoleArn,
    statusMessage: d.statusMessage,
    creationDate: d.creationDate,
    completionDate: d.completionDate,
    percentDone: d.percentDone,
    backupSizeInBytes: d.backupSizeInBytes,
  });
}

/**
 * Parses a "Scan Job State Change" event (a malware scan of a recovery point). The scanned
 * recovery point is taken from `resources[0]` when the detail has none. Not part of
 * {@link parseBackupEvent}: only the retry function's scan rule routes these, and no other
 * handler should meet one.
 *
 * @throws EventParseError naming the field (e.g. `detail.scanJobId`, `detail.scanResult.scanResultStatus`)
 */
export function parseScanJobEvent(raw: unknown): ScanJobStateChange {
  const e = run(scanJobEventSchema, SCAN_JOB_DETAIL_TYPE, raw);
  const d = e.detail;
  return compact({
    ...envelopeOf(e),
    kind: 'scan-job',
    scanJobId: d.scanJobId,
    state: d.state,
    accountId: d.accountId,
    backupVaultName: d.backupVaultName,
    backupVaultArn: d.backupVaultArn,
    recoveryPointArn: d.recoveryPointArn ?? firstResourceArn(e.resources),
    resourceArn: d.resourceArn,
    resourceType: d.resourceType,
    iamRoleArn: d.iamRoleArn,
    scannerRoleArn: d.scannerRoleArn,
    scanId: d.scanId,
    scanBaseRecoveryPointArn: d.scanBaseRecoveryPointArn,
    malwareScanner: d.malwareScanner,
    scanResultStatus: d.scanResult?.scanResultStatus,
    statusMessage: d.statusMessage,
    creationDate: d.creationDate,
    completionDate: d.completionDate,
    createdBy: planOf(d.createdBy),
  });
}

const PARSERS = {
  [DETAIL_TYPES['backup-job']]: parseBackupJobEvent,
  [DETAIL_TYPES['copy-job']]: parseCopyJobEvent,
  [DETAIL_TYPES['restore-job']]: parseRestoreJobEvent,
} as const satisfies Record<string, (raw: unknown) => BackupEvent>;

/**
 * Parses any AWS Backup job event this toolkit handles, by its `detail-type`.
 *
 * @throws EventParseError for another source or detail-type, or a malformed event
 */
export function parseBackupEvent(input: unknown): BackupEvent {
  const raw = checkSource(input);
  const detailType = raw['detail-type'];
  // Own keys only: `detail-type` "constructor" must not find Object.prototype's.
  const parser =
    typeof detailType === 'string' && Object.hasOwn(PARSERS, detailType)
      ? PARSERS[detailType as keyof typeof PARSERS]
      : undefined;
  if (!parser) throw wrong('detail-type', detailType, `must be one of ${Object.values(DETAIL_TYPES).join(', ')}`);
  return parser(raw);
}
