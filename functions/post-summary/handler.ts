import { baseDeps } from '../../shared/base-deps.js';
import { documentClient } from '../../shared/clients.js';
import { withBaseStack } from '../../shared/middleware.js';
import { organizationsClient } from '../../shared/organizations.js';
import { loadPostSummaryConfig } from './config.js';
import { runSummary } from './run.js';
import { createSecretReader } from './secrets.js';

// Once per container: bad settings fail the cold start, listing every problem.
const config = loadPostSummaryConfig();
// One reader per container: webhook URLs are cached for a few minutes across warm invocations. Its
// Secrets Manager and SSM clients are created on the first read (a summary to SNS alone reads none).
const readSecret = createSecretReader({});

/**
 * Posts one summary of AWS Backup jobs, on its schedule or when invoked directly with a window.
 * The account reported on is the function's own (its identity, as every function reads it).
 */
export const handler = withBaseStack(async (event: unknown, context, { signal }) =>
  runSummary(
    {
      ...baseDeps(context, signal, config.deployment),
      documentClient: config.ledgerTableName === undefined ? undefined : documentClient(),
      readSecret,
      requestId: context.awsRequestId,
      // Organization scope lists the organization's ACTIVE accounts (ListAccounts) to flag those with no job.
      ...(config.summaryScope === 'organization' ? { organizationsClient } : {}),
      config,
    },
    event,
  ),
);
