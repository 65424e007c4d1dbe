import { backupClientFor } from '../../shared/backup/index.js';
import { documentClient, secretsClient, snsClient, ssmClient } from '../../shared/clients.js';
import { logger } from '../../shared/logger.js';
import { metrics } from '../../shared/metrics.js';
import { withBaseStack } from '../../shared/middleware.js';
import { loadPostSummaryConfig } from './config.js';
import { createSecretReader } from './secrets.js';
import { runSummary } from './summary.js';

// Bad settings fail the cold start, listing every problem.
const config = loadPostSummaryConfig();
// One reader per container: webhook URLs are cached for a few minutes across warm invocations.
const readSecret = createSecretReader({ secrets: secretsClient(), ssm: ssmClient() });

export const handler = withBaseStack(async (event: unknown, context, { signal }) =>
  runSummary(
    {
      backupClientFor,
      documentClient: config.ledgerTableName === undefined ? undefined : documentClient(),
      sns: snsClient(),
      readSecret,
      logger,
      metrics,
      now: () => new Date(),
      signal,
    },
    config,
    event,
    // arn:aws:lambda:<region>:<account>:function:<name>: the account this function runs in.
    context.invokedFunctionArn.split(':')[4] ?? '',
  ),
);
