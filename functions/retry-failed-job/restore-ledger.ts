import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AlertOnceLedger } from './alert-once-ledger.js';

/** What the ledger keeps of a FAILED restore once handled. */
export type RestoreStatus = 'alerted' | 'muted' | 'logged';

/** FAILED restores' ledger items, `restore#<restoreJobId>` (alert-once-ledger.ts). Restores are never retried. */
export class RestoreLedger extends AlertOnceLedger<RestoreStatus> {
  constructor(db: DynamoDBDocumentClient, table: string, ttlDays: number) {
    super(db, table, ttlDays, 'restore');
  }
}
