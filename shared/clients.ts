import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * Retry settings of every SDK client: the standard strategy (exponential backoff with jitter,
 * throttling and 5xx retried) with more attempts than the default 3, because a throttled Backup
 * or DynamoDB call at 02:00, when every plan starts, should wait rather than fail the invocation.
 */
export const SDK_RETRY = { retryMode: 'standard', maxAttempts: 6 } as const;

// Each client is a plain function over a module-level slot, not `memo(() => ...)` at top level:
// esbuild drops an unused arrow function (and, the SDK packages being `"sideEffects": false`, the
// client it names), but must keep a top-level call. So a function bundles only the clients it uses.
// The clients only some invocations need (SSM for the copy rules parameter, Secrets Manager for
// webhook URLs) are not here: the modules that call them create them, and are loaded on first use.
let documents: DynamoDBDocumentClient | undefined;
let sns: SNSClient | undefined;
let scheduler: SchedulerClient | undefined;

/** DynamoDB document client, created on first use and reused for the container's life. */
export function documentClient(): DynamoDBDocumentClient {
  documents ??= DynamoDBDocumentClient.from(new DynamoDBClient({ ...SDK_RETRY }), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return documents;
}

/** SNS client, created on first use and reused. */
export function snsClient(): SNSClient {
  sns ??= new SNSClient({ ...SDK_RETRY });
  return sns;
}

/** EventBridge Scheduler client, created on first use and reused. */
export function schedulerClient(): SchedulerClient {
  scheduler ??= new SchedulerClient({ ...SDK_RETRY });
  return scheduler;
}
