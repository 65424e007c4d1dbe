/**
 * Every AWS Backup call the toolkit makes, over the store, as plain functions
 * `(input, ctx) => output` keyed by the model's member names (the protocol decodes and encodes).
 * The caller's account is the account of the signing credentials (`ctx.principal.account`), the
 * Region the credential scope's; time is `ctx.now`. Errors are AWS's codes with AWS-like messages
 * (the wording is the sandbox's where AWS publishes none).
 */
import type {
  GetBackupPlanInput,
  ListBackupJobsInput,
  ListBackupPlansInput,
  ListBackupSelectionsInput,
  ListCopyJobsInput,
  ListRestoreJobsInput,
  ListScanJobsInput,
  ScheduledPlanExecutionMember,
  StartBackupJobInput,
  StartCopyJobInput,
} from '@aws-sdk/client-backup';
import { type CallContext, type Operation, ServiceError } from '../http/stand-in.js';
import { uuidFrom } from '../ids.js';
import { nextFireAfter } from '../template/schedule-expression.js';
import { parseVaultArn } from './arns.js';
import type { BackupEngine } from './engine.js';
import { matchesBackupJob, matchesCopyJob, matchesRestoreJob, matchesScanJob } from './filters.js';
import type { OutcomePolicy } from './outcomes.js';
import { newestFirst, pageOf, queryFingerprint } from './paging.js';
import { type BackupStore, type JobRecord, jobIdOf, type PlanVersion } from './store.js';
import { type Countable, type SummaryQuery, summarize } from './summaries.js';
import type { IdempotencyTokens } from './tokens.js';
import { backupJobView, copyJobView, restoreJobView, scanJobView } from './views.js';

const DAY = 86_400_000;

/** "Returns a list of existing backup jobs for an authenticated account for the last 30 days" (API_ListBackupJobs). */
export const BACKUP_JOBS_LISTED_DAYS = 30;

/** The organization the sandbox plays, for the calls that may reach other accounts. */
export interface Organization {
  /** The management account: ListBackupJobs ByAccountId `*` and summaries' ANY / AGGREGATE_ALL work from it only. */
  readonly managementAccount?: string;
  /** Member accounts (default: every account the store knows). */
  readonly memberAccounts?: readonly string[];
}

export interface OperationDeps {
  readonly store: BackupStore;
  readonly engine: BackupEngine;
  readonly policy: OutcomePolicy;
  readonly tokens: IdempotencyTokens;
  readonly organization?: Organization;
}

const notFound = (message: string) => new ServiceError('ResourceNotFoundException', message, 400);
const invalid = (message: string) => new ServiceError('InvalidParameterValueException', message, 400);
const missing = (message: string) => new ServiceError('MissingParameterValueException', message, 400);
const denied = (message: string) => new ServiceError('AccessDeniedException', message, 403);

const scopeOf = (ctx: CallContext) => ({ account: ctx.principal.account, region: ctx.region });

/**
 * The accounts a ListBackupJobs call may see: the caller's own; every account with `*` from the
 * management account ("If used from an Organizations management account, passing * returns all
 * jobs across the organization", API_ListBackupJobs); a member's from the management account.
 */
const backupListAccounts = (
  byAccountId: string | undefined,
  caller: string,
  org: Organization | undefined,
  known: readonly string[],
): ((account: string) => boolean) => {
  if (byAccountId === undefined || byAccountId === caller) return (a) => a === caller;
  const isManagement = org?.managementAccount === caller;
  const members = org?.memberAccounts ?? known;
  if (!isManagement) {
    throw denied(
      byAccountId === '*'
        ? `Account ${caller} is not the organization's management account: ByAccountId * is not allowed`
        : `Account ${caller} cannot list backup jobs of account ${byAccountId}`,
    );
  }
  if (byAccountId === '*') return (a) => a === caller || members.includes(a);
  return (a) => a === byAccountId && members.includes(a);
};

const requireToken = (operation: string, token: string | undefined): string => {
  if (!token) {
    throw invalid(
      `${operation}: IdempotencyToken is required by the sandbox: without it the AWS SDK fills in a random one, so a re-send would start a second job`,
    );
  }
  return token;
};

const checkLifecycle = (lifecycle: StartBackupJobInput['Lifecycle']): void => {
  const cold = lifecycle?.MoveToColdStorageAfterDays;
  const del = lifecycle?.DeleteAfterDays;
  // "...must be at least 90 days" more than MoveToColdStorageAfterDays (API_Lifecycle).
  if (cold !== undefined && del !== undefined && Number(del) < Number(cold) + 90) {
    throw invalid('Lifecycle: DeleteAfterDays must be at least 90 days greater than MoveToColdStorageAfterDays');
  }
};

/** The operations map for `startStandIn({ service: 'backup', operations })`. */
export const createBackupOperations = (deps: OperationDeps): Record<string, Operation> => {
  const { store, engine, policy, tokens } = deps;
  const ops = {
    ListBackupJobs: (input: ListBackupJobsInput, ctx: CallContext) => {
      const { account, region } = scopeOf(ctx);
      const known = [...new Set(store.jobs().map((j) => j.account))];
      const visible = backupListAccounts(input.ByAccountId, account, deps.organization, known);
      const oldest = ctx.now - BACKUP_JOBS_LISTED_DAYS * DAY;
      const jobs = store
        .jobs()
        .filter((r) => r.kind === 'backup')
        .filter((r) => r.region === region && visible(r.account) && r.job.CreationDate.getTime() >= oldest)
        .filter((r) => matchesBackupJob(r, input))
        .sort(byNewest);
      const page = pageOf(jobs, position, input, queryFingerprint('ListBackupJobs', account, region, input));
      return withToken({ BackupJobs: page.items.map((r) => backupJobView(r, ctx.now)) }, page.nextToken);
    },

    ListCopyJobs: (input: ListCopyJobsInput, ctx: CallContext) => {
      const { account, region } = scopeOf(ctx);
      // ByAccountId on copy lists: only the caller's own jobs are visible (`*` is documented for backup jobs only).
      const jobs = store
        .jobs()
        .filter((r) => r.kind === 'copy')
        .filter((r) => r.region === region && r.account === account && is(account, input.ByAccountId))
        .filter((r) => matchesCopyJob(r, input))
        .sort(byNewest);
      const page = pageOf(jobs, position, input, queryFingerprint('ListCopyJobs', account, region, input));
      return withToken({ CopyJobs: page.items.map((r) => copyJobView(r, ctx.now)) }, page.nextToken);
    },

    ListRestoreJobs: (input: ListRestoreJobsInput, ctx: CallContext) => {
      const { account, region } = scopeOf(ctx);
      const jobs = store
        .jobs()
        .filter((r) => r.kind === 'restore')
        .filter((r) => r.region === region && r.account === account && is(account, input.ByAccountId))
        .filter((r) => matchesRestoreJob(r, input))
        .sort(byNewest);
      const page = pageOf(jobs, position, input, queryFingerprint('ListRestoreJobs', account, region, input));
      return withToken({ RestoreJobs: page.items.map((r) => restoreJobView(r, ctx.now)) }, page.nextToken);
    },

    ListScanJobs: (input: ListScanJobsInput, ctx: CallContext) => {
      const { account, region } = scopeOf(ctx);
      // ByAccountId `*` from the management account, as for backup jobs (API_ListScanJobs).
      const known = [...new Set(store.jobs().map((j) => j.account))];
      const visible = backupListAccounts(input.ByAccountId, account, deps.organization, known);
      // "Returns a list of existing scan jobs for an authenticated account for the last 30 days."
      const oldest = ctx.now - BACKUP_JOBS_LISTED_DAYS * DAY;
      const jobs = store
        .jobs()
        .filter((r) => r.kind === 'scan')
        .filter((r) => r.region === region && visible(r.account) && r.job.CreationDate.getTime() >= oldest)
        .filter((r) => matchesScanJob(r, input))
        .sort(byNewest);
      const page = pageOf(jobs, position, input, queryFingerprint('ListScanJobs', account, region, input));
      return withToken({ ScanJobs: page.items.map((r) => scanJobView(r, ctx.now)) }, page.nextToken);
    },

    DescribeScanJob: (input: { ScanJobId?: string }, ctx: CallContext) => {
      const { account, region } = scopeOf(ctx);
      const r = input.ScanJobId ? store.scanJob(account, region, input.ScanJobId) : undefined;
      if (!r) throw notFound(`Scan job ${input.ScanJobId} not found in account ${account} and Region ${region}`);
      return scanJobView(r, ctx.now);
    },

    ListScanJobSummaries: (input: SummaryQuery & PageInput, ctx: CallContext) =>
      summaries('ListScanJobSummaries', 'ScanJobSummaries', 'scan', input, ctx),

    ListBackupJobSummaries: (input: SummaryQuery & PageInput, ctx: CallContext) =>
      summaries('ListBackupJobSummaries', 'BackupJobSummaries', 'backup', input, ctx),
    ListCopyJobSummaries: (input: SummaryQuery & PageInput, ctx: CallContext) =>
      summaries('ListCopyJobSummaries', 'CopyJobSummaries', 'copy', input, ctx),
    ListRestoreJobSummaries: (input: SummaryQuery & PageInput, ctx: CallContext) =>
      summaries('ListRestoreJobSummaries', 'RestoreJobSummaries', 'restore', input, ctx),

    DescribeBackupJob: (input: { BackupJobId?: string }, ctx: CallContext) => {
      const { account, region } = scopeOf(ctx);
      const r = input.BackupJobId ? store.backupJob(account, region, input.BackupJobId) : undefined;
      if (!r) throw notFound(`Backup job ${input.BackupJobId} not found in account ${account} and Region ${region}`);
      return backupJobView(r, ctx.now);
    },

    DescribeCopyJob: (input: { CopyJobId?: string }, ctx: CallContext) => {
      const { account, region } = scopeOf(ctx);
      const r = input.CopyJobId ? store.copyJob(account, region, input.CopyJobId) : undefined;
      if (!r) throw notFound(`Copy job ${input.CopyJobId} not found in account ${account} and Region ${region}`);
      return { CopyJob: copyJobView(r, ctx.now) };
    },

    DescribeRestoreJob: (input: { RestoreJobId?: string }, ctx: CallContext) => {
      const { account, region } = scopeOf(ctx);
      const r = input.RestoreJobId ? store.restoreJob(account, region, input.RestoreJobId) : undefined;
      if (!r) throw notFound(`Restore job ${input.RestoreJobId} not found in account ${account} and Region ${region}`);
      return restoreJobView(r, ctx.now);
    },

    DescribeRecoveryPoint: (
      input: { BackupVaultName?: string; RecoveryPointArn?: string; BackupVaultAccountId?: string },
      ctx: CallContext,
    ) => {
      const { region } = scopeOf(ctx);
      const account = input.BackupVaultAccountId ?? ctx.principal.account;
      if (!store.vault(account, region, input.BackupVaultName ?? '')) {
        throw notFound(`Backup vault ${input.BackupVaultName} not found in account ${account} and Region ${region}`);
      }
      const point = store.recoveryPoint(account, region, input.RecoveryPointArn ?? '')?.point;
      if (!point || point.BackupVaultName !== input.BackupVaultName) {
        throw notFound(`Recovery point ${input.RecoveryPointArn} not found in backup vault ${input.BackupVaultName}`);
      }
      return structuredClone(point);
    },

    ListBackupPlans: (input: ListBackupPlansInput, ctx: CallContext) => {
      const { account, region } = scopeOf(ctx);
      // The sandbox deletes no plan, so IncludeDeleted changes nothing.
      const plans = store.plans(account, region).sort((a, b) => a.planId.localeCompare(b.planId));
      const page = pageOf(plans, (p) => p.planId, input, queryFingerprint('ListBackupPlans', account, region, input));
      return withToken(
        {
          BackupPlansList: page.items.map((plan) => {
            const current = plan.versions.at(-1);
            return {
              BackupPlanArn: plan.arn,
              BackupPlanId: plan.planId,
              CreationDate: plan.creationDate,
              ...(current ? { VersionId: current.versionId } : {}),
              BackupPlanName: plan.name,
              ...(plan.lastExecutionDate ? { LastExecutionDate: plan.lastExecutionDate } : {}),
            };
          }),
        },
        page.nextToken,
      );
    },

    GetBackupPlan: (input: GetBackupPlanInput, ctx: CallContext) => {
      const { account, region } = scopeOf(ctx);
      const plan = store.plan(account, region, input.BackupPlanId ?? '');
      if (!plan)
        throw notFound(`Backup plan ${input.BackupPlanId} not found in account ${account} and Region ${region}`);
      // Plans keep their versions: a VersionId reads the rules as they were (API_GetBackupPlan).
      const version = input.VersionId
        ? plan.versions.find((v) => v.versionId === input.VersionId)
        : plan.versions.at(-1);
      if (!version) throw notFound(`Version ${input.VersionId} of backup plan ${plan.planId} not found`);
      const previewed = input.MaxScheduledRunsPreview ?? 0;
      return {
        BackupPlan: { BackupPlanName: plan.name, Rules: structuredClone([...version.rules]) },
        BackupPlanId: plan.planId,
        BackupPlanArn: plan.arn,
        VersionId: version.versionId,
        CreationDate: version.creationDate,
        ...(plan.lastExecutionDate ? { LastExecutionDate: plan.lastExecutionDate } : {}),
        ...(previewed > 0 ? { ScheduledRunsPreview: scheduledRuns(version, ctx.now, previewed) } : {}),
      };
    },

    ListBackupSelections: (input: ListBackupSelectionsInput, ctx: CallContext) => {
      const { account, region } = scopeOf(ctx);
      const plan = store.plan(account, region, input.BackupPlanId ?? '');
      if (!plan)
        throw notFound(`Backup plan ${input.BackupPlanId} not found in account ${account} and Region ${region}`);
      const selections = [...plan.selections].sort((a, b) => a.selectionId.localeCompare(b.selectionId));
      const page = pageOf(
        selections,
        (s) => s.selectionId,
        input,
        queryFingerprint('ListBackupSelections', account, region, input),
      );
      return withToken(
        {
          BackupSelectionsList: page.items.map((s) => ({
            SelectionId: s.selectionId,
            SelectionName: s.name,
            BackupPlanId: plan.planId,
            CreationDate: s.creationDate,
            IamRoleArn: s.iamRoleArn,
          })),
        },
        page.nextToken,
      );
    },

    StartBackupJob: (input: StartBackupJobInput, ctx: CallContext) => {
      const { account, region } = scopeOf(ctx);
      const token = requireToken('StartBackupJob', input.IdempotencyToken);
      return tokens.run('StartBackupJob', { account, region, at: ctx.now }, token, input, () => {
        if (!input.ResourceArn) throw missing('ResourceArn is required');
        if (!input.IamRoleArn) throw missing('IamRoleArn is required');
        if (!input.BackupVaultName || !store.vault(account, region, input.BackupVaultName)) {
          throw notFound(`Backup vault ${input.BackupVaultName} not found in account ${account} and Region ${region}`);
        }
        if (!store.resource(account, region, input.ResourceArn)) {
          throw notFound(`Resource ${input.ResourceArn} not found in account ${account} and Region ${region}`);
        }
        // "If this value is included, it must be at least 60 minutes to avoid errors" (API_StartBackupJob).
        if (input.StartWindowMinutes !== undefined && Number(input.StartWindowMinutes) < 60) {
          throw invalid('StartWindowMinutes must be at least 60 minutes');
        }
        checkLifecycle(input.Lifecycle);
        const job = store.createBackupJob({
          account,
          region,
          resourceArn: input.ResourceArn,
          vaultName: input.BackupVaultName,
          iamRoleArn: input.IamRoleArn,
          creationDate: ctx.now,
          ...(input.StartWindowMinutes === undefined ? {} : { startWindowMinutes: Number(input.StartWindowMinutes) }),
          ...(input.Lifecycle ? { lifecycle: input.Lifecycle } : {}),
          ...(input.BackupOptions ? { backupOptions: input.BackupOptions } : {}),
          // Derived from the token, never from arrival order: a replayed run names the same job.
          id: uuidFrom('start-backup-job', account, region, token),
          outcome: policy.nextBackup(input.ResourceArn),
        }).job;
        return {
          jobId: job.BackupJobId,
          output: {
            BackupJobId: job.BackupJobId,
            RecoveryPointArn: job.RecoveryPointArn,
            CreationDate: job.CreationDate,
            IsParent: false,
          },
        };
      });
    },

    StartCopyJob: (input: StartCopyJobInput, ctx: CallContext) => {
      const { account, region } = scopeOf(ctx);
      const token = requireToken('StartCopyJob', input.IdempotencyToken);
      return tokens.run('StartCopyJob', { account, region, at: ctx.now }, token, input, () => {
        if (!input.IamRoleArn) throw missing('IamRoleArn is required');
        if (!input.DestinationBackupVaultArn || !parseVaultArn(input.DestinationBackupVaultArn)) {
          throw invalid(`DestinationBackupVaultArn ${input.DestinationBackupVaultArn} is not a backup vault ARN`);
        }
        if (!input.SourceBackupVaultName || !store.vault(account, region, input.SourceBackupVaultName)) {
          throw notFound(
            `Backup vault ${input.SourceBackupVaultName} not found in account ${account} and Region ${region}`,
          );
        }
        const point = store.recoveryPoint(account, region, input.RecoveryPointArn ?? '')?.point;
        if (!point || point.BackupVaultName !== input.SourceBackupVaultName) {
          throw notFound(
            `Recovery point ${input.RecoveryPointArn} not found in backup vault ${input.SourceBackupVaultName}`,
          );
        }
        checkLifecycle(input.Lifecycle);
        const job = store.createCopyJob({
          account,
          region,
          sourceRecoveryPointArn: point.RecoveryPointArn ?? '',
          destinationVaultArn: input.DestinationBackupVaultArn,
          iamRoleArn: input.IamRoleArn,
          creationDate: ctx.now,
          ...(input.Lifecycle ? { lifecycle: input.Lifecycle } : {}),
          id: uuidFrom('start-copy-job', account, region, token).toUpperCase(),
          // A refusing destination (KMS key policy, vault access policy...) makes the job FAIL, not the call.
          outcome: policy.nextCopy(input.DestinationBackupVaultArn),
        }).job;
        return {
          jobId: job.CopyJobId,
          output: { CopyJobId: job.CopyJobId, CreationDate: job.CreationDate, IsParent: false },
        };
      });
    },

    TagResource: (input: { ResourceArn?: string; Tags?: Record<string, string> }, ctx: CallContext) => {
      const { account, region } = scopeOf(ctx);
      if (!input.ResourceArn || !store.hasTaggable(account, region, input.ResourceArn)) {
        throw notFound(`Resource ${input.ResourceArn} not found in account ${account} and Region ${region}`);
      }
      store.setTags(input.ResourceArn, input.Tags ?? {});
      return {};
    },
  };

  type PageInput = { NextToken?: string; MaxResults?: number };

  function summaries(
    operation: string,
    member: string,
    kind: JobRecord['kind'],
    input: SummaryQuery & PageInput,
    ctx: CallContext,
  ) {
    const { account, region } = scopeOf(ctx);
    // ANY / AGGREGATE_ALL and other accounts' ids work from the management account only; from any
    // other account "jobs within requestor's account will be returned" (API_ListBackupJobSummaries).
    const org = deps.organization;
    const management = org?.managementAccount === account;
    const members = org?.memberAccounts ?? [...new Set(store.jobs().map((j) => j.account))];
    const wanted = input.AccountId;
    const wide = management && (wanted === 'ANY' || wanted === 'AGGREGATE_ALL');
    const single = management && wanted && !wide ? wanted : account;
    const visible = (a: string) => (wide ? a === account || members.includes(a) : a === single);
    const counted: Countable[] = store
      .jobs()
      .filter((r) => r.kind === kind && r.region === region && visible(r.account))
      .map((r) => ({
        region: r.region,
        account: r.account,
        state: r.kind === 'restore' ? r.job.Status : r.job.State,
        resourceType: r.job.ResourceType,
        messageCategory: r.kind === 'restore' || r.kind === 'scan' ? undefined : r.job.MessageCategory,
        ...(r.kind === 'scan'
          ? { malwareScanner: r.job.MalwareScanner, scanResultStatus: r.job.ScanResult?.ScanResultStatus }
          : {}),
        createdMs: r.job.CreationDate.getTime(),
      }));
    const query: SummaryQuery = { ...input, AccountId: wide ? wanted : undefined };
    const rows = summarize(counted, query, ctx.now, kind === 'backup' || kind === 'copy', kind === 'scan');
    const numbered = rows.map((row, i) => ({ row, at: String(i).padStart(8, '0') }));
    const page = pageOf(numbered, (n) => n.at, input, queryFingerprint(operation, account, region, input));
    return withToken(
      { [member]: page.items.map((n) => n.row), AggregationPeriod: input.AggregationPeriod ?? 'ONE_DAY' },
      page.nextToken,
    );
  }

  // Every answer reflects the clock: jobs due by now move first.
  return Object.fromEntries(
    Object.entries(ops).map(([name, op]) => [
      name,
      ((input: never, ctx: CallContext) => {
        engine.catchUp();
        return (op as (i: unknown, c: CallContext) => unknown)(input ?? {}, ctx);
      }) as Operation,
    ]),
  );
};

const is = (value: string, wanted: string | undefined) => wanted === undefined || value === wanted;

const createdOf = (r: JobRecord) => r.job.CreationDate.getTime();
/** "When no CRON expression is provided, Backup will use the default expression cron(0 5 ? * * *)" (API_BackupRule). */
const DEFAULT_RULE_SCHEDULE = 'cron(0 5 ? * * *)';

/**
 * The next `count` runs of a plan version's rules after `now`, soonest first (GetBackupPlan
 * ScheduledRunsPreview). Backup rules read cron as EventBridge does (API_BackupRule points to its
 * cron reference), so the Scheduler stand-in's evaluator serves; a rate runs from the version's creation.
 */
const scheduledRuns = (version: PlanVersion, now: number, count: number): ScheduledPlanExecutionMember[] => {
  const runs: { at: number; rule: string; type: ScheduledPlanExecutionMember['RuleExecutionType'] }[] = [];
  for (const rule of version.rules) {
    const type = rule.EnableContinuousBackup ? 'CONTINUOUS_AND_SNAPSHOTS' : 'SNAPSHOTS';
    let after = now;
    for (let i = 0; i < count; i += 1) {
      const next = nextFireAfter(
        rule.ScheduleExpression || DEFAULT_RULE_SCHEDULE,
        after,
        rule.ScheduleExpressionTimezone || 'UTC',
        version.creationDate.getTime(),
      );
      if (next === undefined) break;
      runs.push({ at: next, rule: rule.RuleId, type });
      after = next;
    }
  }
  return runs
    .sort((a, b) => a.at - b.at || a.rule.localeCompare(b.rule))
    .slice(0, count)
    .map((r) => ({ ExecutionTime: new Date(r.at), RuleId: r.rule, RuleExecutionType: r.type }));
};

const position = (r: JobRecord) => newestFirst(createdOf(r), jobIdOf(r));
const byNewest = (a: JobRecord, b: JobRecord) => position(a).localeCompare(position(b));

const withToken = <T extends object>(output: T, nextToken?: string): T & { NextToken?: string } =>
  nextToken ? { ...output, NextToken: nextToken } : output;
