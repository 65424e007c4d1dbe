import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ExactlyOnce, type LedgerCall } from '../../shared/ledger/exactly-once.js';

/** What the ledger keeps of a FAILED restore once handled. */
export type RestoreStatus = 'alerted' | 'muted' | 'logged';

/** The restore's one alert flag (take-once, shared/ledger/exactly-once). */
const ALERT_FLAG = 'alertedAt';
const restoreKey = (restoreJobId: string) => `restore#${restoreJobId}`;

/**
 * The retry function's ledger items for FAILED restores, `restore#<restoreJobId>`, through the shared
 * protocol without a request: a claim (concurrent deliveries of one event handle it once), the
 * alert's take-once flag (`alertedAt`), and a settlement once handled (a redelivery costs no
 * Describe call). Restores are never retried, so there is no logical key and no attempt counter.
 * The items stay out of the `byDay` index on purpose: the summary counts restores from
 * ListRestoreJobs, not from the ledger.
 */
export class RestoreLedger {
  private readonly once: ExactlyOnce;

  constructor(db: DynamoDBDocumentClient, table: string, ttlDays: number) {
    this.once = new ExactlyOnce(db, { tableName: table, ttlDays });
  }

  /**
   * Claims the handling of a FAILED restore: true for exactly one of concurrent deliveries, and for
   * a delivery after a holder died (its lease passed) or gave the claim back. False when another
   * invocation holds it or it is already handled.
   */
  async claim(restoreJobId: string, attributes: Readonly<Record<string, unknown>>, call: LedgerCall): Promise<boolean> {
    const claim = await this.once.claim(restoreKey(restoreJobId), { attributes }, call);
    return claim.kind === 'claimed' || claim.kind === 'resumed';
  }

  /** Gives the claim back after a failure, so Lambda's async retry of the same event proceeds at once. */
  release(restoreJobId: string, signal?: AbortSignal): Promise<void> {
    return this.once.release(restoreKey(restoreJobId), signal);
  }

  /** Marks the restore handled: later deliveries skip it without an API call. */
  done(restoreJobId: string, status: RestoreStatus, category: string, call: LedgerCall): Promise<void> {
    return this.once.complete(restoreKey(restoreJobId), { status, category }, call);
  }

  /**
   * Publishes the restore's one alert (shared take-once): true for exactly one caller; a failed
   * publish gives the flag back, so the retried invocation sends it. The item must be claimed first.
   */
  tellOnce(restoreJobId: string, publish: () => Promise<void>, call: LedgerCall): Promise<boolean> {
    return this.once.tellOnce(restoreKey(restoreJobId), ALERT_FLAG, publish, call);
  }
}
