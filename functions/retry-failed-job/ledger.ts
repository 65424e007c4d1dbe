import { createHash } from 'node:crypto';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateQuery,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { StartBackupJobRequest, StartCopyJobRequest } from '../../shared/backup/index.js';
import { activityStamp, LEDGER, type RetryActivityStatus } from '../../shared/ledger/activity.js';
import { conditionalWrite } from '../../shared/ledger/conditional.js';
import type { FailedJob, FailedKind } from './facts.js';

/**
 * The retry ledger in DynamoDB. Three item shapes share the table:
 * - `retry#<key>`: one record per logical backup (account, Region, resource, vault, plan rule and its
 *   run window), holding the attempt counter, the Start input of the attempt in flight (written
 *   BEFORE the call, so a re-send after a crash is identical), and whether the alert went out.
 *   It carries the `byDay` activity attributes the summary reads.
 * - `job#<id>` / `copyjob#<id>`: one per failed job seen and per job this toolkit started: a claim
 *   (so concurrent deliveries of one event act once), a `done` mark (so a duplicate or a sweep costs
 *   no Describe call), and the logical key a retried job's own failure continues.
 * - `sweep#retry`: the reconciliation sweep's cursor.
 * Every write that matters is conditional. Only `retry#` records carry the activity stamp
 * (`kind`, `activityDay`, `activityAt`): the summary counts every stamped `retry` item as one logical
 * backup, so pointers and the cursor stay out of the sparse `byDay` index on purpose.
 */
export interface RetryRecord {
  readonly pk: string;
  readonly attempts: number;
  readonly originalJobId: string;
  readonly startedJobIds: readonly string[];
  readonly alerted: boolean;
  readonly status: RetryActivityStatus;
  /** The plan rule that created the original job: later attempts (on-demand jobs) keep its settings. */
  readonly plan?: FailedJob['plan'];
  /** The attempt in flight: its exact Start input, stored before the call, and who holds it until when. */
  readonly pending?: PendingAttempt;
  /** Every attempt's Start input, by attempt number (for audit and the alert). */
  readonly inputs?: Readonly<Record<string, StartBackupJobRequest | StartCopyJobRequest>>;
}

/** An attempt whose Start input is stored but whose answer is not recorded yet. */
export interface PendingAttempt {
  readonly attempt: number;
  readonly kind: FailedKind;
  readonly input: StartBackupJobRequest | StartCopyJobRequest;
  /** Epoch ms until which the invocation that stored it may still be sending it. */
  readonly leaseUntil: number;
}

/** A job pointer / claim. */
export interface JobPointer {
  readonly status: 'claimed' | 'started' | 'done';
  readonly logicalKey?: string;
  readonly claimedUntil?: number;
}

/** The logical backup a failed job belongs to: what all its retries share. */
export const logicalKeyOf = (job: FailedJob): string => {
  const scope =
    job.kind === 'copy'
      ? `copy|${job.copy?.sourceRecoveryPointArn ?? job.jobId}|${job.copy?.destinationVaultArn ?? ''}`
      : job.plan
        ? // A plan rule's run: AWS creates one job per resource per run, so the hour it was created names the run.
          `plan|${job.plan.planId}|${job.plan.ruleId ?? ''}|${job.createdAt.toISOString().slice(0, 13)}`
        : `job|${job.jobId}`;
  const identity = [job.accountId, job.region, job.kind, job.resourceArn, job.vaultName, scope].join('|');
  return createHash('sha256').update(identity).digest('hex').slice(0, 40);
};

const recordKey = (key: string) => `retry#${key}`;
const pointerKey = (kind: FailedKind, jobId: string) => `${kind === 'copy' ? 'copyjob' : 'job'}#${jobId}`;

/** Ledger operations, bound to a table, a client and a retention. */
export class RetryLedger {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly ttlDays: number,
  ) {}

  private ttl(now: Date): number {
    return Math.floor(now.getTime() / 1000) + this.ttlDays * 86_400;
  }

  /** The pointer of a job, if any (strongly consistent). */
  async pointer(kind: FailedKind, jobId: string): Promise<JobPointer | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: { pk: pointerKey(kind, jobId) }, ConsistentRead: true }),
    );
    return out.Item as JobPointer | undefined;
  }

  /**
   * Claims the handling of a failed job for `leaseMs`. Concurrent deliveries of one event: exactly
   * one wins. A claim older than the lease (a container that died) can be taken over, so Lambda's
   * async retry of the same event proceeds.
   */
  claim(kind: FailedKind, jobId: string, now: Date, leaseMs: number): Promise<boolean> {
    return conditionalWrite(() =>
      this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: pointerKey(kind, jobId) },
          UpdateExpression: 'SET #s = :claimed, claimedUntil = :until, expiresAt = :ttl',
          ConditionExpression:
            'attribute_not_exists(pk) OR (#s <> :done AND (attribute_not_exists(claimedUntil) OR claimedUntil < :now))',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: {
            ':claimed': 'claimed',
            ':done': 'done',
            ':until': now.getTime() + leaseMs,
            ':now': now.getTime(),
            ':ttl': this.ttl(now),
          },
        }),
      ),
    );
  }

  /** Gives a claim back when handling failed, so Lambda's async retry of the same event proceeds at once. */
  async releaseClaim(kind: FailedKind, jobId: string): Promise<void> {
    await conditionalWrite(() =>
      this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: pointerKey(kind, jobId) },
          UpdateExpression: 'SET claimedUntil = :zero',
          ConditionExpression: '#s = :claimed',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':zero': 0, ':claimed': 'claimed' },
        }),
      ),
    );
  }

  /** Marks a failed job handled: later deliveries and sweeps skip it without an API call. */
  async done(kind: FailedKind, jobId: string, logicalKey: string, now: Date): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: pointerKey(kind, jobId) },
        UpdateExpression: 'SET #s = :done, logicalKey = :key, expiresAt = :ttl REMOVE claimedUntil',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':done': 'done', ':key': logicalKey, ':ttl': this.ttl(now) },
      }),
    );
  }

  /** The record of a logical backup (strongly consistent). */
  async record(key: string): Promise<RetryRecord | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: { pk: recordKey(key) }, ConsistentRead: true }),
    );
    return out.Item as RetryRecord | undefined;
  }

  /** Creates the record of a logical backup at its first failure (no-op when it exists). */
  async open(key: string, job: FailedJob, category: string, now: Date): Promise<void> {
    await conditionalWrite(() =>
      this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            pk: recordKey(key),
            ...activityStamp('retry', now, this.ttlDays),
            status: 'skipped',
            accountId: job.accountId,
            region: job.region,
            resourceArn: job.resourceArn,
            backupVaultName: job.vaultName,
            jobKind: job.kind,
            attempts: 0,
            originalJobId: job.jobId,
            startedJobIds: [],
            inputs: {},
            alerted: false,
            category,
            ...(job.plan ? { plan: job.plan } : {}),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  /** Records the status of the latest decision (and its day for the summary). */
  async status(key: string, status: RetryActivityStatus, detail: string, category: string, now: Date): Promise<void> {
    const stamp = activityStamp('retry', now, this.ttlDays);
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: recordKey(key) },
        UpdateExpression:
          'SET #s = :s, detail = :d, category = :c, activityDay = :day, activityAt = :at, expiresAt = :ttl',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: {
          ':s': status,
          ':d': detail,
          ':c': category,
          ':day': stamp.activityDay,
          ':at': stamp.activityAt,
          ':ttl': stamp.expiresAt,
        },
      }),
    );
  }

  /**
   * Stores the exact Start input of `attempt` before the call and takes its lease. Succeeds only
   * while the attempt counter is still at `attempt - 1` and no live invocation holds the attempt, so
   * an attempt is sent by one invocation at a time; once the lease has passed (a container that
   * died), the stored input is taken over and re-sent as it is.
   */
  pending(
    key: string,
    attempt: number,
    kind: FailedKind,
    input: StartBackupJobRequest | StartCopyJobRequest,
    now: Date,
    leaseMs: number,
  ): Promise<boolean> {
    const stamp = activityStamp('retry', now, this.ttlDays);
    const pending: PendingAttempt = { attempt, kind, input, leaseUntil: now.getTime() + leaseMs };
    return conditionalWrite(() =>
      this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: recordKey(key) },
          UpdateExpression:
            'SET pending = :p, inputs.#a = :input, #s = :s, activityDay = :day, activityAt = :at, expiresAt = :ttl',
          ConditionExpression:
            'attempts = :prev AND (attribute_not_exists(pending) OR (pending.attempt = :attempt AND pending.leaseUntil < :now))',
          ExpressionAttributeNames: { '#s': 'status', '#a': String(attempt) },
          ExpressionAttributeValues: {
            ':p': pending,
            ':input': input,
            ':s': 'scheduled',
            ':prev': attempt - 1,
            ':attempt': attempt,
            ':now': now.getTime(),
            ':day': stamp.activityDay,
            ':at': stamp.activityAt,
            ':ttl': stamp.expiresAt,
          },
        }),
      ),
    );
  }

  /** Gives an attempt's lease back after a failed call (input kept), so a retry re-sends it at once. */
  async releasePending(key: string, attempt: number): Promise<void> {
    await conditionalWrite(() =>
      this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: recordKey(key) },
          UpdateExpression: 'SET pending.leaseUntil = :zero',
          ConditionExpression: 'pending.attempt = :attempt',
          ExpressionAttributeValues: { ':zero': 0, ':attempt': attempt },
        }),
      ),
    );
  }

  /** Drops an attempt AWS refused for good (non-retryable error): it will not be re-sent. */
  async abandonPending(key: string, attempt: number): Promise<void> {
    await conditionalWrite(() =>
      this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: recordKey(key) },
          UpdateExpression: 'REMOVE pending',
          ConditionExpression: 'pending.attempt = :attempt',
          ExpressionAttributeValues: { ':attempt': attempt },
        }),
      ),
    );
  }

  /**
   * Records whose attempt was stored but never answered and whose lease has passed: a container
   * died between the ledger write and recording the answer. The sweep re-sends them. Reads the
   * `byDay` index for the given days (a record's day moves with every change, so an interrupted
   * attempt sits on the day its Start input was stored).
   */
  async *interrupted(days: readonly string[], now: Date, signal?: AbortSignal): AsyncGenerator<string> {
    for (const day of days) {
      const pages = paginateQuery(
        { client: this.db },
        {
          TableName: this.table,
          IndexName: LEDGER.dayIndex,
          KeyConditionExpression: '#day = :day',
          FilterExpression: '#kind = :retry AND attribute_exists(pending) AND pending.leaseUntil < :now',
          ExpressionAttributeNames: { '#day': LEDGER.dayIndexPartitionKey, '#kind': 'kind' },
          ExpressionAttributeValues: { ':day': day, ':retry': 'retry', ':now': now.getTime() },
          ProjectionExpression: 'pk',
        },
        { abortSignal: signal },
      );
      for await (const page of pages) {
        for (const item of page.Items ?? []) {
          const pk = item.pk;
          if (typeof pk === 'string' && pk.startsWith('retry#')) yield pk.slice('retry#'.length);
        }
      }
    }
  }

  /** Records a started attempt and points the new job back at its logical backup. */
  async started(key: string, attempt: number, kind: FailedKind, newJobId: string, now: Date): Promise<void> {
    const stamp = activityStamp('retry', now, this.ttlDays);
    await conditionalWrite(() =>
      this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: recordKey(key) },
          UpdateExpression:
            'SET attempts = :attempt, startedJobIds = list_append(startedJobIds, :ids), #s = :s, activityDay = :day, activityAt = :at, expiresAt = :ttl REMOVE pending',
          ConditionExpression: 'attempts = :prev',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: {
            ':attempt': attempt,
            ':prev': attempt - 1,
            ':ids': [newJobId],
            ':s': 'started',
            ':day': stamp.activityDay,
            ':at': stamp.activityAt,
            ':ttl': stamp.expiresAt,
          },
        }),
      ),
    );
    // Conditional: a re-sent attempt gets the same job id back, whose pointer may already say `done`.
    await conditionalWrite(() =>
      this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: pointerKey(kind, newJobId), status: 'started', logicalKey: key, expiresAt: this.ttl(now) },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  /** Takes the one alert of a logical backup: true for exactly one caller. */
  takeAlert(key: string): Promise<boolean> {
    return conditionalWrite(() =>
      this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: recordKey(key) },
          UpdateExpression: 'SET alerted = :t',
          ConditionExpression: 'alerted = :f',
          ExpressionAttributeValues: { ':t': true, ':f': false },
        }),
      ),
    );
  }

  /** Gives the alert back when publishing failed, so the retried invocation sends it. */
  async releaseAlert(key: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: recordKey(key) },
        UpdateExpression: 'SET alerted = :f',
        ExpressionAttributeValues: { ':f': false },
      }),
    );
  }

  /** When the last sweep ran. */
  async sweepCursor(): Promise<Date | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: { pk: 'sweep#retry' }, ConsistentRead: true }),
    );
    const at = out.Item?.lastSweepAt;
    return typeof at === 'string' ? new Date(at) : undefined;
  }

  /** Moves the sweep cursor forward (never back). */
  async moveSweepCursor(to: Date, now: Date): Promise<void> {
    await conditionalWrite(() =>
      this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: 'sweep#retry', lastSweepAt: to.toISOString(), expiresAt: this.ttl(now) },
          ConditionExpression: 'attribute_not_exists(lastSweepAt) OR lastSweepAt < :to',
          ExpressionAttributeValues: { ':to': to.toISOString() },
        }),
      ),
    );
  }
}
