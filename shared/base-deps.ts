import type { SNSClient } from '@aws-sdk/client-sns';
import type { Context } from 'aws-lambda';
import { type BackupClientFor, backupClientsFor } from './accounts/backup-clients.js';
import { ACCOUNT_DEPLOYMENT, type Deployment } from './accounts/deployment.js';
import { snsClient } from './clients.js';
import { type FunctionIdentity, functionIdentity } from './function-identity.js';
import { type LogSink, logger } from './logger.js';
import { type MetricSink, metrics } from './metrics.js';

/**
 * What every function's logic is given, built the same way by every handler: AWS Backup clients per
 * Region, SNS, the logger and metrics, the clock, the invocation's abort signal, and the function's
 * own identity (account, Region, ARN from the invocation context). Each function's deps extend it
 * with what only it uses (its ledger, its settings, the Scheduler client).
 */
export interface BaseDeps {
  /**
   * The Backup client of a Region and account, reused for the container's life: the account an
   * event names (`event.account`; a copy's source account). Omitted, or in account mode, the
   * function's own credentials; in central mode another account's calls are signed with its member
   * role (shared/accounts/backup-clients.ts).
   */
  readonly backupClientFor: BackupClientFor;
  /** DEPLOYMENT_MODE and the member role: whose events the function acts on (shared/events/scope.ts). */
  readonly deployment: Deployment;
  readonly sns: SNSClient;
  readonly logger: LogSink;
  readonly metrics: MetricSink;
  /** The clock: tests and the sandbox pass their own. */
  readonly now: () => Date;
  /** Aborted shortly before Lambda's timeout (the base middy stack arms it). */
  readonly signal?: AbortSignal;
  /** Where the function runs and as which account: the invocation's `invokedFunctionArn`. */
  readonly identity: FunctionIdentity;
  /** Milliseconds left before the Lambda timeout: a sweep stops in time to save (shared/sweep/run.ts). */
  readonly remainingMs?: () => number;
}

/**
 * The deps of one invocation, from its context and the base stack's abort signal.
 *
 * @example
 * export const handler = withBaseStack((event, context, { signal }) =>
 *   run({ ...baseDeps(context, signal, config.deployment), ledger, config }, event));
 */
export function baseDeps(
  context: Pick<Context, 'invokedFunctionArn'> & Partial<Pick<Context, 'getRemainingTimeInMillis'>>,
  signal: AbortSignal,
  deployment: Deployment = ACCOUNT_DEPLOYMENT,
): BaseDeps {
  const identity = functionIdentity(context);
  const remaining = context.getRemainingTimeInMillis;
  return {
    backupClientFor: backupClientsFor(deployment, identity),
    deployment,
    sns: snsClient(),
    logger,
    metrics,
    now: () => new Date(),
    signal,
    identity,
    ...(remaining ? { remainingMs: () => remaining.call(context) } : {}),
  };
}
