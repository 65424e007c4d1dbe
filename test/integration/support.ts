/**
 * Builders shared by the integration tests: a sandbox on a fixed day, seeded resources and failed or
 * completed backups, and filters over what the stand-ins recorded. Every test seeds its own resource
 * (by a name of its own), so tests that share one sandbox never see each other's calls.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import type { BackupEventJson, BackupJobRecord, CopyJobRecord } from '../../sandbox/backup/index.js';
import type { CallRecord } from '../../sandbox/http/calls.js';
import type { Fault } from '../../sandbox/http/faults.js';
import { Sandbox, type SandboxOptions } from '../../sandbox/sandbox.js';

/** Sandbox time every integration test starts at. */
export const START = Date.parse('2026-11-30T01:00:00Z');
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

/** AWS Backup's retryable internal-error wording (shared/diagnosis: `internal-error`, retried). */
export const RETRYABLE_MESSAGE = 'An internal error occurred. Please try again later.';

/** Logical ids of the functions, as template.yaml names them. */
export const RETRY = 'RetryFailedJobFunction';
export const COPY = 'StartCopyJobFunction';

/** Starts a sandbox at {@link START}; the caller closes it. */
export const startSandbox = (options: Partial<SandboxOptions> = {}): Promise<Sandbox> =>
  Sandbox.start({ start: START, ...options });

/**
 * One sandbox for the calling test file: started before its tests (with `options`, then `seed`, say
 * to add vaults) and closed after them. Returns a reader, since the sandbox exists only once the
 * file's beforeAll has run.
 */
export const sandboxPerFile = (
  options: Partial<SandboxOptions> = {},
  seed?: (sandbox: Sandbox) => void,
): (() => Sandbox) => {
  let started: Sandbox | undefined;
  beforeAll(async () => {
    started = await startSandbox(options);
    seed?.(started);
  }, 30_000);
  afterAll(async () => started?.close());
  return () => {
    if (!started) throw new Error('the sandbox is read before its beforeAll ran');
    return started;
  };
};

/** A vault and an EBS volume of the sandbox's home account and Region, named after the test. */
export const seedResource = (sandbox: Sandbox, name: string, vaultName = `vault-${name}`) => {
  const { store } = sandbox.backup;
  const account = sandbox.account;
  const region = sandbox.region;
  if (!store.vault(account, region, vaultName)) store.addVault({ account, region, name: vaultName });
  const arn = `arn:aws:ec2:${region}:${account}:volume/vol-${name}`;
  store.addResource({ account, region, arn, resourceType: 'EBS' });
  return { account, region, arn, vaultName };
};

/** A fresh volume (see {@link seedResource}) and a recovery point of it made an hour ago: what a restore or a scan acts on. */
export const seedRecoveryPoint = (sandbox: Sandbox, name: string, vaultName?: string) => {
  const resource = seedResource(sandbox, name, vaultName);
  const point = sandbox.backup.store.addRecoveryPoint({
    account: resource.account,
    region: resource.region,
    vaultName: resource.vaultName,
    resourceArn: resource.arn,
    creationDate: sandbox.clock.ms() - HOUR,
  });
  return { ...resource, recoveryPointArn: point.point.RecoveryPointArn as string };
};

/**
 * Seeds a backup job (on-demand, not from a plan) that ends FAILED with a retryable message one
 * minute after now, and says how the retries of its resource end (COMPLETED unless given).
 */
export const seedFailedBackup = (
  sandbox: Sandbox,
  name: string,
  options: { readonly message?: string; readonly retries?: 'COMPLETED' | 'FAILED' } = {},
) => {
  const resource = seedResource(sandbox, name);
  const record = sandbox.backup.store.createBackupJob({
    account: resource.account,
    region: resource.region,
    resourceArn: resource.arn,
    vaultName: resource.vaultName,
    outcome: { state: 'FAILED', statusMessage: options.message ?? RETRYABLE_MESSAGE },
  });
  sandbox.backup.outcomes.forResource(resource.arn, { state: options.retries ?? 'COMPLETED' });
  return { ...resource, jobId: record.job.BackupJobId };
};

/**
 * Central mode (sandbox/scenario/org.ts): a new EBS volume `arn` in member `account`, in the
 * sandbox's Region, whose backup job into the member's `prod` vault ends FAILED with a retryable
 * message ten minutes from now, with every event about the volume lost; its retries COMPLETE.
 * Returns the job's id.
 */
export const seedLostMemberFailure = (sandbox: Sandbox, account: string, arn: string): string => {
  const { store, outcomes } = sandbox.backup;
  const region = sandbox.region;
  store.addResource({ account, region, arn, resourceType: 'EBS' });
  outcomes.forResource(arn, { state: 'COMPLETED' });
  sandbox.bus.lose((event) => detailOf(event).resourceArn === arn);
  const record = store.createBackupJob({
    account,
    region,
    resourceArn: arn,
    vaultName: 'prod',
    outcome: { state: 'FAILED', statusMessage: RETRYABLE_MESSAGE, runMinutes: 10 },
  });
  return record.job.BackupJobId as string;
};

/** Seeds a backup job of a fresh resource into `vaultName` that COMPLETES (about ten minutes later for a small volume). */
export const seedCompletedBackup = (sandbox: Sandbox, name: string, vaultName: string) => {
  const resource = seedResource(sandbox, name, vaultName);
  const record = sandbox.backup.store.createBackupJob({
    account: resource.account,
    region: resource.region,
    resourceArn: resource.arn,
    vaultName,
    outcome: { state: 'COMPLETED', runMinutes: 5 },
  });
  return { ...resource, jobId: record.job.BackupJobId };
};

/** The message of the failed restores and scans seeded below: missing permissions (not retryable). */
export const DENIED_MESSAGE = 'Insufficient privileges to perform this action.';

/**
 * A recovery point of a fresh resource, and a restore of it that ends as `state` one minute after
 * now (FAILED with {@link DENIED_MESSAGE}), optionally of a restore testing plan. Returns its job id.
 */
export const seedRestore = (
  sandbox: Sandbox,
  name: string,
  state: 'FAILED' | 'COMPLETED',
  restoreTestingPlanArn?: string,
) => {
  const { recoveryPointArn, ...resource } = seedRecoveryPoint(sandbox, name);
  const job = sandbox.backup.store.createRestoreJob({
    account: resource.account,
    region: resource.region,
    recoveryPointArn,
    outcome: state === 'FAILED' ? { state, statusMessage: DENIED_MESSAGE, runMinutes: 0 } : { state },
    ...(restoreTestingPlanArn ? { restoreTestingPlanArn } : {}),
  });
  return { ...resource, jobId: job.job.RestoreJobId };
};

/** How a seeded malware scan ends. */
export type ScanEnd = { state: 'FAILED' | 'COMPLETED'; scanResultStatus?: 'THREATS_FOUND' | 'NO_THREATS_FOUND' };

/**
 * A recovery point of a fresh volume in `vault-scans`, and a malware scan of it that ends as `end`
 * within minutes (FAILED with {@link DENIED_MESSAGE}). Returns its job id.
 */
export const seedScan = (sandbox: Sandbox, name: string, end: ScanEnd) => {
  const { recoveryPointArn, ...resource } = seedRecoveryPoint(sandbox, name, 'vault-scans');
  const job = sandbox.backup.store.createScanJob({
    account: resource.account,
    region: resource.region,
    recoveryPointArn,
    outcome: { ...end, runMinutes: 5, ...(end.state === 'FAILED' ? { statusMessage: DENIED_MESSAGE } : {}) },
  });
  return { ...resource, jobId: job.job.ScanJobId };
};

/** Calls of one operation whose input mentions `needle` (a resource ARN, a job id). */
export const callsAbout = (sandbox: Sandbox, operation: string, needle: string): CallRecord[] =>
  sandbox.calls.list({ operation }).filter((call) => JSON.stringify(call.input).includes(needle));

/** Arms `fault` on the next `times` StartBackupJob calls for one resource. */
export const failStartsOf = (sandbox: Sandbox, resourceArn: string, fault: Fault, times = 1): void => {
  sandbox.faults.add({
    service: 'backup',
    operation: 'StartBackupJob',
    fault,
    times,
    when: (input) => (input as { ResourceArn?: string }).ResourceArn === resourceArn,
  });
};

/** Every use the Backup stand-in saw of one IdempotencyToken (first use, then replays). */
export const tokenUses = (sandbox: Sandbox, token: unknown) => sandbox.backup.tokens().filter((u) => u.token === token);

/** The input of a call, typed loosely for assertions. */
export const inputOf = (call: CallRecord | undefined): Record<string, unknown> =>
  (call?.input ?? {}) as Record<string, unknown>;

/** A backup job as the stand-in holds it (the model's BackupJob members); fails the test when there is none. */
export const backupJob = (sandbox: Sandbox, jobId: string): BackupJobRecord['job'] => {
  const record = sandbox.backup.store.job(jobId);
  if (record?.kind !== 'backup') throw new Error(`no backup job ${jobId} in the sandbox`);
  return record.job;
};

/** Every backup job of a resource, oldest first. */
export const backupJobsOf = (sandbox: Sandbox, resourceArn: string): BackupJobRecord['job'][] =>
  sandbox.backup.store
    .jobs()
    .flatMap((r) => (r.kind === 'backup' && r.job.ResourceArn === resourceArn ? [r.job] : []))
    .sort((a, b) => a.CreationDate.getTime() - b.CreationDate.getTime());

/** Every copy job of a resource, in any account and Region, oldest first. */
export const copyJobsOf = (sandbox: Sandbox, resourceArn: string): CopyJobRecord[] =>
  sandbox.backup.store
    .jobs()
    .flatMap((r) => (r.kind === 'copy' && r.job.ResourceArn === resourceArn ? [r] : []))
    .sort((a, b) => a.job.CreationDate.getTime() - b.job.CreationDate.getTime());

/** The EventBridge event AWS Backup sent for a job reaching `state`. */
export const eventOf = (sandbox: Sandbox, jobId: string, state: string): BackupEventJson => {
  const event = sandbox.backup.events().find((e) => {
    const detail = e.detail as Record<string, unknown>;
    return (detail.backupJobId === jobId || detail.copyJobId === jobId) && detail.state === state;
  });
  if (!event) throw new Error(`no ${state} event for job ${jobId}`);
  return event;
};

/** Invocations whose event (or attempt payload) names the job. */
export const invocationsAbout = (sandbox: Sandbox, jobId: string) =>
  sandbox.invocations.filter((i) => JSON.stringify(i.event).includes(jobId));

/** SNS messages that mention `needle` in subject or body. */
export const publishedAbout = (sandbox: Sandbox, needle: string) =>
  sandbox.sns.published().filter((m) => JSON.stringify(m).includes(needle));

/** What the lose predicate of `sandbox.bus.lose` gets: the event's `detail`, loosely typed. */
export const detailOf = (event: Record<string, unknown>): Record<string, unknown> =>
  (event.detail ?? {}) as Record<string, unknown>;

/**
 * Central mode: the one retry of `resourceArn`'s failed backup was started in member `account`,
 * signed by the member role the central retry function assumed, and it completed.
 */
export const expectRetriedInMember = (sandbox: Sandbox, resourceArn: string, account: string): void => {
  const starts = callsAbout(sandbox, 'StartBackupJob', resourceArn);
  expect(starts).toHaveLength(1);
  expect(starts[0]).toMatchObject({
    account,
    status: 200,
    caller: 'assumed-role/backup-autopilot-member/backup-autopilot-retry-failed-job',
  });
  expect(backupJobsOf(sandbox, resourceArn).map((j) => j.State)).toEqual(['FAILED', 'COMPLETED']);
};
