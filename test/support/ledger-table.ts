import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import { LEDGER } from '../../shared/ledger/activity.js';

/** A ledger table on an in-process dynalite server (locks per key; supports ConditionExpression). */
export interface LedgerTable {
  readonly endpoint: string;
  readonly tableName: string;
  readonly client: DynamoDBClient;
  readonly documentClient: DynamoDBDocumentClient;
  stop(): Promise<void>;
}

/**
 * Starts dynalite on a free loopback port and creates the ledger table as template.yaml defines it
 * (key `pk`, the `byDay` index). dynalite has no UpdateTimeToLive, so TTL is not enabled here.
 */
export const startLedgerTable = async (tableName = 'ledger-test'): Promise<LedgerTable> => {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: LEDGER.partitionKey, AttributeType: 'S' },
        { AttributeName: LEDGER.dayIndexPartitionKey, AttributeType: 'S' },
        { AttributeName: LEDGER.dayIndexSortKey, AttributeType: 'S' },
      ],
      KeySchema: [{ AttributeName: LEDGER.partitionKey, KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [
        {
          IndexName: LEDGER.dayIndex,
          KeySchema: [
            { AttributeName: LEDGER.dayIndexPartitionKey, KeyType: 'HASH' },
            { AttributeName: LEDGER.dayIndexSortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    }),
  );
  await waitUntilTableExists({ client, maxWaitTime: 10, minDelay: 1, maxDelay: 1 }, { TableName: tableName });
  const documentClient = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  return {
    endpoint,
    tableName,
    client,
    documentClient,
    stop: async () => {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};
