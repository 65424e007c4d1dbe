import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayStamp, LEDGER } from '../../shared/ledger/activity.js';
import { type LedgerTable, startLedgerTable } from '../support/ledger-table.js';

describe('ledger table stand-in (dynalite)', () => {
  let table: LedgerTable;
  beforeAll(async () => {
    table = await startLedgerTable();
  });
  afterAll(async () => table.stop());

  it('lets exactly one of 20 concurrent conditional puts on one key win', async () => {
    // Act
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        table.documentClient.send(
          new PutCommand({
            TableName: table.tableName,
            Item: { pk: 'race', writer: i, ...dayStamp('retry', new Date('2026-11-24T02:00:00Z')) },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      ),
    );
    // Assess
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected).toHaveLength(19);
    for (const r of rejected) expect(r.reason).toBeInstanceOf(ConditionalCheckFailedException);
  });

  it('serves one day of activity from the byDay index', async () => {
    // Act
    const out = await table.documentClient.send(
      new QueryCommand({
        TableName: table.tableName,
        IndexName: LEDGER.dayIndex,
        KeyConditionExpression: '#d = :d',
        ExpressionAttributeNames: { '#d': LEDGER.dayIndexPartitionKey },
        ExpressionAttributeValues: { ':d': '2026-11-24' },
      }),
    );
    // Assess
    expect(out.Items?.map((i) => i.pk)).toEqual(['race']);
  });
});
