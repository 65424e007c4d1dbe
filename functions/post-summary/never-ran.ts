import type { BackupJob, BackupRule } from '../../shared/backup/index.js';
import { type CronEngine, DEFAULT_START_WINDOW_MINUTES, dueRuns } from '../../shared/schedule/index.js';
import { importSideBundle } from '../../shared/side-bundle.js';
import type { PlanFacts } from './plan-catalog.js';
import type { NeverRanRule, PlanWithoutSelection } from './report.js';

/**
 * "When no CRON expression is provided, Backup will use the default expression cron(0 5 ? * * *)"
 * (API_BackupRule ScheduleExpression, https://docs.aws.amazon.com/aws-backup/latest/devguide/API_BackupRule.html).
 */
export const DEFAULT_SCHEDULE_EXPRESSION = 'cron(0 5 ? * * *)';

/** Due times listed per rule (an hourly rule over a long window would list hundreds); `dueRuns` counts them all. */
const MAX_DUE_TIMES = 10;

/** cron-parser, from this function's side bundle cron-engine.mjs, loaded on the first cron(...) evaluated. */
export const cronEngine: CronEngine = async (query) =>
  (await importSideBundle<typeof import('./cron-engine.js')>(import.meta.url, 'cron-engine')).cronInstants(query);

function keyOf(region: string, planId: string, ruleId: string): string {
  return `${region}\n${planId}\n${ruleId}`;
}

/**
 * The newest job each plan rule created, from the jobs the summary lists anyway (this window's and
 * the previous window's): a job's `CreatedBy` names BackupPlanId and BackupRuleId
 * (API_RecoveryPointCreator). Memory grows with plan rules, never with jobs.
 */
export class RuleJobIndex {
  readonly #newest = new Map<string, number>();

  addJob(job: BackupJob, region: string): void {
    const planId = job.CreatedBy?.BackupPlanId;
    const ruleId = job.CreatedBy?.BackupRuleId;
    if (!planId || !ruleId) return;
    const key = keyOf(region, planId, ruleId);
    const at = job.CreationDate?.getTime() ?? Number.NEGATIVE_INFINITY;
    if (at > (this.#newest.get(key) ?? Number.NEGATIVE_INFINITY)) this.#newest.set(key, at);
  }

  /** When the rule's newest listed job was created, or undefined when none was listed. */
  newest(region: string, planId: string, ruleId: string): number | undefined {
    return this.#newest.get(keyOf(region, planId, ruleId));
  }
}

/** What {@link decideNeverRan} judges, for one Region. */
export interface NeverRanInput {
  readonly region: string;
  readonly accountId: string;
  readonly plans: readonly PlanFacts[];
  readonly jobs: RuleJobIndex;
  /** The summary window. */
  readonly since: Date;
  readonly until: Date;
  /** Jobs are listed from here on (the previous window's start when it was listed, else `since`). */
  readonly listedFrom: Date;
}

/** A rule whose schedule could not be read: the check says so instead of guessing. */
export interface UnreadableRule {
  readonly region: string;
  readonly planName: string;
  readonly ruleName: string;
  readonly error: string;
}

/** What the check found in one Region. */
export interface NeverRanFindings {
  readonly rules: readonly NeverRanRule[];
  readonly plansWithoutSelection: readonly PlanWithoutSelection[];
  readonly unreadable: readonly UnreadableRule[];
}

function latest(...dates: readonly (Date | undefined)[]): Date {
  return new Date(Math.max(...dates.map((d) => d?.getTime() ?? Number.NEGATIVE_INFINITY)));
}

function ruleNameOf(rule: BackupRule): string {
  return rule.RuleName ?? rule.RuleId ?? 'unnamed';
}

/**
 * Plan rules that never ran: each rule of each plan whose schedule (cron or rate, in its time zone)
 * had a run fall due inside the window (its start window closed in it; see `dueRuns`), for which no
 * job at all, in any state, was created by that plan and rule since that run's time. A plan with
 * no resource selection is reported once, as such, not once per rule.
 *
 * Only what can be judged is: runs before the jobs are listed, before the plan's current version
 * was created, or before its first selection was, are not. Pure (the schedule engine loads lazily,
 * hence async); linear in plans and rules.
 */
export async function decideNeverRan(input: NeverRanInput): Promise<NeverRanFindings> {
  const rules: NeverRanRule[] = [];
  const plansWithoutSelection: PlanWithoutSelection[] = [];
  const unreadable: UnreadableRule[] = [];
  for (const plan of input.plans) {
    const firstSelection = plan.selections.reduce<Date | undefined>(
      (first, s) => (s.createdAt && (!first || s.createdAt < first) ? s.createdAt : first),
      undefined,
    );
    const dueRules: { rule: BackupRule; runs: readonly number[]; unanchored: number; periodMs?: number }[] = [];
    for (const rule of plan.rules) {
      const ruleId = rule.RuleId;
      if (!ruleId) continue;
      const anchor = plan.preview.find((run) => run.RuleId === ruleId)?.ExecutionTime;
      try {
        const due = await dueRuns(
          {
            scheduleExpression: rule.ScheduleExpression || DEFAULT_SCHEDULE_EXPRESSION,
            ...(rule.ScheduleExpressionTimezone ? { timezone: rule.ScheduleExpressionTimezone } : {}),
            ...(rule.StartWindowMinutes !== undefined ? { startWindowMinutes: Number(rule.StartWindowMinutes) } : {}),
            since: input.since,
            until: input.until,
            // With no selection the plan's own creation bounds it; with selections, the first one's too.
            notBefore: latest(
              input.listedFrom,
              plan.createdAt,
              plan.selections.length > 0 ? firstSelection : undefined,
            ),
            ...(anchor ? { anchor } : {}),
          },
          cronEngine,
        );
        if (due.runs.length > 0 || due.unanchored > 0) dueRules.push({ rule, ...due });
      } catch (error) {
        unreadable.push({
          region: input.region,
          planName: plan.planName,
          ruleName: ruleNameOf(rule),
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
    if (dueRules.length === 0) continue;
    if (plan.selections.length === 0) {
      plansWithoutSelection.push({
        region: input.region,
        accountId: input.accountId,
        planId: plan.planId,
        planName: plan.planName,
        rules: dueRules.map(({ rule }) => ruleNameOf(rule)),
      });
      continue;
    }
    for (const { rule, runs, unanchored, periodMs } of dueRules) {
      const ruleId = rule.RuleId as string;
      const newest = input.jobs.newest(input.region, plan.planId, ruleId);
      // Any job since the first due run, in any state, means AWS ran the rule: failures are reported elsewhere.
      const firstDue = runs[0] ?? latest(input.listedFrom, plan.createdAt, firstSelection).getTime();
      if (newest !== undefined && newest >= firstDue) continue;
      const roles = [...new Set(plan.selections.flatMap((s) => (s.iamRoleArn ? [s.iamRoleArn] : [])))];
      rules.push({
        region: input.region,
        accountId: input.accountId,
        planId: plan.planId,
        planName: plan.planName,
        ruleId,
        ruleName: ruleNameOf(rule),
        scheduleExpression: rule.ScheduleExpression || DEFAULT_SCHEDULE_EXPRESSION,
        timezone: rule.ScheduleExpressionTimezone || 'UTC',
        startWindowMinutes: Number(rule.StartWindowMinutes ?? DEFAULT_START_WINDOW_MINUTES),
        dueRuns: runs.length + unanchored,
        dueAt: runs.slice(0, MAX_DUE_TIMES).map((ms) => new Date(ms).toISOString()),
        ...(periodMs !== undefined && runs.length === 0 ? { everyMinutes: periodMs / 60_000 } : {}),
        ...(newest !== undefined ? { lastJobAt: new Date(newest).toISOString() } : {}),
        selections: plan.selections.map((s) => s.name),
        iamRoles: roles,
      });
    }
  }
  return { rules, plansWithoutSelection, unreadable };
}
