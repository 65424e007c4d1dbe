import { createHash } from 'node:crypto';
import { type DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { StartBackupJobRequest, StartCopyJobRequest } from '../../shared/backup/index.js';
import { dayStamp, type RetryActivityStatus } from '../../shared/ledger/activity.js';
import { conditionalWrite } from '../../shared/ledger/conditional.js';
import { type Claim, ExactlyOnce, type LedgerCall } from '../../shared/ledger/exactly-once.js';
import type { FailedJob, FailedKind } from './facts.js';

/**
 * The retry function's use of the ledger. Claims, leases, stored requests, resuming and alert-once
 * are the shared protocol's (shared/ledger/exactly-once.ts); what is the retry function's own is the
 * attempt counter and the logical key. Four item shapes share the table:
 * - `retry#<key>`: one record per logical backup (account, Region, resource, vault, plan rule and its
 *   run window): the attempt counter, every started job, the status the summary reads, and the
 *   alert's take-once flag (`alertedAt`). It carries the `byDay` activity attributes.
 * - `attempt#<key>#<n>`: attempt n's Start, through the shared protocol: its exact input stored
 *   BEFORE the call, the lease, the job id AWS returned. Stamped `kind: attempt` so the sweep finds
 *   interrupted ones in the `byDay` index; the summary does not count them.
 * - `job#<id>` / `copyjob#<id>`: one per failed job seen and per job this toolkit started, through
 *   the shared protocol without a request: a claim (concurrent deliveries of one event act once;
 *   stamped `kind: claim` in `byDay`, so the sweep finds one whose holder died), settled once
 *   handled (a duplicate or a sweep costs no Describe call), and the logical key a retried job's own
 *   failure continues.
 * - `sweep#retry`: the reconciliation sweep's state (shared/sweep/state.ts).
 * Pointers written for started jobs and the cursor stay out of the sparse `byDay` index.
 */
export interface RetryRecord {
  readonly pk: string;
  readonly attempts: number;
  readonly originalJobId: string;
  readonly startedJobIds: readonly string[];
  readonly alerted: boolean;
  readonly status: RetryActivityStatus;
  /** The account and Region of the logical backup (written by open(); a resumed attempt starts there). */
  readonly accountId?: string;
  readonly region?: string;
  /** The plan rule that created the original job: later attempts (on-demand jobs) keep its settings. */
  readonly plan?: FailedJob['plan'];
  /**
   * The attempt whose Start was claimed and not yet counted: a hint that saves a read of its attempt
   * item on every delivery (the item, not this, is the truth).
   */
  readonly pendingAttempt?: number;
  /** Every started attempt's Start input, by attempt number (for audit and the alert). */
  readonly inputs?: Readonly<Record<string, AttemptInput>>;
}

/** The Start input of an attempt. */
export type AttemptInput = StartBackupJobRequest | StartCopyJobRequest;

/** An attempt item of the shared protocol, as stored. */
export interface AttemptItem {
  readonly logicalKey: string;
  readonly attempt: number;
  readonly jobKind: FailedKind;
  /** The exact Start input, stored before the call. */
  readonly request: AttemptInput;
  readonly settled?: 'completed' | 'refused';
  readonly jobId?: string;
  /** AWS's refusal of a `refused` attempt, stored for the alert a redelivery may still have to send. */
  readonly errorName?: string;
  readonly errorMessage?: string;
  readonly statusCode?: number;
}

/** How AWS refused an attempt's Start for good. */
export interface Refusal {
  readonly errorName: string;
  readonly errorMessage?: string;
  readonly statusCode?: number;
}

/** An attempt AWS accepted: the job it started, for the record. */
export interface StartedAttempt {
  readonly key: string;
  readonly attempt: number;
  readonly kind: FailedKind;
  readonly input: AttemptInput;
  readonly newJobId: string;
}

/** A claim the sweep found interrupted (ledger `interruptedClaims`). */
export interface InterruptedClaim {
  /** `backup` | `copy` (a failed job), `restore`, `scan`. */
  readonly jobKind: string;
  readonly jobId: string;
  /** Where the job lives, when the claim named it. */
  readonly place?: { readonly account: string; readonly region: string };
  /** A scan's state and vault, as its claim stored them (a scan is handled from these). */
  readonly state?: string;
  readonly backupVaultName?: string;
}

/** A job pointer / claim. */
export interface JobPointer {
  readonly status: 'claimed' | 'started' | 'done';
  readonly logicalKey?: string;
}

/** The logical backup a failed job belongs to: what all its retries share. */
export function logicalKeyOf(job: FailedJob): string {
  const scope =
    job.kind === 'copy'
      ? `copy|${job.copy?.sourceRecoveryPointArn ?? job.jobId}|${job.copy?.destinationVaultArn ?? ''}`
      : job.plan
        ? // A plan rule's run: AWS creates one job per resource per run, so the hour it was created names the run.
          `plan|${job.plan.planId}|${job.plan.ruleId ?? ''}|${job.createdAt.toISOString().slice(0, 13)}`
        : `job|${job.jobId}`;
  const identity = [job.accountId, job.region, job.kind, job.resourceArn, job.vaultName, scope].join('|');
  return createHash('sha256').update(identity).digest('hex').slice(0, 40);
}

function recordKey(key: string) {
  return `retry#${key}`;
}
function attemptKey(key: string, attempt: number) {
  return `attempt#${key}#${attempt}`;
}
/** The record's alert flag (take-once, shared/ledger/exactly-once). */
const ALERT_FLAG = 'alertedAt';
function pointerKey(kind: FailedKind, jobId: string) {
  return `${kind === 'copy' ? 'copyjob' : 'job'}#${jobId}`;
}

/** Ledger operations, bound to a table, a client and a retention; every call takes the caller's clock and signal. */
export class RetryLedger {
  private readonly once: ExactlyOnce;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    ttlDays: number,
  ) {
    this.once = new ExactlyOnce(db, { tableName: table, ttlDays });
  }

  /** The pointer of a job, if any (strongly consistent). */
  async pointer(kind: FailedKind, jobId: string, signal?: AbortSignal): Promise<JobPointer | undefined> {
    const item = await this.once.get<Record<string, unknown>>(pointerKey(kind, jobId), signal);
    if (item === undefined) return undefined;
    const status = item.settled === 'completed' ? 'done' : item.status === 'started' ? 'started' : 'claimed';
    return { status, ...(typeof item.logicalKey === 'string' ? { logicalKey: item.logicalKey } : {}) };
  }

  /**
   * Claims the handling of a failed job under the shared lease. Concurrent deliveries of one event:
   * exactly one gets `claimed`. A claim whose holder died is taken over (`resumed`) after the lease,
   * so Lambda's async retry of the same event proceeds; inside the lease it is `held` (not handled
   * yet), and `settled` once done. `place` is where the job lives when not the function's own.
   */
  claim(
    kind: FailedKind,
    jobId: string,
    call: LedgerCall,
    place?: { readonly account: string; readonly region: string },
  ): Promise<Claim<never>> {
    // Stamped `kind: claim` for the sweep (interruptedClaims): what it needs to handle the job again.
    const attributes = { ...dayStamp('claim', call.now), jobKind: kind, jobId, ...(place ? { ...place } : {}) };
    return this.once.claim<never>(pointerKey(kind, jobId), { attributes }, call);
  }

  /**
   * Claims (of failed jobs, restores and scans) whose holder died or gave them back and that were
   * never settled, their lease passed: the sweep handles them again. A claim whose sweep or event
   * saw it held answered "in flight" and counted nothing as handled, so this is what finds it.
   */
  async *interruptedClaims(days: readonly string[], call: LedgerCall): AsyncGenerator<InterruptedClaim> {
    for await (const item of this.once.interrupted('claim', days, call)) {
      const { jobKind, jobId, account, region } = item;
      if (typeof jobKind !== 'string' || typeof jobId !== 'string') continue;
      yield {
        jobKind,
        jobId,
        ...(typeof account === 'string' && typeof region === 'string' ? { place: { account, region } } : {}),
        ...(typeof item.state === 'string' ? { state: item.state } : {}),
        ...(typeof item.backupVaultName === 'string' ? { backupVaultName: item.backupVaultName } : {}),
      };
    }
  }

  /** Gives a claim back when handling failed, so Lambda's async retry of the same event proceeds at once. */
  releaseClaim(kind: FailedKind, jobId: string, signal?: AbortSignal): Promise<void> {
    return this.once.release(pointerKey(kind, jobId), signal);
  }

  /** Marks a failed job handled: later deliveries and sweeps skip it without an API call. */
  done(kind: FailedKind, jobId: string, logicalKey: string, call: LedgerCall): Promise<void> {
    return this.once.complete(pointerKey(kind, jobId), { status: 'done', logicalKey }, call);
  }

  /** The record of a logical backup (strongly consistent). */
  async record(key: string, signal?: AbortSignal): Promise<RetryRecord | undefined> {
    const item = await this.once.get<Omit<RetryRecord, 'alerted'> & { alertedAt?: string }>(recordKey(key), signal);
    return item === undefined ? undefined : { ...item, alerted: item.alertedAt !== undefined };
  }

  /** Creates the record of a logical backup at its first failure (no-op when it exists). */
  async open(key: string, job: FailedJob, category: string, call: LedgerCall): Promise<void> {
    await conditionalWrite(() =>
      this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            pk: recordKey(key),
            ...dayStamp('retry', call.now),
            expiresAt: this.once.expiresAt(call.now),
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
            category,
            ...(job.plan ? { plan: job.plan } : {}),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
        { abortSignal: call.signal },
      ),
    );
  }

  /** Records the status of the latest decision (and its day for the summary). */
  async status(key: string, status: RetryActivityStatus, detail: string, category: string, call: LedgerCall) {
    const stamp = dayStamp('retry', call.now);
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
          ':ttl': this.once.expiresAt(call.now),
        },
      }),
      { abortSignal: call.signal },
    );
  }

  /** Attempt `attempt` of a logical backup, if its Start was ever stored (strongly consistent). */
  attempt(key: string, attempt: number, signal?: AbortSignal): Promise<AttemptItem | undefined> {
    return this.once.get<AttemptItem>(attemptKey(key, attempt), signal);
  }

  /**
   * Claims attempt `attempt` and stores its exact Start input before the call (shared protocol). A
   * takeover after a dead holder's lease returns the STORED input, to be re-sent as it is. A first
   * claim also marks the record `scheduled` (for the summary) and names the attempt in flight until
   * AWS's answer is recorded.
   */
  async claimAttempt(
    key: string,
    attempt: number,
    kind: FailedKind,
    input: AttemptInput,
    call: LedgerCall,
  ): Promise<Claim<AttemptInput>> {
    const claim = await this.once.claim<AttemptInput>(
      attemptKey(key, attempt),
      { request: input, attributes: { ...dayStamp('attempt', call.now), logicalKey: key, attempt, jobKind: kind } },
      call,
    );
    if (claim.kind === 'claimed') {
      const stamp = dayStamp('retry', call.now);
      await conditionalWrite(() =>
        this.db.send(
          new UpdateCommand({
            TableName: this.table,
            Key: { pk: recordKey(key) },
            UpdateExpression:
              'SET #s = :s, pendingAttempt = :attempt, activityDay = :day, activityAt = :at, expiresAt = :ttl',
            ConditionExpression: 'attribute_exists(pk) AND attempts = :prev',
            ExpressionAttributeNames: { '#s': 'status' },
            ExpressionAttributeValues: {
              ':s': 'scheduled',
              ':attempt': attempt,
              ':prev': attempt - 1,
              ':day': stamp.activityDay,
              ':at': stamp.activityAt,
              ':ttl': this.once.expiresAt(call.now),
            },
          }),
          { abortSignal: call.signal },
        ),
      );
    }
    return claim;
  }

  /** Gives an attempt's lease back after a retryable failure (input kept), so a retry re-sends it at once. */
  releaseAttempt(key: string, attempt: number, signal?: AbortSignal): Promise<void> {
    return this.once.release(attemptKey(key, attempt), signal);
  }

  /** Settles an attempt AWS refused for good (non-retryable error): it will not be re-sent. */
  refuseAttempt(key: string, attempt: number, refusal: Refusal, call: LedgerCall): Promise<void> {
    return this.once.refuse(attemptKey(key, attempt), { ...refusal }, call);
  }

  /**
   * Attempts whose Start input was stored but never answered and whose lease has passed: a container
   * died between the ledger write and recording the answer. The sweep re-sends them.
   */
  async *interrupted(days: readonly string[], call: LedgerCall): AsyncGenerator<AttemptItem> {
    for await (const item of this.once.interrupted('attempt', days, call)) {
      if (typeof item.logicalKey === 'string' && typeof item.attempt === 'number') yield item as unknown as AttemptItem;
    }
  }

  /**
   * Records a started attempt: the attempt item first (settled with the job id, so a crash before
   * the rest is repaired by the next delivery of the same logical backup, which finds it settled and
   * counts it: run.ts, act.ts `countAnswered`), then {@link countStarted}.
   */
  async started(started: StartedAttempt, call: LedgerCall): Promise<void> {
    await this.once.complete(attemptKey(started.key, started.attempt), { jobId: started.newJobId }, call);
    await this.countStarted(started, call);
  }

  /**
   * Counts a started attempt (idempotent: each write is a no-op once done). The pointer from the new
   * job back to its logical backup comes FIRST: a crash after it leaves the record uncounted, which
   * the new job's own failure (reaching the record through the pointer) or any redelivery repairs;
   * the other order would leave a counted record and a new job that, when it fails, opens a new
   * chain at attempt 1, past RETRY_MAX_ATTEMPTS.
   */
  async countStarted({ key, attempt, kind, input, newJobId }: StartedAttempt, call: LedgerCall): Promise<void> {
    // Conditional: a re-sent attempt gets the same job id back, whose pointer may already say `done`.
    await conditionalWrite(() =>
      this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            pk: pointerKey(kind, newJobId),
            status: 'started',
            logicalKey: key,
            expiresAt: this.once.expiresAt(call.now),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
        { abortSignal: call.signal },
      ),
    );
    const stamp = dayStamp('retry', call.now);
    await conditionalWrite(() =>
      this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: recordKey(key) },
          UpdateExpression:
            'SET attempts = :attempt, startedJobIds = list_append(startedJobIds, :ids), inputs.#a = :input, #s = :s, activityDay = :day, activityAt = :at, expiresAt = :ttl REMOVE pendingAttempt',
          ConditionExpression: 'attempts = :prev',
          ExpressionAttributeNames: { '#s': 'status', '#a': String(attempt) },
          ExpressionAttributeValues: {
            ':attempt': attempt,
            ':prev': attempt - 1,
            ':ids': [newJobId],
            ':input': input,
            ':s': 'started',
            ':day': stamp.activityDay,
            ':at': stamp.activityAt,
            ':ttl': this.once.expiresAt(call.now),
          },
        }),
        { abortSignal: call.signal },
      ),
    );
  }

  /**
   * Publishes the one alert of a logical backup (shared take-once): true for exactly one caller; a
   * failed publish gives the flag back, so the retried invocation sends it.
   */
  tellOnce(key: string, publish: () => Promise<void>, call: LedgerCall): Promise<boolean> {
    return this.once.tellOnce(recordKey(key), ALERT_FLAG, publish, call);
  }
}
