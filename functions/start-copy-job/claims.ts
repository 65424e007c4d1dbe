import type { StartCopyJobRequest } from '../../shared/backup/index.js';
import type { Diagnosis } from '../../shared/diagnosis/index.js';
import { type CopyActivity, dayStamp } from '../../shared/ledger/activity.js';
import type { Claim, ExactlyOnce, LedgerCall } from '../../shared/ledger/exactly-once.js';
import type { PlannedCopy, SharedRoute } from './decide.js';

/**
 * The copy function's use of the shared exactly-once protocol (shared/ledger/exactly-once.ts): one
 * ledger item per (source recovery point, destination, hop), keyed by the copy's idempotency token.
 * What is the copy's own: the item's description (the hop of a route), read by the summary.
 */
export interface CopyClaimItem extends CopyActivity {
  readonly pk: string;
  /** The route's final vault (`destinationVaultArn` is this hop's). */
  readonly finalDestinationVaultArn: string;
  /** The other routes the copy serves (decide.ts PlannedCopy.alsoFor), so a resumed claim's alert names them too. */
  readonly alsoFor?: readonly SharedRoute[];
  /** The exact StartCopyJob input, stored before the call (same token, same input on a re-send). */
  readonly request: StartCopyJobRequest;
  /** Why the start was refused (status `failed-to-start`). */
  readonly diagnosis?: Diagnosis;
  /** Set once the failure-to-start alert was published. */
  readonly alertedAt?: string;
}

/** Ledger key of a copy: its idempotency token, which already names source, destination and hop. */
export function copyKey(token: string): string {
  return `copy#${token}`;
}

/** The alert flag of a copy item (take-once). */
export const COPY_ALERT_FLAG = 'alertedAt';

/**
 * Claims a planned copy: status `claimed` with the exact request, before StartCopyJob. It becomes
 * `started` only with the copy job id AWS returned ({@link recordStarted}); a claim whose holder died
 * stays `claimed` and is resumed (the stored request re-sent) after its lease, by a redelivery or
 * the copy sweep. The summary counts only `started` copies with a job id.
 */
export function claimCopy(
  ledger: ExactlyOnce,
  copy: PlannedCopy,
  call: LedgerCall,
): Promise<Claim<StartCopyJobRequest>> {
  return ledger.claim<StartCopyJobRequest>(
    copyKey(copy.input.IdempotencyToken),
    {
      request: copy.input,
      attributes: {
        ...dayStamp('copy', call.now),
        status: 'claimed',
        accountId: copy.accountId,
        region: copy.region,
        sourceRecoveryPointArn: copy.input.RecoveryPointArn,
        destinationVaultArn: copy.input.DestinationBackupVaultArn,
        finalDestinationVaultArn: copy.destinationVaultArn,
        ruleName: copy.ruleName,
        hop: copy.hop,
        hops: copy.hops,
        ...(copy.alsoFor ? { alsoFor: copy.alsoFor } : {}),
      },
    },
    call,
  );
}

/** Records the copy job AWS started. */
export function recordStarted(ledger: ExactlyOnce, pk: string, copyJobId: string, call: LedgerCall) {
  return ledger.complete(
    pk,
    {
      copyJobId,
      status: 'started',
      ...dayStamp('copy', call.now),
    },
    call,
  );
}

/** Records a start AWS refused, with its diagnosis: never re-sent; its alert is told once. */
export function recordRefused(ledger: ExactlyOnce, pk: string, diagnosis: Diagnosis, call: LedgerCall) {
  return ledger.refuse(
    pk,
    {
      status: 'failed-to-start',
      category: diagnosis.category,
      diagnosis,
      ...dayStamp('copy', call.now),
    },
    call,
  );
}
