import {
  type BackupClient,
  type BackupSelectionsListMember,
  GetBackupPlanCommand,
  type GetBackupPlanCommandInput,
  type GetBackupPlanOutput,
  ListBackupJobSummariesCommand,
  ListBackupJobsCommand,
  type ListBackupJobsCommandInput,
  ListBackupPlansCommand,
  type ListBackupPlansCommandInput,
  ListBackupSelectionsCommand,
  type ListBackupSelectionsCommandInput,
  ListCopyJobsCommand,
  type ListCopyJobsCommandInput,
  ListRestoreJobsCommand,
  type ListRestoreJobsCommandInput,
  ListScanJobSummariesCommand,
  ListScanJobsCommand,
  type ListScanJobsCommandInput,
} from '@aws-sdk/client-backup';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import type { BackupJob, CopyJob, RestoreJob, ScanJob } from '../../../shared/backup/index.js';

/** The account, Region and window most tests use. */
export const ACCOUNT = '111122223333';
export const OTHER_ACCOUNT = '444455556666';
export const REGION = 'eu-west-1';
export const SINCE = new Date('2026-11-23T08:00:00.000Z');
export const UNTIL = new Date('2026-11-24T08:00:00.000Z');
export const PREVIOUS_SINCE = new Date('2026-11-22T08:00:00.000Z');
export const NOW = new Date('2026-11-24T08:00:05.000Z');

const HOUR_MS = 3_600_000;

export const volumeArn = (n: number | string, region = REGION, account = ACCOUNT): string =>
  `arn:aws:ec2:${region}:${account}:volume/vol-${String(n).padStart(17, '0')}`;

export const recoveryPointArn = (n: number | string, region = REGION, account = ACCOUNT): string =>
  `arn:aws:ec2:${region}::snapshot/snap-${account}${String(n).padStart(8, '0')}`;

/** A completed EBS backup job in the window (as ListBackupJobs returns it); override any field. */
export const aBackupJob = (overrides: Partial<BackupJob> = {}): BackupJob => {
  const id = overrides.BackupJobId ?? 'b-0001';
  return {
    AccountId: ACCOUNT,
    BackupJobId: id,
    BackupVaultName: 'Default',
    BackupVaultArn: `arn:aws:backup:${REGION}:${ACCOUNT}:backup-vault:Default`,
    RecoveryPointArn: recoveryPointArn(id),
    ResourceArn: volumeArn(1),
    ResourceType: 'EBS',
    CreationDate: new Date(SINCE.getTime() + HOUR_MS),
    CompletionDate: new Date(SINCE.getTime() + 2 * HOUR_MS),
    State: 'COMPLETED',
    MessageCategory: 'SUCCESS',
    PercentDone: '100.0',
    BackupSizeInBytes: 1_000,
    IamRoleArn: `arn:aws:iam::${ACCOUNT}:role/service-role/AWSBackupDefaultServiceRole`,
    CreatedBy: { BackupPlanId: 'plan-1', BackupRuleId: 'rule-1', BackupPlanVersion: 'v1' },
    ...overrides,
  };
};

/** A completed copy job of `SourceRecoveryPointArn` to a vault in another Region; override any field. */
export const aCopyJob = (overrides: Partial<CopyJob> = {}): CopyJob => ({
  AccountId: ACCOUNT,
  CopyJobId: 'c-0001',
  SourceBackupVaultArn: `arn:aws:backup:${REGION}:${ACCOUNT}:backup-vault:Default`,
  SourceRecoveryPointArn: recoveryPointArn('b-0001'),
  DestinationBackupVaultArn: `arn:aws:backup:eu-central-1:${ACCOUNT}:backup-vault:dr-vault`,
  DestinationRecoveryPointArn: 'arn:aws:ec2:eu-central-1::snapshot/snap-0f00000000000001',
  ResourceArn: volumeArn(1),
  ResourceType: 'EBS',
  CreationDate: new Date(SINCE.getTime() + 3 * HOUR_MS),
  CompletionDate: new Date(SINCE.getTime() + 4 * HOUR_MS),
  State: 'COMPLETED',
  MessageCategory: 'SUCCESS',
  BackupSizeInBytes: 1_000,
  IamRoleArn: `arn:aws:iam::${ACCOUNT}:role/service-role/AWSBackupDefaultServiceRole`,
  ...overrides,
});

/** A completed restore job; override any field. */
export const aRestoreJob = (overrides: Partial<RestoreJob> = {}): RestoreJob => ({
  AccountId: ACCOUNT,
  RestoreJobId: 'r-0001',
  RecoveryPointArn: recoveryPointArn('b-0001'),
  CreatedResourceArn: volumeArn(900),
  ResourceType: 'EBS',
  CreationDate: new Date(SINCE.getTime() + 5 * HOUR_MS),
  CompletionDate: new Date(SINCE.getTime() + 6 * HOUR_MS),
  Status: 'COMPLETED',
  BackupSizeInBytes: 1_000,
  IamRoleArn: `arn:aws:iam::${ACCOUNT}:role/service-role/AWSBackupDefaultServiceRole`,
  ...overrides,
});

/** N jobs built by `make(i)` (i from 0), produced lazily so a benchmark never holds them. */
export function* generate<T>(n: number, make: (i: number) => T): Generator<T> {
  for (let i = 0; i < n; i += 1) yield make(i);
}

/** N backup jobs with distinct ids and recovery points; `vary(i)` overrides per job. */
export const backupJobs = (n: number, vary: (i: number) => Partial<BackupJob> = () => ({})): BackupJob[] => [
  ...generate(n, (i) =>
    aBackupJob({ BackupJobId: `b-${i}`, RecoveryPointArn: recoveryPointArn(`b-${i}`), ...vary(i) }),
  ),
];

/** N copy jobs with distinct ids; `vary(i)` overrides per job. */
export const copyJobs = (n: number, vary: (i: number) => Partial<CopyJob> = () => ({})): CopyJob[] => [
  ...generate(n, (i) => aCopyJob({ CopyJobId: `c-${i}`, ...vary(i) })),
];

/** N restore jobs with distinct ids; `vary(i)` overrides per job. */
export const restoreJobs = (n: number, vary: (i: number) => Partial<RestoreJob> = () => ({})): RestoreJob[] => [
  ...generate(n, (i) => aRestoreJob({ RestoreJobId: `r-${i}`, ...vary(i) })),
];

/** Jobs a fake service holds for one listing: a count and the i-th job (built on demand). */
export interface JobSource<T> {
  readonly count: number;
  at(i: number): T;
}

export const fromArray = <T>(items: readonly T[]): JobSource<T> => ({
  count: items.length,
  at: (i) => items[i] as T,
});

const EMPTY: JobSource<never> = { count: 0, at: () => undefined as never };

/** A backup plan a fake service holds: what GetBackupPlan returns and its selections. */
export interface FakePlan {
  readonly plan: GetBackupPlanOutput;
  readonly selections?: readonly BackupSelectionsListMember[];
}

/** Which jobs a listing returns, by kind, given its input (window, account filter); the plans (default none). */
export interface FakeBackupService {
  backup?(input: ListBackupJobsCommandInput): JobSource<BackupJob>;
  copy?(input: ListCopyJobsCommandInput): JobSource<CopyJob>;
  restore?(input: ListRestoreJobsCommandInput): JobSource<RestoreJob>;
  plans?: readonly FakePlan[];
  scan?(input: ListScanJobsCommandInput): JobSource<ScanJob>;
}

/**
 * A full-page service: each call returns MaxResults jobs from the offset in NextToken, and a
 * NextToken only when more remain (so N jobs cost ceil(N / page) calls, and an empty list one call).
 */
const page = <T>(source: JobSource<T>, input: { NextToken?: string; MaxResults?: number }) => {
  const start = Number(input.NextToken ?? '0');
  const end = Math.min(source.count, start + (input.MaxResults ?? 1000));
  const items: T[] = [];
  for (let i = start; i < end; i += 1) items.push(source.at(i));
  return { items, next: end < source.count ? String(end) : undefined };
};

/** A fake service's answer to one List*Jobs input. */
export const listBackupPage = (service: FakeBackupService, input: ListBackupJobsCommandInput) => {
  const { items, next } = page(service.backup?.(input) ?? EMPTY, input);
  return { BackupJobs: items, NextToken: next };
};
export const listCopyPage = (service: FakeBackupService, input: ListCopyJobsCommandInput) => {
  const { items, next } = page(service.copy?.(input) ?? EMPTY, input);
  return { CopyJobs: items, NextToken: next };
};
export const listRestorePage = (service: FakeBackupService, input: ListRestoreJobsCommandInput) => {
  const { items, next } = page(service.restore?.(input) ?? EMPTY, input);
  return { RestoreJobs: items, NextToken: next };
};

export const listScanPage = (service: FakeBackupService, input: ListScanJobsCommandInput) => {
  const { items, next } = page(service.scan?.(input) ?? EMPTY, input);
  return { ScanJobs: items, NextToken: next };
};

/**
 * A benchmark's fake `send`: the answer of a service with no plans, scans or summaries to one call
 * the summary makes (its job lists paged from `service`); `undefined` for any other command.
 */
export const answerSummaryCall = (service: FakeBackupService, command: unknown): unknown => {
  if (command instanceof ListBackupJobsCommand) return listBackupPage(service, command.input);
  if (command instanceof ListCopyJobsCommand) return listCopyPage(service, command.input);
  if (command instanceof ListRestoreJobsCommand) return listRestorePage(service, command.input);
  if (command instanceof ListBackupJobSummariesCommand) return { BackupJobSummaries: [] };
  // The account's plans (the never-ran check) and malware scans: none, so neither reads further.
  if (command instanceof ListBackupPlansCommand) return { BackupPlansList: [] };
  if (command instanceof ListScanJobsCommand) return { ScanJobs: [] };
  if (command instanceof ListScanJobSummariesCommand) return { ScanJobSummaries: [] };
  return undefined;
};

/** Wires a fake service into a mocked BackupClient. */
export const serve = (mock: AwsClientStub<BackupClient>, service: FakeBackupService): void => {
  mock.on(ListBackupJobsCommand).callsFake((input: ListBackupJobsCommandInput) => listBackupPage(service, input));
  mock.on(ListCopyJobsCommand).callsFake((input: ListCopyJobsCommandInput) => listCopyPage(service, input));
  mock.on(ListRestoreJobsCommand).callsFake((input: ListRestoreJobsCommandInput) => listRestorePage(service, input));
  const plans = service.plans ?? [];
  mock.on(ListBackupPlansCommand).callsFake((input: ListBackupPlansCommandInput) => {
    const { items, next } = page(fromArray(plans), input);
    return {
      BackupPlansList: items.map(({ plan }) => ({
        BackupPlanId: plan.BackupPlanId,
        BackupPlanName: plan.BackupPlan?.BackupPlanName,
        BackupPlanArn: plan.BackupPlanArn,
        VersionId: plan.VersionId,
      })),
      NextToken: next,
    };
  });
  mock.on(GetBackupPlanCommand).callsFake((input: GetBackupPlanCommandInput) => {
    const found = plans.find(({ plan }) => plan.BackupPlanId === input.BackupPlanId);
    if (!found) throw Object.assign(new Error(`no plan ${input.BackupPlanId}`), { name: 'ResourceNotFoundException' });
    return found.plan;
  });
  mock.on(ListBackupSelectionsCommand).callsFake((input: ListBackupSelectionsCommandInput) => {
    const found = plans.find(({ plan }) => plan.BackupPlanId === input.BackupPlanId);
    const { items, next } = page(fromArray(found?.selections ?? []), input);
    return { BackupSelectionsList: items, NextToken: next };
  });
  mock.on(ListScanJobsCommand).callsFake((input: ListScanJobsCommandInput) => listScanPage(service, input));
};

/** Whether a listing's input asks for the window starting at `since`. */
export const isWindow = (input: { ByCreatedAfter?: Date }, since: Date): boolean =>
  input.ByCreatedAfter?.getTime() === since.getTime();
