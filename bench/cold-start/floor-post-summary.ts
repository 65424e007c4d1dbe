/**
 * The cold-start floor of post-summary: only the SDK clients every invocation of the function uses
 * (Backup for the job lists, DynamoDB for the ledger's activity, SNS for the email summary), built
 * with the toolkit's retry settings. Bundled with the function's own esbuild flags.
 */
import { BackupClient } from '@aws-sdk/client-backup';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

const retry = { retryMode: 'standard', maxAttempts: 6 } as const;

export const clients = [
  new BackupClient({ ...retry }),
  DynamoDBDocumentClient.from(new DynamoDBClient({ ...retry })),
  new SNSClient({ ...retry }),
];
