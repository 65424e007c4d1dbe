import { type DynamoDBDocumentClient, GetCommand, paginateQuery, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ActivityKind } from './activity.js';
import { LEDGER } from './activity.js';
import { conditionalWrite, isConditionFailed } from './conditional.js';
import { expiresAt, giveBackSignal, LEASE_MS, type LedgerSettings } from './policy.js';

/**
 * The one exactly-once protocol of this toolkit, over one ledger item per operation (a retry
 * attempt's Start, a copy's StartCopyJob, the handling of one failed job):
 *
 * 1. {@link ExactlyOnce.claim} takes the item's lease and stores the exact request BEFORE the call.
 *    Of any number of concurrent or duplicate deliveries, exactly one gets `claimed` (a conditional
 *    UpdateItem; DynamoDB applies one per item at a time).
 * 2. The holder makes the AWS call with the request the claim returned, and then records the answer:
 *    {@link ExactlyOnce.complete} (AWS accepted it) or {@link ExactlyOnce.refuse} (AWS refused it for
 *    good; it is never re-sent).
 * 3. A retryable failure {@link ExactlyOnce.release}s the lease, keeping the request, so the next
 *    delivery (Lambda's async retry) re-sends it at once.
 * 4. A holder that died (after the write, or after the call) leaves the request and its lease: once the
 *    lease has passed, the next claim gets `resumed` with the STORED request, identical to the one the
 *    dead holder sent. With the same idempotency token AWS answers a re-send "success ... no action
 *    taken" and the same job id (API_StartBackupJob, API_StartCopyJob), so a re-send is safe.
 * 5. {@link ExactlyOnce.tellOnce}: take-once for alerts and other messages (a summary's channel). The
 *    flag is claimed before publishing, and given back when publishing fails, so the next delivery
 *    tells; concurrent deliveries tell once. {@link ExactlyOnce.tellOnceWithReceipt} adds a receipt
 *    after publishing, so a later delivery knows a message that may be missing from one sent.
 *
 * Item attributes the protocol owns: `request`, `leaseUntil` (epoch ms), `settled`
 * (`completed` | `refused`), `settledAt`, `expiresAt` (TTL, refreshed on every write). The caller's
 * own attributes (what the summary reads, the job id AWS returned) go beside them.
 */

/** What a claim found. */
export type Claim<R> =
  /** First claim: store done, send `request`. */
  | { readonly kind: 'claimed'; readonly request: R | undefined }
  /** A holder died (its lease passed) before recording an answer: re-send the stored `request`. */
  | { readonly kind: 'resumed'; readonly request: R | undefined; readonly item: Record<string, unknown> }
  /** Another invocation holds a live lease: do nothing now (it finishes, or its lease runs out). */
  | { readonly kind: 'held'; readonly item: Record<string, unknown> }
  /** The answer is recorded: nothing to send. */
  | { readonly kind: 'settled'; readonly outcome: Settled; readonly item: Record<string, unknown> };

/** How an operation ended. */
export type Settled = 'completed' | 'refused';

/** The time and abort signal of one call: the clock is the caller's (injected), the signal the invocation's. */
export interface LedgerCall {
  readonly now: Date;
  readonly signal?: AbortSignal;
}

/**
 * One ledger call of an invocation: the injected clock's time (or `now`, when one decision's writes
 * share an instant) and the invocation's abort signal.
 */
export function ledgerCall(
  deps: { readonly now: () => Date; readonly signal?: AbortSignal },
  now: Date = deps.now(),
): LedgerCall {
  return { now, signal: deps.signal };
}

/** What a claim writes. */
export interface ClaimWrite<R> {
  /** The exact request of the call, stored before it; kept as first stored on a takeover. */
  readonly request?: R;
  /** Attributes written by the first claim only (what the item describes, its activity stamp). */
  readonly attributes?: Readonly<Record<string, unknown>>;
}

/** How {@link ExactlyOnce.tellOnce} finds the item its flag lives on. */
export interface TellOnceOptions {
  /**
   * The item need not exist yet: the take creates it, with these attributes (kept as first written)
   * and the ledger's TTL, refreshed by every take. Without it the item must exist (a retry record, a
   * claimed job), so a flag never makes a stray item. Only for a flag that is an attribute, not a path.
   */
  readonly create?: Readonly<Record<string, unknown>>;
}

type Values = Record<string, unknown>;

/** `SET #a0 = :a0, ...` parts for `fields`, with their names and values, prefixed to stay apart. */
function assignments(fields: Values, prefix: string, wrap = (name: string, value: string) => `${name} = ${value}`) {
  const names: Record<string, string> = {};
  const values: Values = {};
  const parts = Object.entries(fields)
    .filter(([, value]) => value !== undefined)
    .map(([field, value], i) => {
      names[`#${prefix}${i}`] = field;
      values[`:${prefix}${i}`] = value;
      return wrap(`#${prefix}${i}`, `:${prefix}${i}`);
    });
  return { parts, names, values };
}

/** The exactly-once protocol bound to the ledger table and its TTL. */
export class ExactlyOnce {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly settings: LedgerSettings,
  ) {}

  /** Epoch seconds at which an item written at `now` may expire. */
  expiresAt(now: Date): number {
    return expiresAt(now, this.settings.ttlDays);
  }

  /** The item, read consistently (a claim just written must be visible). */
  async get<T = Record<string, unknown>>(pk: string, signal?: AbortSignal): Promise<T | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.settings.tableName, Key: { pk }, ConsistentRead: true }),
      { abortSignal: signal },
    );
    return out.Item as T | undefined;
  }

  /**
   * Claims the operation `pk` for {@link LEASE_MS}: one conditional UpdateItem that succeeds when the
   * item is new, or unsettled with its lease passed (a holder that died, or gave the lease back).
   */
  async claim<R>(pk: string, write: ClaimWrite<R>, call: LedgerCall): Promise<Claim<R>> {
    const now = call.now.getTime();
    const first = assignments(
      { ...(write.attributes ?? {}), request: write.request },
      'a',
      (name, value) => `${name} = if_not_exists(${name}, ${value})`,
    );
    let old: Values | undefined;
    try {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.settings.tableName,
          Key: { pk },
          UpdateExpression: ['SET leaseUntil = :lease', 'expiresAt = :ttl', ...first.parts].join(', '),
          ConditionExpression:
            'attribute_not_exists(settled) AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now)',
          ...(first.parts.length > 0 ? { ExpressionAttributeNames: first.names } : {}),
          ExpressionAttributeValues: {
            ...first.values,
            ':lease': now + LEASE_MS,
            ':ttl': this.expiresAt(call.now),
            ':now': now,
          },
          ReturnValues: 'ALL_OLD',
        }),
        { abortSignal: call.signal },
      );
      old = out.Attributes;
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
      const item = (await this.get(pk, call.signal)) ?? {};
      const settled = item.settled;
      return settled === 'completed' || settled === 'refused'
        ? { kind: 'settled', outcome: settled, item }
        : { kind: 'held', item };
    }
    if (old === undefined) return { kind: 'claimed', request: write.request };
    return { kind: 'resumed', request: (old.request as R | undefined) ?? write.request, item: old };
  }

  /** Records that AWS accepted the request, with the caller's attributes (the job id it returned). */
  complete(pk: string, attributes: Values, call: LedgerCall): Promise<void> {
    return this.settle(pk, 'completed', attributes, call);
  }

  /** Records that AWS refused the request for good: it is never re-sent. */
  refuse(pk: string, attributes: Values, call: LedgerCall): Promise<void> {
    return this.settle(pk, 'refused', attributes, call);
  }

  private async settle(pk: string, outcome: Settled, attributes: Values, call: LedgerCall): Promise<void> {
    const set = assignments(attributes, 's');
    await this.db.send(
      new UpdateCommand({
        TableName: this.settings.tableName,
        Key: { pk },
        UpdateExpression: `${['SET settled = :settled', 'settledAt = :at', 'expiresAt = :ttl', ...set.parts].join(', ')} REMOVE leaseUntil`,
        ...(set.parts.length > 0 ? { ExpressionAttributeNames: set.names } : {}),
        ExpressionAttributeValues: {
          ...set.values,
          ':settled': outcome,
          ':at': call.now.toISOString(),
          ':ttl': this.expiresAt(call.now),
        },
      }),
      { abortSignal: call.signal },
    );
  }

  /**
   * Gives the lease back after a retryable failure (the request stays), so the next delivery
   * re-sends at once instead of waiting out the lease. A no-op when the answer was recorded meanwhile.
   */
  async release(pk: string, signal?: AbortSignal): Promise<void> {
    await conditionalWrite(() =>
      this.db.send(
        new UpdateCommand({
          TableName: this.settings.tableName,
          Key: { pk },
          UpdateExpression: 'SET leaseUntil = :zero',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(settled)',
          ExpressionAttributeValues: { ':zero': 0 },
        }),
        { abortSignal: signal },
      ),
    );
  }

  /**
   * Take-once for alerts: publishes only if this call takes the item's `flag` (set to the time), and
   * gives the flag back when publishing fails, so the next delivery alerts. True when published.
   * A crash between taking the flag and publishing loses that alert: the price of never sending two.
   * With `options.create` the take also creates the item (a summary's channel has no item before).
   */
  async tellOnce(
    pk: string,
    flag: string | readonly string[],
    publish: () => Promise<void>,
    call: LedgerCall,
    options: TellOnceOptions = {},
  ): Promise<boolean> {
    // A flag is an attribute, or a path into a map (`['setAside', key, 'alertedAt']`) whose parent must exist.
    const path = typeof flag === 'string' ? [flag] : flag;
    if (options.create !== undefined && path.length !== 1) {
      throw new TypeError('tellOnce: an item can be created for a flag that is an attribute only, not a path');
    }
    const flagNames = Object.fromEntries(path.map((name, i) => [`#f${i}`, name]));
    const names: Record<string, string> = { ...flagNames };
    const ref = path.map((_, i) => `#f${i}`).join('.');
    const parent = path.length > 1 ? ref.slice(0, ref.lastIndexOf('.')) : 'pk';
    const values: Values = { ':at': call.now.toISOString() };
    const sets = [`${ref} = :at`];
    let condition = `attribute_exists(${parent}) AND attribute_not_exists(${ref})`;
    if (options.create !== undefined) {
      const first = assignments(options.create, 'c', (name, value) => `${name} = if_not_exists(${name}, ${value})`);
      sets.push('expiresAt = :ttl', ...first.parts);
      Object.assign(names, first.names);
      Object.assign(values, first.values, { ':ttl': this.expiresAt(call.now) });
      condition = `attribute_not_exists(${ref})`;
    }
    const taken = await conditionalWrite(() =>
      this.db.send(
        new UpdateCommand({
          TableName: this.settings.tableName,
          Key: { pk },
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: condition,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
        { abortSignal: call.signal },
      ),
    );
    if (!taken) return false;
    try {
      await publish();
    } catch (error) {
      // On a signal of its own: the publish may have failed because the invocation's signal
      // aborted, and a give-back on that signal would fail too, leaving the alert owed and unsent.
      await this.db.send(
        new UpdateCommand({
          TableName: this.settings.tableName,
          Key: { pk },
          UpdateExpression: `REMOVE ${ref}`,
          ExpressionAttributeNames: flagNames,
        }),
        { abortSignal: giveBackSignal() },
      );
      throw error;
    }
    return true;
  }

  /**
   * {@link tellOnce} with a receipt: once `publish` returned, the attribute `receipt` is set to the
   * time, so a later caller that finds the flag taken can tell a message known sent (`told-before`)
   * from one whose teller never confirmed it (`unconfirmed`: still publishing, or it died between
   * taking the flag and the receipt, so the message may be missing). Neither is sent again (at most
   * once); the caller reports `unconfirmed` loudly, so the intent is never dropped in silence.
   * `told` when this call published. A receipt that cannot be written only makes a later caller
   * report the message unconfirmed: the message went out, so it is not reported as failed.
   */
  async tellOnceWithReceipt(
    pk: string,
    flag: string,
    receipt: string,
    publish: () => Promise<void>,
    call: LedgerCall,
    options: TellOnceOptions = {},
  ): Promise<'told' | 'told-before' | 'unconfirmed'> {
    if (await this.tellOnce(pk, flag, publish, call, options)) {
      await this.db
        .send(
          new UpdateCommand({
            TableName: this.settings.tableName,
            Key: { pk },
            UpdateExpression: 'SET #r = :at',
            ExpressionAttributeNames: { '#r': receipt },
            ExpressionAttributeValues: { ':at': call.now.toISOString() },
          }),
          { abortSignal: call.signal },
        )
        .catch(() => undefined);
      return 'told';
    }
    const item = await this.get(pk, call.signal);
    return item?.[receipt] === undefined ? 'unconfirmed' : 'told-before';
  }

  /**
   * Operations of `kind` stored but never answered whose lease has passed (their holder died), from
   * the `byDay` index for the given UTC days: a sweep resumes them. The index holds an item under the
   * day of its last change, which for an interrupted operation is the day its request was stored.
   */
  async *interrupted(kind: ActivityKind, days: readonly string[], call: LedgerCall): AsyncGenerator<Values> {
    for (const day of days) {
      const pages = paginateQuery(
        { client: this.db },
        {
          TableName: this.settings.tableName,
          IndexName: LEDGER.dayIndex,
          KeyConditionExpression: '#day = :day',
          FilterExpression: '#kind = :kind AND attribute_not_exists(settled) AND leaseUntil < :now',
          ExpressionAttributeNames: { '#day': LEDGER.dayIndexPartitionKey, '#kind': 'kind' },
          ExpressionAttributeValues: { ':day': day, ':kind': kind, ':now': call.now.getTime() },
        },
        { abortSignal: call.signal },
      );
      for await (const page of pages) yield* page.Items ?? [];
    }
  }
}
