import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SeenPlaces } from '../../../shared/sweep/seen-places.js';
import { type LedgerTable, startLedgerTable } from '../../support/ledger-table.js';

const T0 = new Date('2026-11-24T03:00:00Z');
const DAY_MS = 86_400_000;
const A = { account: '444455556666', region: 'us-east-1' };
const B = { account: '777788889999', region: 'eu-west-1' };

let table: LedgerTable;
let seen: SeenPlaces;
beforeEach(async () => {
  table = await startLedgerTable('seen-places');
  seen = new SeenPlaces(table.documentClient, { tableName: table.tableName, ttlDays: 90 }, 'retry');
});
afterEach(async () => table.stop());

const item = async () =>
  (await table.documentClient.send(new GetCommand({ TableName: table.tableName, Key: { pk: 'seen#retry' } }))).Item;

describe('SeenPlaces', () => {
  it('keeps one attribute per place with its last event time, and lists those noted since a date', async () => {
    expect(await seen.note(A, { now: T0 })).toBe(true);
    expect(await seen.note(B, { now: new Date(T0.getTime() + DAY_MS) })).toBe(true);
    expect(await item()).toEqual({
      pk: 'seen#retry',
      'place:444455556666:us-east-1': '2026-11-24T03:00:00.000Z',
      'place:777788889999:eu-west-1': '2026-11-25T03:00:00.000Z',
      expiresAt: Math.floor((T0.getTime() + DAY_MS + 90 * DAY_MS) / 1000),
    });
    // The most recently noted first.
    expect(await seen.since(T0)).toEqual({ places: [B, A], stale: [] });
    expect(await seen.since(new Date(T0.getTime() + 1))).toEqual({
      places: [B],
      stale: ['place:444455556666:us-east-1'],
    });
  });

  it('has no places before any was noted, and ignores attributes that are not a well-formed place', async () => {
    expect(await seen.since(T0)).toEqual({ places: [], stale: [] });
    await table.documentClient.send(
      new PutCommand({
        TableName: table.tableName,
        Item: {
          pk: 'seen#retry',
          'place:44445555666:us-east-1': T0.toISOString(), // 11 digits
          'place:444455556666:US-EAST-1': T0.toISOString(),
          'place:444455556666:us-east-1:x': T0.toISOString(),
          'place:444455556666:us-east-1': 42,
          other: T0.toISOString(),
        },
      }),
    );
    expect(await seen.since(new Date(0))).toEqual({ places: [], stale: [] });
  });

  it('forgets stale places, but keeps one noted again after it was read as stale', async () => {
    await seen.note(A, { now: T0 });
    await seen.note(B, { now: T0 });
    const cut = new Date(T0.getTime() + DAY_MS);
    const { stale } = await seen.since(cut);
    expect(stale).toHaveLength(2);
    // B's next event arrives (another container) between the read and the forget: nothing is removed.
    const other = new SeenPlaces(table.documentClient, { tableName: table.tableName, ttlDays: 90 }, 'retry');
    await other.note(B, { now: new Date(cut.getTime() + 1) });
    await seen.forget(stale, cut, { now: cut });
    expect(Object.keys((await item()) ?? {})).toEqual(
      expect.arrayContaining(['place:444455556666:us-east-1', 'place:777788889999:eu-west-1']),
    );
    // The next sweep's read and forget remove A only.
    const again = await seen.since(cut);
    expect(again).toEqual({ places: [B], stale: ['place:444455556666:us-east-1'] });
    await seen.forget(again.stale, cut, { now: cut });
    expect(Object.keys((await item()) ?? {}).sort()).toEqual(['expiresAt', 'pk', 'place:777788889999:eu-west-1']);
  });

  it('reports a full item (DynamoDB refuses items over 400 KB) instead of failing, and raises any other error', async () => {
    const send = async (command: unknown) => {
      if (command instanceof UpdateCommand) {
        throw Object.assign(new Error('Item size has exceeded the maximum allowed size'), {
          name: 'ValidationException',
        });
      }
      throw new Error('unexpected command');
    };
    const full = new SeenPlaces(
      { send } as unknown as DynamoDBDocumentClient,
      { tableName: 't', ttlDays: 90 },
      'retry',
    );
    expect(await full.note(A, { now: T0 })).toBe(false);
    const throttled = new SeenPlaces(
      {
        send: async () => {
          throw Object.assign(new Error('Rate of requests exceeds the allowed throughput.'), {
            name: 'ThrottlingException',
          });
        },
      } as unknown as DynamoDBDocumentClient,
      { tableName: 't', ttlDays: 90 },
      'retry',
    );
    await expect(throttled.note(A, { now: T0 })).rejects.toThrow('Rate of requests exceeds the allowed throughput.');
  });
});
