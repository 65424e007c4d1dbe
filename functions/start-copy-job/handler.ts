import { baseDeps } from '../../shared/base-deps.js';
import { documentClient } from '../../shared/clients.js';
import { parseBackupEvent } from '../../shared/events/index.js';
import type { FunctionIdentity } from '../../shared/function-identity.js';
import { ExactlyOnce } from '../../shared/ledger/exactly-once.js';
import { DEFAULT_LEDGER_TTL_DAYS } from '../../shared/ledger/policy.js';
import { withBaseStack } from '../../shared/middleware.js';
import { loadCopyRules, loadStartCopyJobConfig } from './config.js';
import type { StartCopySettings } from './deps.js';
import { startCopiesFor } from './run.js';

// Once per container: bad settings fail the cold start, listing every problem.
const config = loadStartCopyJobConfig();
const ledger = new ExactlyOnce(documentClient(), {
  tableName: config.ledgerTableName,
  ttlDays: DEFAULT_LEDGER_TTL_DAYS,
});

// The rules, validated once per container on the first invocation, for the account and partition
// its context names (rules without match.accounts copy from that account). A failure (bad rules, SSM
// unreadable) is not kept: the next invocation tries again and reports every problem again.
let settings: Promise<StartCopySettings> | undefined;
const settingsFor = (identity: FunctionIdentity): Promise<StartCopySettings> => {
  settings ??= loadCopyRules(config, identity).then(
    (rules) => ({ rules, dryRun: config.dryRun, notifyTopicArn: config.notifyTopicArn }),
    (error: unknown) => {
      settings = undefined;
      throw error;
    },
  );
  return settings;
};

/**
 * Starts the copies the rules ask for when a backup or copy job completes ("Backup Job State
 * Change" / "Copy Job State Change" COMPLETED), exactly once per destination and hop. The event is
 * parsed before any AWS call: a malformed one fails here.
 */
export const handler = withBaseStack(async (event: unknown, context, { signal }) => {
  const parsed = parseBackupEvent(event);
  const base = baseDeps(context, signal);
  return startCopiesFor({ ...base, ledger, config: await settingsFor(base.identity) }, parsed);
});
