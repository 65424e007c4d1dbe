import { EventParseError } from '../../shared/errors.js';
import { parseBackupEvent } from '../../shared/events/index.js';
import { isRecord } from '../../shared/objects.js';
import type { FailedJobRef } from './logic.js';

/** What invoked the function. */
export type RetryTrigger = { readonly type: 'job'; readonly ref: FailedJobRef } | { readonly type: 'sweep' };

/**
 * Classifies the input: an AWS Backup job event (backup FAILED/EXPIRED/ABORTED, copy FAILED), an
 * attempt schedule firing, or the sweep schedule. Anything else fails with an error naming the
 * field, before any AWS call.
 */
export const classifyInput = (raw: unknown): RetryTrigger => {
  if (!isRecord(raw)) throw new EventParseError('(event)', raw, 'must be an object');
  if (raw.source === 'backup-autopilot') {
    if (raw.action === 'sweep') return { type: 'sweep' };
    if (raw.action === 'retry-attempt') {
      const { logicalKey, attempt, kind, jobId } = raw;
      if (typeof logicalKey !== 'string' || !/^[0-9a-f]{40}$/.test(logicalKey)) {
        throw new EventParseError('logicalKey', logicalKey, 'must be a 40-character ledger key');
      }
      if (typeof attempt !== 'number' || !Number.isInteger(attempt) || attempt < 1 || attempt > 10) {
        throw new EventParseError('attempt', attempt, 'must be an integer from 1 to 10');
      }
      if (kind !== 'backup' && kind !== 'copy') throw new EventParseError('kind', kind, 'must be backup or copy');
      if (typeof jobId !== 'string' || jobId === '' || jobId.length > 1024) {
        throw new EventParseError('jobId', jobId, 'must be a job id');
      }
      return {
        type: 'job',
        ref: { kind, jobId, trigger: 'attempt', attempt: { logicalKey, attempt } },
      };
    }
    throw new EventParseError('action', raw.action, 'must be sweep or retry-attempt');
  }
  const event = parseBackupEvent(raw);
  if (event.kind === 'backup-job') {
    return {
      type: 'job',
      ref: { kind: 'backup', jobId: event.backupJobId, trigger: 'event', eventState: event.state },
    };
  }
  if (event.kind === 'copy-job') {
    if (!event.copyJobId) throw new EventParseError('detail.copyJobId', undefined, 'is required');
    return {
      type: 'job',
      ref: { kind: 'copy', jobId: event.copyJobId, trigger: 'event', eventState: event.state },
    };
  }
  throw new EventParseError('detail-type', 'Restore Job State Change', 'is not retried by this function');
};
