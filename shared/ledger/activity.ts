/**
 * What the ledger records about this toolkit's own actions, shared by the writers (retry and copy
 * functions) and the reader (the summary). Every ledger item carries these attributes so the summary
 * can query one day's activity through the `byDay` index without scanning the table.
 */

/** Ledger table key and index names: one definition for template.yaml, writers and readers. */
export const LEDGER = {
  partitionKey: 'pk',
  ttlAttribute: 'expiresAt',
  dayIndex: 'byDay',
  dayIndexPartitionKey: 'activityDay',
  dayIndexSortKey: 'activityAt',
} as const;

/**
 * What kind of action an item records. The summary counts `retry` and `copy` items; `attempt` items
 * (one retry attempt's stored Start, shared/ledger/exactly-once) and `claim` items (the retry
 * function's claim on handling one failed job, restore or scan) are in the index for the sweep only,
 * which finds the ones whose holder died.
 */
export type ActivityKind = 'retry' | 'copy' | 'attempt' | 'claim';

/** Status of a logical backup's retry record. */
export type RetryActivityStatus = 'scheduled' | 'started' | 'skipped' | 'exhausted' | 'alerted';

/**
 * Status of one copy (per source recovery point, destination and hop): `claimed` from the claim
 * (request stored) until AWS answers, then `started` (with its copy job id) or `failed-to-start`.
 */
export type CopyActivityStatus = 'claimed' | 'started' | 'failed-to-start';

/** Attributes every ledger item has for the `byDay` index (UTC day and ISO time of the last change). */
export interface ActivityStamp {
  readonly kind: ActivityKind;
  /** `YYYY-MM-DD` (UTC) of the last change: partition key of the `byDay` index. */
  readonly activityDay: string;
  /** ISO-8601 time of the last change: sort key of the `byDay` index. */
  readonly activityAt: string;
  /** Epoch seconds after which DynamoDB TTL may delete the item. */
  readonly expiresAt: number;
}

/** A retry record as the summary reads it. */
export interface RetryActivity extends ActivityStamp {
  readonly kind: 'retry';
  readonly status: RetryActivityStatus;
  readonly accountId: string;
  readonly region: string;
  readonly resourceArn: string;
  readonly backupVaultName: string;
  /** Attempts started so far. */
  readonly attempts: number;
  /** Job ids of the failed originals and of every job this toolkit started, oldest first. */
  readonly originalJobId: string;
  readonly startedJobIds: readonly string[];
  /** Diagnosis category of the last failure. */
  readonly category?: string;
}

/** A copy record as the summary reads it. */
export interface CopyActivity extends ActivityStamp {
  readonly kind: 'copy';
  readonly status: CopyActivityStatus;
  readonly accountId: string;
  readonly region: string;
  readonly sourceRecoveryPointArn: string;
  readonly destinationVaultArn: string;
  readonly ruleName: string;
  readonly hop: number;
  readonly hops: number;
  readonly copyJobId?: string;
  readonly category?: string;
}

/** The `byDay` index attributes of an item changed at `now` (its TTL is the writer's: shared/ledger/policy). */
export function dayStamp<K extends ActivityKind>(
  kind: K,
  now: Date,
): Pick<ActivityStamp, 'activityDay' | 'activityAt'> & { kind: K } {
  return {
    kind,
    activityDay: now.toISOString().slice(0, 10),
    activityAt: now.toISOString(),
  };
}
