import type { Context } from 'aws-lambda';
import { backupClientFor } from '../../shared/backup/index.js';
import { documentClient, snsClient } from '../../shared/clients.js';
import { parseBackupEvent } from '../../shared/events/index.js';
import { ExactlyOnce } from '../../shared/ledger/exactly-once.js';
import { DEFAULT_LEDGER_TTL_DAYS } from '../../shared/ledger/policy.js';
import { logger } from '../../shared/logger.js';
import { metrics } from '../../shared/metrics.js';
import { withBaseStack } from '../../shared/middleware.js';
import { loadStartCopyJobConfig } from './config.js';
import { type StartCopyDeps, startCopiesFor } from './start-copies.js';

// Once per container: bad settings or rules fail the cold start, listing every problem (rules
// from SSM included). The SSM path is imported only when COPY_RULES_PARAMETER is set (bundled, but
// evaluated on first use: esbuild without --splitting, as SAM runs it).
const config = loadStartCopyJobConfig();
const readRules = async () => {
  const { createRulesSsmClient, readCopyRulesParameter } = await import('./rules-parameter.js');
  return readCopyRulesParameter(createRulesSsmClient(), config.copyRulesParameter as string, {
    accountId: config.accountId,
    defaultRoleArn: config.defaultCopyRoleArn,
  });
};
const rules = config.copyRules ?? (await readRules());
const ledger = new ExactlyOnce(documentClient(), {
  tableName: config.ledgerTableName,
  ttlDays: DEFAULT_LEDGER_TTL_DAYS,
});

const settings = { rules, dryRun: config.dryRun, notifyTopicArn: config.notifyTopicArn };

/** Per invocation: the container's clients and ledger, the clock and the abort signal. */
const deps = (_context: Context, signal: AbortSignal): StartCopyDeps => ({
  backupClientFor,
  ledger,
  sns: snsClient(),
  logger,
  metrics,
  now: () => new Date(),
  signal,
});

/**
 * Starts the copies the rules ask for when a backup or copy job completes ("Backup Job State
 * Change" / "Copy Job State Change" COMPLETED), exactly once per destination and hop. The event is
 * parsed before any AWS call: a malformed one fails here.
 */
export const handler = withBaseStack(async (event: unknown, context, { signal }) =>
  startCopiesFor(deps(context, signal), settings, parseBackupEvent(event)),
);
