import { backupClientFor } from '../../shared/backup/index.js';
import { documentClient, snsClient, ssmClient } from '../../shared/clients.js';
import { parseBackupEvent } from '../../shared/events/index.js';
import { logger } from '../../shared/logger.js';
import { metrics } from '../../shared/metrics.js';
import { withBaseStack } from '../../shared/middleware.js';
import { CopyLedger } from './claims.js';
import { loadStartCopyJobConfig } from './config.js';
import { readCopyRulesParameter } from './rules-parameter.js';
import { startCopiesFor } from './start-copies.js';

// Bad settings or rules fail the cold start, listing every problem (rules from SSM included).
const config = loadStartCopyJobConfig();
const rules =
  config.copyRules ??
  (await readCopyRulesParameter(ssmClient(), config.copyRulesParameter as string, {
    accountId: config.accountId,
    defaultRoleArn: config.defaultCopyRoleArn,
  }));
const ledger = new CopyLedger(documentClient(), config.ledgerTableName);

// A claim's lease outlives the invocation by this margin, so a redelivery never re-sends a live start.
const LEASE_MARGIN_MS = 5_000;

export const handler = withBaseStack(async (event: unknown, context, { signal }) => {
  // Parsed first: a malformed event fails here, before any AWS call.
  const parsed = parseBackupEvent(event);
  return startCopiesFor(
    {
      backupClientFor,
      ledger,
      sns: snsClient(),
      logger,
      metrics,
      now: () => new Date(),
      leaseUntil: () => Date.now() + context.getRemainingTimeInMillis() + LEASE_MARGIN_MS,
      signal,
    },
    { rules, dryRun: config.dryRun, notifyTopicArn: config.notifyTopicArn },
    parsed,
  );
});
