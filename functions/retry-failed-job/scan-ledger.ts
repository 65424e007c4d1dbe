import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ExactlyOnce, type LedgerCall } from '../../shared/ledger/exactly-once.js';

/** What the ledger keeps of a scan once handled: a failed restore's outcomes, and `skipped` when AWS's record shows nothing to alert. */
export type ScanStatus = 'alerted' | 'muted' | 'logged' | 'skipped';

/** The scan's one alert flag (take-once, shared/ledger/exactly-once). */
const ALERT_FLAG = 'alertedAt';
const scanKey = (scanJobId: string) => `scan#${scanJobId}`;

/**
 * The retry function's ledger items for malware scans that failed or found threats,
 * `scan#<scanJobId>`, through the shared protocol without a request, as restore-ledger.ts does for
 * restores: a claim (concurrent deliveries handle it once), the alert's take-once flag
 * (`alertedAt`), and a settlement once handled (a redelivery costs no Describe call). Scans are
 * never retried. The items stay out of the `byDay` index: the summary counts scans from
 * ListScanJobs, not from the ledger.
 */
export class ScanLedger {
  private readonly once: ExactlyOnce;

  constructor(db: DynamoDBDocumentClient, table: string, ttlDays: number) {
    this.once = new ExactlyOnce(db, { tableName: table, ttlDays });
  }

  /** Claims the handling of a scan: true for exactly one of concurrent deliveries (or after a holder died or gave it back). */
  async claim(scanJobId: string, attributes: Readonly<Record<string, unknown>>, call: LedgerCall): Promise<boolean> {
    const claim = await this.once.claim(scanKey(scanJobId), { attributes }, call);
    return claim.kind === 'claimed' || claim.kind === 'resumed';
  }

  /** Gives the claim back after a failure, so Lambda's async retry of the same event proceeds at once. */
  release(scanJobId: string, signal?: AbortSignal): Promise<void> {
    return this.once.release(scanKey(scanJobId), signal);
  }

  /** Marks the scan handled: later deliveries skip it without an API call. */
  done(scanJobId: string, status: ScanStatus, category: string, call: LedgerCall): Promise<void> {
    return this.once.complete(scanKey(scanJobId), { status, category }, call);
  }

  /** Publishes the scan's one alert (shared take-once): true for exactly one caller; a failed publish gives the flag back. */
  tellOnce(scanJobId: string, publish: () => Promise<void>, call: LedgerCall): Promise<boolean> {
    return this.once.tellOnce(scanKey(scanJobId), ALERT_FLAG, publish, call);
  }
}
