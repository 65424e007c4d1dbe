import type { Context } from 'aws-lambda';
import { backupClientFor } from '../../shared/backup/index.js';
import { documentClient, schedulerClient, snsClient } from '../../shared/clients.js';
import { logger } from '../../shared/logger.js';
import { metrics } from '../../shared/metrics.js';
import { withBaseStack } from '../../shared/middleware.js';
import { loadRetryConfig } from './config.js';
import { RetryLedger } from './ledger.js';
import { handleFailedJob, type RetryDeps, sweep } from './logic.js';
import { classifyInput } from './triggers.js';

// Once per container: a bad setting fails the cold start with every problem listed.
const config = loadRetryConfig();
const ledger = new RetryLedger(documentClient(), config.ledgerTableName, config.ledgerTtlDays);

const deps = (context: Context, signal: AbortSignal): RetryDeps => ({
  backup: backupClientFor(),
  scheduler: schedulerClient(),
  sns: snsClient(),
  ledger,
  config,
  now: () => new Date(),
  logger,
  metrics,
  functionArn: context.invokedFunctionArn,
  region: process.env.AWS_REGION ?? '',
  signal,
});

/**
 * Retries failed AWS Backup backup and copy jobs with judgment. Triggers: "Backup Job State Change"
 * (RETRY_STATES), "Copy Job State Change" FAILED, its own attempt schedules, and the hourly sweep.
 */
export const handler = withBaseStack(async (event: unknown, context: Context, { signal }) => {
  const trigger = classifyInput(event);
  if (trigger.type === 'sweep') return sweep(deps(context, signal));
  if (
    trigger.ref.kind === 'backup' &&
    trigger.ref.trigger === 'event' &&
    !(config.retryStates as readonly string[]).includes(trigger.state)
  ) {
    // The rule may route more states than RETRY_STATES names (ABORTED is opt-in): no AWS call for those.
    logger.info('state not configured for retry', { jobId: trigger.ref.jobId, state: trigger.state });
    return { result: 'skipped', jobId: trigger.ref.jobId, reason: 'state-not-configured', alerted: false };
  }
  return handleFailedJob(deps(context, signal), trigger.ref);
});
