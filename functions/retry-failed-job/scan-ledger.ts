import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AlertOnceLedger } from './alert-once-ledger.js';

/** What the ledger keeps of a scan once handled: a failed restore's outcomes, and `skipped` when AWS's record shows nothing to alert. */
export type ScanStatus = 'alerted' | 'muted' | 'logged' | 'skipped';

/** Ledger items of malware scans that failed or found threats, `scan#<scanJobId>` (alert-once-ledger.ts). Scans are never retried. */
export class ScanLedger extends AlertOnceLedger<ScanStatus> {
  constructor(db: DynamoDBDocumentClient, table: string, ttlDays: number) {
    super(db, table, ttlDays, 'scan');
  }
}
