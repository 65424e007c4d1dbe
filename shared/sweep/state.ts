import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { conditionalWrite } from '../ledger/conditional.js';
import { ExactlyOnce, type LedgerCall } from '../ledger/exactly-once.js';
import { expiresAt, type LedgerSettings } from '../ledger/policy.js';
import { MAX_SWEEP_LOOKBACK_MS } from './window.js';

/** A job the sweep failed to handle in the sweeps so far, in a row. */
export interface FailingJob {
  /** Sweeps in a row that failed on it. */
  readonly count: number;
  /** The last error, shortened. */
  readonly error: string;
  /** When the first failure of the row happened (ISO-8601). */
  readonly since: string;
}

/** A job set aside: later sweeps skip it; a person was (or is being) told once. */
export interface SetAsideJob extends FailingJob {
  /** When it was set aside (ISO-8601). */
  readonly at: string;
  /** When its alert was published; unset until then (a failed publish is retried by the next sweep). */
  readonly alertedAt?: string;
}

/** One sweep's state, as its ledger item holds it. */
export interface SweepSnapshot {
  /** When the last sweep that handled every job ran: the next one lists from there, less the overlap. */
  readonly cursor: Date | undefined;
  readonly failing: Readonly<Record<string, FailingJob>>;
  readonly setAside: Readonly<Record<string, SetAsideJob>>;
  /** The item's version when read: a save only applies over the version it read. */
  readonly version: number;
}

/**
 * Most set-aside jobs kept: the item stays far below DynamoDB's 400 KB (an entry is under 600
 * bytes). Beyond it the oldest is forgotten, and a sweep may try it again (and set it aside again).
 */
export const MAX_SET_ASIDE = 500;
/** Longest error text kept per job. */
const MAX_ERROR_CHARS = 300;

/** Shortens an error for the sweep's item and its alert: its name and the start of its message. */
export function describeSweepError(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.length > MAX_ERROR_CHARS ? `${text.slice(0, MAX_ERROR_CHARS - 1)}…` : text;
}

function keep(setAside: Record<string, SetAsideJob>, now: Date): Record<string, SetAsideJob> {
  // A job set aside longer ago than the list calls reach is never listed again.
  const oldest = now.getTime() - MAX_SWEEP_LOOKBACK_MS;
  const entries = Object.entries(setAside)
    .filter(([, job]) => Date.parse(job.at) >= oldest)
    .sort(([, a], [, b]) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0))
    .slice(0, MAX_SET_ASIDE);
  return Object.fromEntries(entries);
}

/**
 * The state of one reconciliation sweep (`sweep#<name>` in the ledger): its cursor, the jobs it
 * failed on in a row, and the jobs it set aside. One read per sweep and one write at its end; an
 * alert per set-aside job is taken once (`tellSetAside`).
 */
export class SweepState {
  readonly #pk: string;
  readonly #once: ExactlyOnce;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly settings: LedgerSettings,
    name: string,
  ) {
    this.#pk = `sweep#${name}`;
    this.#once = new ExactlyOnce(db, settings);
  }

  /** Reads the state (consistent read); a sweep that never ran has none of it. */
  async read(signal?: AbortSignal): Promise<SweepSnapshot> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.settings.tableName, Key: { pk: this.#pk }, ConsistentRead: true }),
      { abortSignal: signal },
    );
    const item = out.Item ?? {};
    return {
      cursor: typeof item.lastSweepAt === 'string' ? new Date(item.lastSweepAt) : undefined,
      failing: (item.failing as Record<string, FailingJob> | undefined) ?? {},
      setAside: (item.setAside as Record<string, SetAsideJob> | undefined) ?? {},
      version: typeof item.version === 'number' ? item.version : 0,
    };
  }

  /**
   * Saves the state a sweep ended with, over the version it read (false when another sweep saved in
   * between: its state stands, and this sweep's jobs are listed again by the next). The cursor never
   * moves back.
   */
  save(
    read: SweepSnapshot,
    next: Pick<SweepSnapshot, 'cursor' | 'failing' | 'setAside'>,
    call: LedgerCall,
  ): Promise<boolean> {
    const cursor =
      next.cursor && (!read.cursor || next.cursor > read.cursor)
        ? next.cursor.toISOString()
        : read.cursor?.toISOString();
    return conditionalWrite(() =>
      this.db.send(
        new PutCommand({
          TableName: this.settings.tableName,
          Item: {
            pk: this.#pk,
            ...(cursor ? { lastSweepAt: cursor } : {}),
            failing: next.failing,
            setAside: keep({ ...next.setAside }, call.now),
            version: read.version + 1,
            expiresAt: expiresAt(call.now, this.settings.ttlDays),
          },
          ConditionExpression: 'attribute_not_exists(pk) OR attribute_not_exists(version) OR version = :read',
          ExpressionAttributeValues: { ':read': read.version },
        }),
        { abortSignal: call.signal },
      ),
    );
  }

  /**
   * Take-once for a set-aside job's alert (the ledger's alert-once, on the entry's `alertedAt`):
   * publishes only if this call takes it, and gives it back when publishing fails, so the next
   * sweep tells. False when it was told already.
   */
  tellSetAside(key: string, publish: () => Promise<void>, call: LedgerCall): Promise<boolean> {
    return this.#once.tellOnce(this.#pk, ['setAside', key, 'alertedAt'], publish, call);
  }
}
