import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { StartCopyJobRequest } from '../../shared/backup/index.js';
import type { Diagnosis } from '../../shared/diagnosis/index.js';
import { activityStamp, type CopyActivity } from '../../shared/ledger/activity.js';
import { conditionalWrite, isConditionFailed } from '../../shared/ledger/conditional.js';
import type { PlannedCopy } from './plan.js';

/** How long copy records stay in the ledger (DynamoDB TTL). */
export const COPY_LEDGER_TTL_DAYS = 90;

/** The ledger item of one copy (one source recovery point, destination and hop). */
export interface CopyClaimItem extends CopyActivity {
  readonly pk: string;
  /** The route's final vault (`destinationVaultArn` is this hop's). */
  readonly finalDestinationVaultArn: string;
  /** The exact StartCopyJob input, so a re-send after a crash is identical (same token, same input). */
  readonly input: StartCopyJobRequest;
  /** Epoch ms until which the claimer may still be running; after it, a redelivery re-sends. */
  readonly leaseUntil: number;
  /** Why the start was refused (status `failed-to-start`), for an alert a later delivery still owes. */
  readonly diagnosis?: Diagnosis;
  /** Set once the failure-to-start alert was published. */
  readonly alertedAt?: string;
}

/** The outcome of claiming a copy. */
export type Claim =
  /** We own it: call StartCopyJob with `input`. `resend` when an earlier claimer died before recording a job id. */
  | { readonly kind: 'claimed' | 'resend'; readonly pk: string; readonly input: StartCopyJobRequest }
  /** The start failed before and its alert is still owed (the holder died before publishing it). */
  | { readonly kind: 'alert-owed'; readonly pk: string; readonly item: CopyClaimItem }
  /** Started (or being started, or failed and alerted) by another delivery: nothing to do. */
  | { readonly kind: 'duplicate'; readonly pk: string; readonly copyJobId?: string; readonly status: string };

/** Ledger key of a copy: its idempotency token, which already names source, destination and hop. */
export const copyKey = (token: string): string => `copy#${token}`;

/** Reads and writes copy claims in the ledger table. */
export class CopyLedger {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Claims a planned copy with a conditional put, so exactly one of any number of duplicate or
   * concurrent deliveries calls StartCopyJob. A claim whose holder died before recording a job
   * id (its lease passed) is taken over with a conditional update and re-sent with the stored
   * input: AWS answers a re-send with the same token "success ... no action taken" (API_StartCopyJob).
   */
  async claim(copy: PlannedCopy, now: Date, leaseUntil: number, signal?: AbortSignal): Promise<Claim> {
    const pk = copyKey(copy.input.IdempotencyToken);
    const item: CopyClaimItem = {
      pk,
      ...activityStamp('copy', now, COPY_LEDGER_TTL_DAYS),
      status: 'started',
      accountId: copy.accountId,
      region: copy.region,
      sourceRecoveryPointArn: copy.input.RecoveryPointArn as string,
      destinationVaultArn: copy.input.DestinationBackupVaultArn as string,
      finalDestinationVaultArn: copy.destinationVaultArn,
      ruleName: copy.ruleName,
      hop: copy.hop,
      hops: copy.hops,
      input: copy.input,
      leaseUntil,
    };
    try {
      await this.client.send(
        new PutCommand({ TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }),
        { abortSignal: signal },
      );
      return { kind: 'claimed', pk, input: copy.input };
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
    }
    const existing = await this.get(pk, signal);
    if (existing === undefined) return { kind: 'duplicate', pk, status: 'deleted' };
    if (existing.copyJobId !== undefined) {
      return { kind: 'duplicate', pk, copyJobId: existing.copyJobId, status: existing.status };
    }
    if (existing.status === 'failed-to-start' && existing.alertedAt !== undefined) {
      return { kind: 'duplicate', pk, status: existing.status };
    }
    // Either the start or its failure alert is unfinished: its holder owns it until the lease ends.
    if (existing.leaseUntil > now.getTime()) return { kind: 'duplicate', pk, status: 'in-progress' };
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk },
          UpdateExpression: 'SET leaseUntil = :lease',
          ConditionExpression:
            'leaseUntil = :seen AND attribute_not_exists(copyJobId) AND attribute_not_exists(alertedAt)',
          ExpressionAttributeValues: { ':lease': leaseUntil, ':seen': existing.leaseUntil },
        }),
        { abortSignal: signal },
      );
    } catch (error) {
      if (isConditionFailed(error)) return { kind: 'duplicate', pk, status: 'in-progress' };
      throw error;
    }
    if (existing.status === 'failed-to-start') return { kind: 'alert-owed', pk, item: existing };
    return { kind: 'resend', pk, input: existing.input };
  }

  /** The stored item, read consistently (a just-written claim must be visible). */
  async get(pk: string, signal?: AbortSignal): Promise<CopyClaimItem | undefined> {
    const out = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { pk }, ConsistentRead: true }),
      {
        abortSignal: signal,
      },
    );
    return out.Item as CopyClaimItem | undefined;
  }

  /** Records the started copy job. */
  async recordStarted(pk: string, copyJobId: string, now: Date, signal?: AbortSignal): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk },
        UpdateExpression: 'SET copyJobId = :id, #s = :started, activityDay = :day, activityAt = :at',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: {
          ':id': copyJobId,
          ':started': 'started',
          ':day': now.toISOString().slice(0, 10),
          ':at': now.toISOString(),
        },
      }),
      { abortSignal: signal },
    );
  }

  /** Records a refused start with its diagnosis category; the alert is owed until {@link markAlerted}. */
  async recordFailed(pk: string, diagnosis: Diagnosis, now: Date, signal?: AbortSignal): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk },
        UpdateExpression:
          'SET #s = :failed, category = :category, diagnosis = :diagnosis, activityDay = :day, activityAt = :at',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: {
          ':failed': 'failed-to-start',
          ':category': diagnosis.category,
          ':diagnosis': diagnosis,
          ':day': now.toISOString().slice(0, 10),
          ':at': now.toISOString(),
        },
      }),
      { abortSignal: signal },
    );
  }

  /** Marks the failure alert as sent, once: false when another delivery already sent it. */
  markAlerted(pk: string, now: Date, signal?: AbortSignal): Promise<boolean> {
    return conditionalWrite(() =>
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk },
          UpdateExpression: 'SET alertedAt = :at',
          ConditionExpression: 'attribute_not_exists(alertedAt)',
          ExpressionAttributeValues: { ':at': now.toISOString() },
        }),
        { abortSignal: signal },
      ),
    );
  }

  /**
   * Ends the lease early when StartCopyJob failed in a way worth retrying (throttling, 5xx): the
   * invocation rethrows, and Lambda's async retry must be able to re-send at once.
   */
  async releaseLease(pk: string, signal?: AbortSignal): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk },
          UpdateExpression: 'SET leaseUntil = :zero',
          ConditionExpression: 'attribute_not_exists(copyJobId)',
          ExpressionAttributeValues: { ':zero': 0 },
        }),
        { abortSignal: signal },
      );
    } catch (error) {
      // A recorded job id means the copy started after all: nothing to release.
      if (!isConditionFailed(error)) throw error;
    }
  }
}
