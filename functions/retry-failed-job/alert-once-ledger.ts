import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dayStamp } from '../../shared/ledger/activity.js';
import { type Claim, ExactlyOnce, type LedgerCall } from '../../shared/ledger/exactly-once.js';

/** The one alert's take-once flag (shared/ledger/exactly-once). */
const ALERT_FLAG = 'alertedAt';

/**
 * Ledger items of jobs that are never retried but get one alert (FAILED restores, scans that failed
 * or found threats), `<prefix>#<jobId>`, through the shared protocol without a request: a claim
 * (concurrent deliveries of one event handle it once), the alert's take-once flag (`alertedAt`),
 * and a settlement once handled (a redelivery costs no Describe call). There is no logical key and
 * no attempt counter. A claim is stamped `kind: claim` in the `byDay` index, so the sweep finds one
 * whose holder died (sweep.ts); the summary does not count them (it counts these jobs from AWS's lists).
 */
export class AlertOnceLedger<Status extends string> {
  private readonly once: ExactlyOnce;

  constructor(
    db: DynamoDBDocumentClient,
    table: string,
    ttlDays: number,
    private readonly prefix: string,
  ) {
    this.once = new ExactlyOnce(db, { tableName: table, ttlDays });
  }

  private key(jobId: string): string {
    return `${this.prefix}#${jobId}`;
  }

  /**
   * Claims the handling of the job: `claimed` or `resumed` for exactly one of concurrent deliveries,
   * and for a delivery after a holder died (its lease passed) or gave the claim back; `held` when
   * another invocation holds it (not handled yet), `settled` when it is handled. `attributes` say
   * what the sweep needs to handle it again (`jobKind`, `jobId`, its account and Region).
   */
  claim(jobId: string, attributes: Readonly<Record<string, unknown>>, call: LedgerCall): Promise<Claim<never>> {
    return this.once.claim<never>(
      this.key(jobId),
      { attributes: { ...dayStamp('claim', call.now), ...attributes } },
      call,
    );
  }

  /** Gives the claim back after a failure, so Lambda's async retry of the same event proceeds at once. */
  release(jobId: string, signal?: AbortSignal): Promise<void> {
    return this.once.release(this.key(jobId), signal);
  }

  /** Marks the job handled: later deliveries skip it without an API call. */
  done(jobId: string, status: Status, category: string, call: LedgerCall): Promise<void> {
    return this.once.complete(this.key(jobId), { status, category }, call);
  }

  /**
   * Publishes the job's one alert (shared take-once): true for exactly one caller; a failed publish
   * gives the flag back, so the retried invocation sends it. The item must be claimed first.
   */
  tellOnce(jobId: string, publish: () => Promise<void>, call: LedgerCall): Promise<boolean> {
    return this.once.tellOnce(this.key(jobId), ALERT_FLAG, publish, call);
  }
}
