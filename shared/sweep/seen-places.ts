import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { conditionalWrite } from '../ledger/conditional.js';
import type { LedgerCall } from '../ledger/exactly-once.js';
import { expiresAt, type LedgerSettings } from '../ledger/policy.js';
import { HOUR_MS } from '../time.js';
import { isAwsAccountId, isRegion } from '../validate/identifiers.js';
import { MAX_SWEEP_LOOKBACK_MS } from './window.js';

/** An account and Region AWS Backup events came from. */
export interface SeenPlace {
  readonly account: string;
  readonly region: string;
}

/**
 * How long a place stays swept after its last event: as far back as a sweep lists (29 days). A
 * member whose events stop (it left the organization, its forwarding rule was deleted) drops out
 * of the sweep once its last jobs are out of the lists' reach.
 */
export const SEEN_FOR_MS = MAX_SWEEP_LOOKBACK_MS;

/** A container records a place at most once an hour: an event storm from one member costs one write. */
export const NOTE_EVERY_MS = HOUR_MS;

/** Stale places removed per sweep: one UpdateItem's expression stays small. */
export const MAX_FORGET = 100;

const PREFIX = 'place:';

function keyOf(place: SeenPlace): string {
  return `${PREFIX}${place.account}:${place.region}`;
}

function placeOf(name: string): SeenPlace | undefined {
  if (!name.startsWith(PREFIX)) return undefined;
  const [account = '', region = '', ...rest] = name.slice(PREFIX.length).split(':');
  return rest.length === 0 && isAwsAccountId(account) && isRegion(region) ? { account, region } : undefined;
}

/**
 * DynamoDB's answer to a write that would take an item past 400 KB: a ValidationException "Item
 * size has exceeded the maximum allowed size" (DynamoDB Developer Guide, "Service, account, and
 * table quotas": item size). An entry is under 60 bytes, so that is over 6,000 places.
 */
function isItemFull(error: unknown): boolean {
  const { name, message } = (error ?? {}) as { name?: unknown; message?: unknown };
  return name === 'ValidationException' && typeof message === 'string' && /item size/i.test(message);
}

/**
 * The places (account, Region) whose events reached a function lately, in one ledger item
 * (`seen#<name>`, one attribute per place holding when its last event was noted). In central
 * mode events arrive from every member, but a sweep cannot list in an account it does not know
 * of: without this, a member's lost event would be found only if RETRY_INCLUDE_ACCOUNTS named it.
 * With it, every member that sent an event in the last {@link SEEN_FOR_MS} is swept as well.
 * Organizations' ListAccounts would name members that never sent one too, but only from the
 * management or a delegated administrator account, which the central account need not be.
 */
export class SeenPlaces {
  readonly #pk: string;
  /** When this container last wrote each place: at most one write per place per {@link NOTE_EVERY_MS}. */
  readonly #noted = new Map<string, number>();

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly settings: LedgerSettings,
    name: string,
  ) {
    this.#pk = `seen#${name}`;
  }

  /**
   * Records that an event came from `place` now. A write at most once an hour per place and
   * container; the item's TTL moves with every write.
   *
   * @returns false when the item is full (DynamoDB's 400 KB: over 6,000 places); nothing was
   *   written, and the caller says so (RETRY_INCLUDE_ACCOUNTS can still name the account)
   */
  async note(place: SeenPlace, call: LedgerCall): Promise<boolean> {
    const key = keyOf(place);
    const now = call.now.getTime();
    const last = this.#noted.get(key);
    if (last !== undefined && now - last < NOTE_EVERY_MS) return true;
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.settings.tableName,
          Key: { pk: this.#pk },
          UpdateExpression: 'SET #place = :at, expiresAt = :expires',
          ExpressionAttributeNames: { '#place': key },
          ExpressionAttributeValues: {
            ':at': call.now.toISOString(),
            ':expires': expiresAt(call.now, this.settings.ttlDays),
          },
        }),
        { abortSignal: call.signal },
      );
    } catch (error) {
      if (isItemFull(error)) return false;
      throw error;
    }
    this.#noted.set(key, now);
    return true;
  }

  /**
   * The places noted since `from`, the most recently noted first (then by account and Region), and
   * the names of those noted before it (for {@link forget}).
   */
  async since(from: Date, signal?: AbortSignal): Promise<{ places: SeenPlace[]; stale: string[] }> {
    const out = await this.db.send(new GetCommand({ TableName: this.settings.tableName, Key: { pk: this.#pk } }), {
      abortSignal: signal,
    });
    const oldest = from.toISOString();
    const noted: { place: SeenPlace; at: string }[] = [];
    const stale: string[] = [];
    for (const [name, value] of Object.entries(out.Item ?? {})) {
      const place = placeOf(name);
      if (!place || typeof value !== 'string') continue;
      if (value >= oldest) noted.push({ place, at: value });
      else stale.push(name);
    }
    noted.sort(
      (a, b) =>
        (a.at < b.at ? 1 : a.at > b.at ? -1 : 0) ||
        a.place.account.localeCompare(b.place.account) ||
        a.place.region.localeCompare(b.place.region),
    );
    return { places: noted.map((n) => n.place), stale };
  }

  /**
   * Removes places {@link since} found stale (at most {@link MAX_FORGET} per call), so the item
   * does not grow with members that left. One that was noted again in between is kept.
   */
  async forget(stale: readonly string[], before: Date, call: LedgerCall): Promise<void> {
    const names = stale.slice(0, MAX_FORGET);
    if (names.length === 0) return;
    const refs = names.map((_, i) => `#s${i}`);
    await conditionalWrite(() =>
      this.db.send(
        new UpdateCommand({
          TableName: this.settings.tableName,
          Key: { pk: this.#pk },
          UpdateExpression: `REMOVE ${refs.join(', ')}`,
          // All or none: if any was noted again since (or is gone), the next sweep tries again.
          ConditionExpression: refs.map((ref) => `${ref} < :before`).join(' AND '),
          ExpressionAttributeNames: Object.fromEntries(names.map((name, i) => [refs[i], name])),
          ExpressionAttributeValues: { ':before': before.toISOString() },
        }),
        { abortSignal: call.signal },
      ),
    );
  }
}
