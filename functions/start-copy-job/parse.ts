import { EventParseError } from '../../shared/errors.js';
import { type BackupEvent, parseBackupEvent } from '../../shared/events/index.js';
import { isRecord } from '../../shared/objects.js';

/** What invoked the copy function: an AWS Backup job event, or its hourly copy sweep. */
export type CopyInput = { readonly type: 'event'; readonly event: BackupEvent } | { readonly type: 'sweep' };

/**
 * Classifies the input before any AWS call: the copy sweep's schedule input
 * (`{"source":"backup-autopilot","action":"copy-sweep"}`), or an AWS Backup event parsed strictly.
 */
export function classifyCopyInput(raw: unknown): CopyInput {
  if (isRecord(raw) && raw.source === 'backup-autopilot') {
    if (raw.action === 'copy-sweep') return { type: 'sweep' };
    throw new EventParseError('action', raw.action, 'must be copy-sweep');
  }
  return { type: 'event', event: parseBackupEvent(raw) };
}
