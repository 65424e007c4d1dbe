/**
 * The cold-start floor of retry-failed-job: only the SDK clients every invocation of the function
 * uses (Backup for Describe/Start, DynamoDB for the ledger, Scheduler for attempt schedules, SNS for
 * alerts), built with the toolkit's retry settings. Bundled with the function's own esbuild flags.
 */
import { BackupClient } from '@aws-sdk/client-backup';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

const retry = { retryMode: 'standard', maxAttempts: 6 } as const;

export const clients = [
  new BackupClient({ ...retry }),
  DynamoDBDocumentClient.from(new DynamoDBClient({ ...retry })),
  new SchedulerClient({ ...retry }),
  new SNSClient({ ...retry }),
];
