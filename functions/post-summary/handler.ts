import type { Context } from 'aws-lambda';
import { backupClientFor } from '../../shared/backup/index.js';
import { documentClient, snsClient } from '../../shared/clients.js';
import { functionIdentity } from '../../shared/function-identity.js';
import { logger } from '../../shared/logger.js';
import { metrics } from '../../shared/metrics.js';
import { withBaseStack } from '../../shared/middleware.js';
import { loadPostSummaryConfig } from './config.js';
import { createSecretReader } from './secrets.js';
import { type RunDeps, runSummary } from './summary.js';

// Once per container: bad settings fail the cold start, listing every problem.
const config = loadPostSummaryConfig();
// One reader per container: webhook URLs are cached for a few minutes across warm invocations. Its
// Secrets Manager and SSM clients are created on the first read (a summary to SNS alone reads none).
const readSecret = createSecretReader({});

/** Per invocation: the container's clients and secret reader, the clock and the abort signal. */
const deps = (_context: Context, signal: AbortSignal): RunDeps => ({
  backupClientFor,
  documentClient: config.ledgerTableName === undefined ? undefined : documentClient(),
  sns: snsClient(),
  readSecret,
  logger,
  metrics,
  now: () => new Date(),
  signal,
});

/**
 * Posts one summary of AWS Backup jobs, on its schedule or when invoked directly with a window.
 * The account reported on is the function's own, read as every function reads it.
 */
export const handler = withBaseStack(async (event: unknown, context, { signal }) =>
  runSummary(deps(context, signal), config, event, functionIdentity(context).accountId),
);
