/**
 * The cold-start floor of start-copy-job: only the SDK clients every invocation of the function
 * uses (Backup for Describe/StartCopyJob, DynamoDB for the claims, SNS for alerts), built with the
 * toolkit's retry settings. Bundled with the function's own esbuild flags.
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
