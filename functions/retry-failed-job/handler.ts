import { baseDeps } from '../../shared/base-deps.js';
import { documentClient, schedulerClient } from '../../shared/clients.js';
import { withBaseStack } from '../../shared/middleware.js';
import { SeenPlaces } from '../../shared/sweep/seen-places.js';
import { SweepState } from '../../shared/sweep/state.js';
import { loadRetryConfig } from './config.js';
import { RetryLedger } from './ledger.js';
import { classifyInput } from './parse.js';
import { handleFailedRestore } from './restore.js';
import { RestoreLedger } from './restore-ledger.js';
import { handleFailedJob } from './run.js';
import { handleScanAlert } from './scan.js';
import { ScanLedger } from './scan-ledger.js';
import { sweep } from './sweep.js';
import { noteEventPlace } from './sweep-places.js';

// Once per container: a bad setting fails the cold start with every problem listed.
const config = loadRetryConfig();
const ledger = new RetryLedger(documentClient(), config.ledgerTableName, config.ledgerTtlDays);
const restoreLedger = new RestoreLedger(documentClient(), config.ledgerTableName, config.ledgerTtlDays);
const scanLedger = new ScanLedger(documentClient(), config.ledgerTableName, config.ledgerTtlDays);
const ledgerSettings = { tableName: config.ledgerTableName, ttlDays: config.ledgerTtlDays };
const sweepState = new SweepState(documentClient(), ledgerSettings, 'retry');
const seenPlaces = new SeenPlaces(documentClient(), ledgerSettings, 'retry');

/**
 * Retries failed AWS Backup backup and copy jobs with judgment, and alerts once for a FAILED restore
 * and for a malware scan that failed or found threats (neither retried). Triggers: "Backup Job State
 * Change" (RETRY_STATES), "Copy Job State Change" FAILED, "Restore Job State Change" FAILED, "Scan
 * Job State Change" FAILED or THREATS_FOUND, its own attempt schedules, and the hourly sweep.
 * The input is parsed before any AWS call: a malformed one fails here.
 */
export const handler = withBaseStack(async (event: unknown, context, { signal }) => {
  const trigger = classifyInput(event);
  const base = { ...baseDeps(context, signal, config.deployment), config, seenPlaces };
  // Central mode: where a member's event came from, so the sweep lists there too.
  await noteEventPlace(base, trigger);
  if (trigger.type === 'scan') return handleScanAlert({ ...base, scanLedger }, trigger.event);
  if (trigger.type === 'restore') return handleFailedRestore({ ...base, restoreLedger }, trigger.event);
  const deps = { ...base, scheduler: schedulerClient(), ledger, sweepState, restoreLedger, scanLedger };
  return trigger.type === 'sweep' ? sweep(deps) : handleFailedJob(deps, trigger.ref);
});
