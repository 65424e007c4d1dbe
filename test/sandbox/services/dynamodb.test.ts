import { readFileSync } from 'node:fs';
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, paginateQuery } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningDynamo, startDynamo, type TableProperties } from '../../../sandbox/services/dynamodb.js';
import { parseTemplate } from '../../../scripts/sam-esbuild.mjs';
import { clientConfig, sandboxServices } from './sandbox-services.js';

const TABLE = 'ledger';
const ledgerProperties = (): TableProperties => {
  const template = parseTemplate(readFileSync(new URL('../../../template.yaml', import.meta.url), 'utf8')) as {
    Resources: Record<string, { Properties: TableProperties }>;
  };
  const table = template.Resources.LedgerTable;
  if (!table) throw new Error('template.yaml has no LedgerTable');
  return table.Properties;
};

describe('DynamoDB stand-in (dynalite behind the sandbox proxy)', () => {
  const { shared, crashed } = sandboxServices();
  let dynamo: RunningDynamo;
  let documents: DynamoDBDocumentClient;

  beforeAll(async () => {
    dynamo = await startDynamo(shared);
    // The template's own Properties, TTL/SSE/PITR included: they are ignored, not refused.
    await dynamo.createTable(TABLE, ledgerProperties());
    documents = DynamoDBDocumentClient.from(
      new DynamoDBClient(clientConfig(shared, dynamo.url, 'StartCopyJobFunction')),
    );
  });
  afterAll(async () => {
    documents.destroy();
    await dynamo.close();
  });

  it('lets exactly one of 50 concurrent conditional PutItem calls on one key succeed', async () => {
    const outcomes = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        documents.send(
          new PutCommand({
            TableName: TABLE,
            Item: { pk: 'claim#one', writer: i },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      ),
    );
    const failures = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    expect(failures).toHaveLength(49);
    for (const failure of failures) expect(failure.reason).toBeInstanceOf(ConditionalCheckFailedException);

    const calls = shared.calls.list({ service: 'dynamodb', operation: 'PutItem' });
    expect(calls).toHaveLength(50);
    expect(calls.filter((c) => c.error === 'ConditionalCheckFailedException')).toHaveLength(49);
    expect(calls[0]).toMatchObject({ account: '111122223333', region: 'us-east-1', caller: 'StartCopyJobFunction' });
    expect(calls[0]?.input).toMatchObject({ TableName: TABLE, ConditionExpression: 'attribute_not_exists(pk)' });
    expect((await dynamo.scan(TABLE)).filter((item) => item.pk === 'claim#one')).toHaveLength(1);
  });

  it('answers a throttle fault in DynamoDB shape, and the SDK retries it to success', async () => {
    shared.faults.add({ service: 'dynamodb', operation: 'PutItem', fault: { kind: 'throttle' } });
    const before = shared.calls.list({ operation: 'PutItem' }).length;
    await documents.send(new PutCommand({ TableName: TABLE, Item: { pk: 'throttled' } }));

    const calls = shared.calls.list({ operation: 'PutItem' }).slice(before);
    expect(calls.map((c) => [c.status, c.error, c.fault])).toEqual([
      [400, 'ProvisionedThroughputExceededException', 'throttle'],
      [200, undefined, undefined],
    ]);
    const got = await documents.send(
      new GetCommand({ TableName: TABLE, Key: { pk: 'throttled' }, ConsistentRead: true }),
    );
    expect(got.Item).toEqual({ pk: 'throttled' });
  });

  it('drops the connection after the write took effect (the write is there, the caller saw no answer)', async () => {
    const once = DynamoDBDocumentClient.from(
      new DynamoDBClient({ ...clientConfig(shared, dynamo.url, 'RetryFailedJobFunction'), maxAttempts: 1 }),
    );
    shared.faults.add({ service: 'dynamodb', operation: 'PutItem', fault: { kind: 'drop-after-effect' } });
    await expect(once.send(new PutCommand({ TableName: TABLE, Item: { pk: 'dropped' } }))).rejects.toThrow();
    expect((await dynamo.scan(TABLE)).some((item) => item.pk === 'dropped')).toBe(true);
    expect(shared.calls.list({ caller: 'RetryFailedJobFunction' }).at(-1)).toMatchObject({
      status: 0,
      fault: 'drop-after-effect',
    });
    once.destroy();
  });

  it('crashes the caller before the write reaches dynalite', async () => {
    const once = DynamoDBDocumentClient.from(
      new DynamoDBClient({ ...clientConfig(shared, dynamo.url, 'CrashingFunction'), maxAttempts: 1 }),
    );
    shared.faults.add({ service: 'dynamodb', operation: 'PutItem', fault: { kind: 'crash-caller' } });
    await expect(once.send(new PutCommand({ TableName: TABLE, Item: { pk: 'never' } }))).rejects.toThrow();
    expect(crashed.map((p) => p.name)).toEqual(['CrashingFunction']);
    expect((await dynamo.scan(TABLE)).some((item) => item.pk === 'never')).toBe(false);
    once.destroy();
  });

  it('serves the byDay index the template declares', async () => {
    await documents.send(
      new PutCommand({
        TableName: TABLE,
        Item: { pk: 'a#1', activityDay: '2025-06-01', activityAt: '2025-06-01T10:00:00Z' },
      }),
    );
    await documents.send(
      new PutCommand({
        TableName: TABLE,
        Item: { pk: 'a#2', activityDay: '2025-06-01', activityAt: '2025-06-01T09:00:00Z' },
      }),
    );
    const items: unknown[] = [];
    for await (const page of paginateQuery(
      { client: documents },
      {
        TableName: TABLE,
        IndexName: 'byDay',
        KeyConditionExpression: 'activityDay = :d',
        ExpressionAttributeValues: { ':d': '2025-06-01' },
      },
    )) {
      items.push(...(page.Items ?? []));
    }
    expect(items.map((i) => (i as { pk: string }).pk)).toEqual(['a#2', 'a#1']);
  });

  it('refuses a request signed with a key the sandbox never issued', async () => {
    const stranger = new DynamoDBClient({
      endpoint: dynamo.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIAUNKNOWN', secretAccessKey: 'x' },
      maxAttempts: 1,
    });
    await expect(stranger.send(new GetCommand({ TableName: TABLE, Key: { pk: 'x' } }))).rejects.toMatchObject({
      name: 'UnrecognizedClientException',
    });
    stranger.destroy();
  });
});
