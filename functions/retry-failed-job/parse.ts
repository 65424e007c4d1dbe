import * as v from 'valibot';
import { EventParseError } from '../../shared/errors.js';
import {
  parseBackupEvent,
  parseEventShape,
  parseScanJobEvent,
  type RestoreJobStateChange,
  SCAN_JOB_DETAIL_TYPE,
  type ScanJobStateChange,
} from '../../shared/events/index.js';
import { isRecord } from '../../shared/objects.js';
import { isAwsAccountId, isRegion } from '../../shared/validate/identifiers.js';
import { boundedString } from '../../shared/validate/unicode.js';
import { MAX_WAITS } from './decide.js';
import type { FailedJobRef } from './facts.js';

/** A whole number from 1 to `max`, as a JSON number: an attempt, a look again. */
function countUpTo(max: number) {
  const expected = `must be an integer from 1 to ${max}`;
  return v.pipe(
    v.number(expected),
    v.check((n: number) => Number.isInteger(n) && n >= 1 && n <= max, expected),
  );
}

/**
 * The payload of an attempt schedule (schedule.ts writes it as the Scheduler target's input). It is
 * ours, but it travels through EventBridge Scheduler, and anyone allowed to invoke the function can
 * send one: so it is checked as strictly as an AWS event.
 */
const attemptSchema = v.looseObject({
  logicalKey: v.pipe(
    v.string('must be a 40-character ledger key'),
    v.maxLength(40, 'must be a 40-character ledger key'),
    v.regex(/^[0-9a-f]{40}$/, 'must be a 40-character ledger key'),
  ),
  attempt: countUpTo(10),
  wait: v.optional(countUpTo(MAX_WAITS)),
  kind: v.picklist(['backup', 'copy'], 'must be backup or copy'),
  // Well-formed Unicode too: the id goes into DescribeBackupJob's request path.
  jobId: v.pipe(boundedString(1024, 'must be a job id'), v.minLength(1, 'must be a job id')),
  // Where the job lives (central mode); both or neither: a schedule made before they existed has neither.
  account: v.optional(v.pipe(v.string('must be an account id'), v.check(isAwsAccountId, 'must be an account id'))),
  region: v.optional(v.pipe(v.string('must be a Region code'), v.check(isRegion, 'must be a Region code'))),
});

/** Parses an attempt payload, or throws an EventParseError naming the first bad field (as events/parse.ts does). */
function parseAttempt(raw: Record<string, unknown>): v.InferOutput<typeof attemptSchema> {
  return parseEventShape(attemptSchema, raw);
}

/** What invoked the function. */
export type RetryTrigger =
  | { readonly type: 'job'; readonly ref: FailedJobRef }
  /** A FAILED restore: alerted once, never retried (restore.ts). */
  | { readonly type: 'restore'; readonly event: RestoreJobStateChange }
  /** A malware scan that FAILED or found threats: alerted once, never retried (scan.ts). */
  | { readonly type: 'scan'; readonly event: ScanJobStateChange }
  | { readonly type: 'sweep' };

/**
 * A scan event the scan rule routes: FAILED, or finished (COMPLETED, COMPLETED_WITH_ISSUES) with
 * THREATS_FOUND. Anything else fails by field, before any AWS call.
 */
function alertableScan(event: ScanJobStateChange): ScanJobStateChange {
  if (event.state === 'FAILED') return event;
  if (event.state !== 'COMPLETED' && event.state !== 'COMPLETED_WITH_ISSUES') {
    throw new EventParseError(
      'detail.state',
      event.state,
      'must be FAILED, COMPLETED or COMPLETED_WITH_ISSUES (other scan states are not handled)',
    );
  }
  if (event.scanResultStatus !== 'THREATS_FOUND') {
    throw new EventParseError(
      'detail.scanResult.scanResultStatus',
      event.scanResultStatus,
      event.scanResultStatus === undefined
        ? 'is required for a finished scan'
        : 'must be THREATS_FOUND (a clean scan is not alerted)',
    );
  }
  return event;
}

/**
 * Classifies the input: an AWS Backup job event (backup FAILED/EXPIRED/ABORTED, copy FAILED,
 * restore FAILED, scan FAILED or THREATS_FOUND), an attempt schedule firing, or the sweep schedule. Anything else fails with an
 * error naming the field, before any AWS call.
 */
export function classifyInput(raw: unknown): RetryTrigger {
  if (!isRecord(raw)) throw new EventParseError('(event)', raw, 'must be an object');
  if (raw.source === 'backup-autopilot') {
    if (raw.action === 'sweep') return { type: 'sweep' };
    if (raw.action === 'retry-attempt') {
      const { logicalKey, attempt, wait, kind, jobId, account, region } = parseAttempt(raw);
      if ((account === undefined) !== (region === undefined)) {
        throw new EventParseError(
          account === undefined ? 'account' : 'region',
          undefined,
          'is required with the other',
        );
      }
      const place = account !== undefined && region !== undefined ? { place: { account, region } } : {};
      return {
        type: 'job',
        ref: { kind, jobId, trigger: 'attempt', attempt: { logicalKey, attempt, ...(wait ? { wait } : {}) }, ...place },
      };
    }
    throw new EventParseError('action', raw.action, 'must be sweep or retry-attempt');
  }
  if (raw['detail-type'] === SCAN_JOB_DETAIL_TYPE)
    return { type: 'scan', event: alertableScan(parseScanJobEvent(raw)) };
  const event = parseBackupEvent(raw);
  if (event.kind === 'backup-job') {
    return {
      type: 'job',
      ref: {
        kind: 'backup',
        jobId: event.backupJobId,
        trigger: 'event',
        eventState: event.state,
        event,
        place: { account: event.account, region: event.region },
      },
    };
  }
  if (event.kind === 'copy-job') {
    if (!event.copyJobId) throw new EventParseError('detail.copyJobId', undefined, 'is required');
    return {
      type: 'job',
      ref: {
        kind: 'copy',
        jobId: event.copyJobId,
        trigger: 'event',
        eventState: event.state,
        event,
        place: { account: event.account, region: event.region },
      },
    };
  }
  // Only a FAILED restore is this function's to tell people about; the rule routes no other status.
  if (event.status !== 'FAILED') {
    throw new EventParseError('detail.status', event.status, 'must be FAILED (other restore statuses are not handled)');
  }
  return { type: 'restore', event };
}
