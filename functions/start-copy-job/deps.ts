import type { BaseDeps } from '../../shared/base-deps.js';
import type { Diagnosis } from '../../shared/diagnosis/index.js';
import type { ExactlyOnce } from '../../shared/ledger/exactly-once.js';
import type { SweepConfig } from '../../shared/sweep/settings.js';
import type { CopyPlan, PlannedCopy } from './decide.js';
import type { CopyRule } from './rules.js';

/** The settings the copy logic reads: the rules (validated for this account) and two settings. */
export interface StartCopySettings {
  readonly rules: readonly CopyRule[];
  readonly dryRun: boolean;
  readonly notifyTopicArn: string | undefined;
  /** The copy sweep's reach and set-aside count (COPY_SWEEP_*). */
  readonly sweep: SweepConfig;
}

/**
 * Everything the copy logic touches, injected: the deps every function has (its Backup clients per
 * Region serve later hops, which run in their intermediate vault's Region), plus the ledger's
 * exactly-once protocol and the settings.
 */
export interface StartCopyDeps extends BaseDeps {
  readonly ledger: ExactlyOnce;
  readonly config: StartCopySettings;
}

/** What happened to one planned copy. */
export type CopyResult =
  | { readonly outcome: 'started'; readonly copy: PlannedCopy; readonly copyJobId: string; readonly resent: boolean }
  | { readonly outcome: 'duplicate'; readonly copy: PlannedCopy; readonly status: string; readonly copyJobId?: string }
  | { readonly outcome: 'failed-to-start'; readonly copy: PlannedCopy; readonly diagnosis: Diagnosis }
  | { readonly outcome: 'dry-run'; readonly copy: PlannedCopy };

/** What one invocation did: the plan and each copy's result. */
export interface CopyRun {
  readonly plan: CopyPlan;
  readonly results: readonly CopyResult[];
}
