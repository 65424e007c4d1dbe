import type { BackupClient } from '@aws-sdk/client-backup';
import {
  type BackupRule,
  getBackupPlan,
  listBackupPlans,
  listBackupSelections,
  type ScheduledRun,
} from '../../shared/backup/index.js';

/** What one summary needs of a backup plan. */
export interface PlanFacts {
  readonly region: string;
  readonly planId: string;
  readonly planName: string;
  readonly planArn?: string;
  readonly versionId?: string;
  /** When the current version was created (GetBackupPlan CreationDate): its rules did not run before. */
  readonly createdAt?: Date;
  /** When AWS last ran the plan (GetBackupPlan LastExecutionDate). */
  readonly lastExecutionAt?: Date;
  readonly rules: readonly BackupRule[];
  /** The plan's next runs as AWS previews them (GetBackupPlan ScheduledRunsPreview). */
  readonly preview: readonly ScheduledRun[];
  readonly selections: readonly SelectionFacts[];
}

/** A resource selection of a plan, as ListBackupSelections gives it (no resources: GetBackupSelection has them). */
export interface SelectionFacts {
  readonly selectionId: string;
  readonly name: string;
  readonly iamRoleArn?: string;
  readonly createdAt?: Date;
}

/** A plan that could not be read, and why. */
export interface PlanFailure {
  readonly region: string;
  /** What failed: `backup plans (ListBackupPlans)` or `backup plan <name> (GetBackupPlan)`. */
  readonly what: string;
  readonly error: unknown;
}

/** One Region's plans as far as they could be read. */
export interface RegionPlans {
  /** False when ListBackupPlans failed: no plan of the Region is known. */
  readonly listed: boolean;
  readonly plans: readonly PlanFacts[];
  readonly failures: readonly PlanFailure[];
}

/** What the catalog needs. */
export interface PlanCatalogDeps {
  backupClientFor(region: string): BackupClient;
  readonly signal?: AbortSignal;
}

/** The most next runs GetBackupPlan previews: they anchor a `rate(...)` rule's phase. */
const PREVIEW_RUNS = 10;
/** Plans read at once per Region: enough to be quick, few enough not to be throttled. */
const CONCURRENCY = 4;

/**
 * The backup plans of each Region, read once per summary: one ListBackupPlans pass, then for each
 * plan one GetBackupPlan (rules and the schedule preview) and one ListBackupSelections pass. The
 * result is cached per Region for the rest of the run, so every part of the summary that asks gets
 * the same plans without another call.
 */
export class PlanCatalog {
  readonly #deps: PlanCatalogDeps;
  readonly #regions = new Map<string, Promise<RegionPlans>>();

  constructor(deps: PlanCatalogDeps) {
    this.#deps = deps;
  }

  /** The Region's plans; never throws: what could not be read is in `failures`. */
  plans(region: string): Promise<RegionPlans> {
    let plans = this.#regions.get(region);
    if (!plans) {
      plans = this.#read(region);
      this.#regions.set(region, plans);
    }
    return plans;
  }

  async #read(region: string): Promise<RegionPlans> {
    const client = this.#deps.backupClientFor(region);
    const signal = this.#deps.signal;
    const summaries: { id: string; name: string; arn?: string }[] = [];
    try {
      for await (const plan of listBackupPlans(client, {}, { signal })) {
        if (plan.BackupPlanId) {
          summaries.push({
            id: plan.BackupPlanId,
            name: plan.BackupPlanName ?? plan.BackupPlanId,
            ...(plan.BackupPlanArn ? { arn: plan.BackupPlanArn } : {}),
          });
        }
      }
    } catch (error) {
      return { listed: false, plans: [], failures: [{ region, what: 'backup plans (ListBackupPlans)', error }] };
    }
    const plans: PlanFacts[] = [];
    const failures: PlanFailure[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < summaries.length) {
        const summary = summaries[next] as (typeof summaries)[number];
        next += 1;
        try {
          plans.push(await this.#readPlan(client, region, summary));
        } catch (error) {
          failures.push({ region, what: `backup plan ${summary.name} (${summary.id})`, error });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, summaries.length) }, worker));
    // Workers finish in any order: the report lists plans by name.
    plans.sort((a, b) => a.planName.localeCompare(b.planName) || a.planId.localeCompare(b.planId));
    return { listed: true, plans, failures };
  }

  async #readPlan(
    client: BackupClient,
    region: string,
    summary: { id: string; name: string; arn?: string },
  ): Promise<PlanFacts> {
    const signal = this.#deps.signal;
    const plan = await getBackupPlan(
      client,
      { backupPlanId: summary.id, maxScheduledRunsPreview: PREVIEW_RUNS },
      signal,
    );
    const selections: SelectionFacts[] = [];
    for await (const selection of listBackupSelections(client, summary.id, { signal })) {
      selections.push({
        selectionId: selection.SelectionId ?? 'unknown',
        name: selection.SelectionName ?? selection.SelectionId ?? 'unnamed',
        ...(selection.IamRoleArn ? { iamRoleArn: selection.IamRoleArn } : {}),
        ...(selection.CreationDate ? { createdAt: selection.CreationDate } : {}),
      });
    }
    const arn = plan.BackupPlanArn ?? summary.arn;
    return {
      region,
      planId: summary.id,
      planName: plan.BackupPlan?.BackupPlanName ?? summary.name,
      ...(arn ? { planArn: arn } : {}),
      ...(plan.VersionId ? { versionId: plan.VersionId } : {}),
      ...(plan.CreationDate ? { createdAt: plan.CreationDate } : {}),
      ...(plan.LastExecutionDate ? { lastExecutionAt: plan.LastExecutionDate } : {}),
      rules: plan.BackupPlan?.Rules ?? [],
      preview: plan.ScheduledRunsPreview ?? [],
      selections,
    };
  }
}
