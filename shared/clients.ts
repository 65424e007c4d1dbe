import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * Retry settings of every SDK client: the standard strategy (exponential backoff with jitter,
 * throttling and 5xx retried) with more attempts than the default 3, because a throttled Backup
 * or DynamoDB call at 02:00, when every plan starts, should wait rather than fail the invocation.
 */
export const SDK_RETRY = { retryMode: 'standard', maxAttempts: 6 } as const;

const memo = <T>(create: () => T): (() => T) => {
  let value: T | undefined;
  return () => {
    value ??= create();
    return value;
  };
};

/** DynamoDB document client, created on first use and reused for the container's life. */
export const documentClient = memo(() =>
  DynamoDBDocumentClient.from(new DynamoDBClient({ ...SDK_RETRY }), {
    marshallOptions: { removeUndefinedValues: true },
  }),
);

/** SNS client, created on first use and reused. */
export const snsClient = memo(() => new SNSClient({ ...SDK_RETRY }));

/** EventBridge Scheduler client, created on first use and reused. */
export const schedulerClient = memo(() => new SchedulerClient({ ...SDK_RETRY }));

/** Secrets Manager client, created on first use and reused. */
export const secretsClient = memo(() => new SecretsManagerClient({ ...SDK_RETRY }));

/** SSM client, created on first use and reused. */
export const ssmClient = memo(() => new SSMClient({ ...SDK_RETRY }));
