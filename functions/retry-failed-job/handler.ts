import type { Context } from 'aws-lambda';
import { backupClientFor } from '../../shared/backup/index.js';
import { documentClient, schedulerClient, snsClient } from '../../shared/clients.js';
import { functionIdentity } from '../../shared/function-identity.js';
import { logger } from '../../shared/logger.js';
import { metrics } from '../../shared/metrics.js';
import { withBaseStack } from '../../shared/middleware.js';
import { loadRetryConfig } from './config.js';
import { RetryLedger } from './ledger.js';
import { handleFailedJob, type RetryDeps } from './logic.js';
import { sweep } from './sweep.js';
import { classifyInput } from './triggers.js';

// Once per container: a bad setting fails the cold start with every problem listed.
const config = loadRetryConfig();
const ledger = new RetryLedger(documentClient(), config.ledgerTableName, config.ledgerTtlDays);

/** Per invocation: the container's clients and ledger, the settings, the clock and the abort signal. */
const deps = (context: Context, signal: AbortSignal): RetryDeps => {
  // The function's own ARN (its attempt schedules target it) and Region, read as every function reads them.
  const { functionArn, region } = functionIdentity(context);
  return {
    backup: backupClientFor(region),
    scheduler: schedulerClient(),
    sns: snsClient(),
    ledger,
    config,
    now: () => new Date(),
    logger,
    metrics,
    functionArn,
    region,
    signal,
  };
};

/**
 * Retries failed AWS Backup backup and copy jobs with judgment. Triggers: "Backup Job State Change"
 * (RETRY_STATES), "Copy Job State Change" FAILED, its own attempt schedules, and the hourly sweep.
 */
export const handler = withBaseStack(async (event: unknown, context: Context, { signal }) => {
  const trigger = classifyInput(event);
  const run = deps(context, signal);
  return trigger.type === 'sweep' ? sweep(run) : handleFailedJob(run, trigger.ref);
});
