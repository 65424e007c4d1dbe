/**
 * The AWS Backup stand-in's domain, wired: store, engine, outcome policy, idempotency tokens and
 * the operations map that goes into `startStandIn({ service: 'backup', protocol:
 * createBackupProtocol(), operations, shared })`.
 */
import type { Operation, SandboxServices } from '../http/stand-in.js';
import { BackupEngine, type EventListener } from './engine.js';
import type { BackupEventJson } from './events.js';
import { createBackupOperations, type Organization } from './operations.js';
import { OutcomePolicy } from './outcomes.js';
import { BackupStore } from './store.js';
import { IdempotencyTokens, type TokenUse } from './tokens.js';

export type { BackupEventJson } from './events.js';
export { buildEvent } from './events.js';
export type { Organization } from './operations.js';
export { DEFAULT_MESSAGES, type FinalState, type Outcome, OutcomePolicy } from './outcomes.js';
export type * from './store.js';
export type { TokenUse } from './tokens.js';

export interface BackupStandInOptions {
  /** The organization, for ListBackupJobs ByAccountId `*` and the summaries' ANY / AGGREGATE_ALL. */
  readonly organization?: Organization;
}

export interface BackupStandIn {
  /** For `startStandIn`. Each operation first plays every job change due by the clock's now. */
  readonly operations: Readonly<Record<string, Operation>>;
  /** State and seeding (addVault, addPlan, addResource, createBackupJob, createCopyJob, createRestoreJob...). */
  readonly store: BackupStore;
  /** advanceTo / advanceBy / at / catchUp. */
  readonly engine: BackupEngine;
  /** Outcomes of API-started jobs, per resource ARN and destination vault ARN. */
  readonly outcomes: OutcomePolicy;
  /** Every use of every idempotency token, in arrival order. */
  readonly tokens: () => readonly TokenUse[];
  /** Calls `listener` with every EventBridge event AWS Backup would send. */
  readonly onEvent: (listener: EventListener) => void;
  /** Every event sent so far, in order. */
  readonly events: () => readonly BackupEventJson[];
}

/** Creates the Backup stand-in's domain on the sandbox's clock. */
export const createBackupStandIn = (shared: SandboxServices, options: BackupStandInOptions = {}): BackupStandIn => {
  const store = new BackupStore(shared.clock);
  const outcomes = new OutcomePolicy();
  const engine = new BackupEngine(store, shared.clock, outcomes);
  const tokens = new IdempotencyTokens();
  const sent: BackupEventJson[] = [];
  engine.onEvent((event) => sent.push(event));
  const operations = createBackupOperations({
    store,
    engine,
    policy: outcomes,
    tokens,
    ...(options.organization ? { organization: options.organization } : {}),
  });
  return {
    operations,
    store,
    engine,
    outcomes,
    tokens: () => tokens.uses(),
    onEvent: (listener) => engine.onEvent(listener),
    events: () => [...sent],
  };
};
