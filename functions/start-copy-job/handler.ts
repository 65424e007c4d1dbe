import { baseDeps } from '../../shared/base-deps.js';
import { documentClient } from '../../shared/clients.js';
import type { FunctionIdentity } from '../../shared/function-identity.js';
import { ExactlyOnce } from '../../shared/ledger/exactly-once.js';
import { DEFAULT_LEDGER_TTL_DAYS } from '../../shared/ledger/policy.js';
import { withBaseStack } from '../../shared/middleware.js';
import { SweepState } from '../../shared/sweep/state.js';
import { loadCopyRules, loadStartCopyJobConfig } from './config.js';
import type { StartCopySettings } from './deps.js';
import { classifyCopyInput } from './parse.js';
import { startCopiesFor } from './run.js';
import { copySweep } from './sweep.js';

// Once per container: bad settings fail the cold start, listing every problem.
const config = loadStartCopyJobConfig();
const ledgerSettings = { tableName: config.ledgerTableName, ttlDays: DEFAULT_LEDGER_TTL_DAYS };
const ledger = new ExactlyOnce(documentClient(), ledgerSettings);
const sweepState = new SweepState(documentClient(), ledgerSettings, 'copy');

// The rules, validated once per container on the first invocation, for the account and partition
// its context names (rules without match.accounts copy from that account). A failure (bad rules, SSM
// unreadable) is not kept: the next invocation tries again and reports every problem again.
let settings: Promise<StartCopySettings> | undefined;
function settingsFor(identity: FunctionIdentity): Promise<StartCopySettings> {
  settings ??= loadCopyRules(config, identity).then(
    (rules) => ({ rules, dryRun: config.dryRun, notifyTopicArn: config.notifyTopicArn, sweep: config.sweep }),
    (error: unknown) => {
      settings = undefined;
      throw error;
    },
  );
  return settings;
}

/**
 * Starts the copies the rules ask for when a backup or copy job completes ("Backup Job State
 * Change" / "Copy Job State Change" COMPLETED), exactly once per destination and hop; and, on its
 * hourly schedule, sweeps for copies no event started. The input is parsed before any AWS call: a
 * malformed one fails here.
 */
export const handler = withBaseStack(async (event: unknown, context, { signal }) => {
  const input = classifyCopyInput(event);
  const base = baseDeps(context, signal, config.deployment);
  const deps = { ...base, ledger, config: await settingsFor(base.identity) };
  return input.type === 'sweep' ? copySweep({ ...deps, sweepState }) : startCopiesFor(deps, input.event);
});
