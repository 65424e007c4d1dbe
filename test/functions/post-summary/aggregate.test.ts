import { describe, expect, it } from 'vitest';
import {
  BackupAggregate,
  backupProblem,
  copyProblem,
  KindAggregate,
  PreviousAggregate,
  ProblemBook,
  type ProblemInput,
  restoreProblem,
  Tally,
  WindowAggregate,
} from '../../../functions/post-summary/aggregate.js';
import { DIAGNOSIS_TABLE } from '../../../shared/diagnosis/index.js';
import { ACCOUNT, aBackupJob, aCopyJob, aRestoreJob, OTHER_ACCOUNT, REGION, SINCE, volumeArn } from './builders.js';

const HOUR_MS = 3_600_000;
const VAULT_GONE = `Backup job failed because backup vault arn:aws:backup:${REGION}:${ACCOUNT}:backup-vault:prod does not exist.`;
const RUNNING = 'Backup job failed because there was a running job for the same resource.';
const CONSOLE = `https://${REGION}.console.aws.amazon.com/backup/home?region=${REGION}#/jobs`;

/** A failed backup job as the problem list sees it; override any field. */
const aProblem = (overrides: Partial<ProblemInput> = {}): ProblemInput => ({
  kind: 'backup',
  jobId: 'b-1',
  state: 'FAILED',
  accountId: ACCOUNT,
  region: REGION,
  statusMessage: VAULT_GONE,
  createdAt: new Date(SINCE.getTime() + HOUR_MS),
  ...overrides,
});

describe('Tally', () => {
  it('counts by state from 0 for every documented state, an unknown state as UNKNOWN', () => {
    const tally = new Tally(['COMPLETED', 'FAILED']);
    for (const state of ['COMPLETED', 'COMPLETED', undefined, 'RUNNING']) tally.add(state);
    expect(tally.counts()).toEqual({ total: 4, byState: { COMPLETED: 2, FAILED: 0, UNKNOWN: 1, RUNNING: 1 } });
  });

  it('hands out a copy of its counts', () => {
    const tally = new Tally();
    const before = tally.counts();
    tally.add('FAILED');
    expect(before).toEqual({ total: 0, byState: {} });
  });
});

describe('KindAggregate', () => {
  it("counts a kind's documented states and bytes, a job without a size as 0", () => {
    const copies = new KindAggregate('copy');
    copies.add('COMPLETED', 1_000);
    copies.add('FAILED', undefined);
    expect(copies.totals('account')).toEqual({
      total: 2,
      byState: { CREATED: 0, RUNNING: 0, COMPLETED: 1, FAILED: 1, PARTIAL: 0 },
      bytes: 1_000,
      scope: 'account',
    });
  });
});

describe('BackupAggregate', () => {
  it('counts completed with issues: COMPLETED with a MessageCategory other than SUCCESS', () => {
    const backups = new BackupAggregate();
    backups.addJob(aBackupJob({ MessageCategory: 'SUCCESS' }));
    backups.addJob(aBackupJob({ MessageCategory: 'ACCESS_DENIED' }));
    backups.addJob(aBackupJob({ MessageCategory: undefined }));
    backups.addJob(aBackupJob({ State: 'FAILED', MessageCategory: 'ACCESS_DENIED' }));
    expect(backups.totals('account').completedWithIssues).toBe(1);
  });

  it('breaks the states down by resource type, vault and account, sorted, and counts message categories', () => {
    const backups = new BackupAggregate();
    backups.addJob(aBackupJob({ ResourceType: 'RDS', BackupVaultName: 'prod', State: 'FAILED' }));
    backups.addJob(aBackupJob({ ResourceType: 'EBS', AccountId: OTHER_ACCOUNT }));
    backups.addJob(aBackupJob({ ResourceType: undefined, MessageCategory: 'ACCESS_DENIED' }));
    const totals = backups.totals('organization');
    expect(totals.byResourceType).toEqual({
      EBS: { total: 1, byState: { COMPLETED: 1 } },
      RDS: { total: 1, byState: { FAILED: 1 } },
      unknown: { total: 1, byState: { COMPLETED: 1 } },
    });
    expect(Object.keys(totals.byVault)).toEqual(['Default', 'prod']);
    expect(Object.keys(totals.byAccount)).toEqual([ACCOUNT, OTHER_ACCOUNT]);
    expect(totals.byMessageCategory).toEqual({ ACCESS_DENIED: 1, SUCCESS: 2 });
    expect(totals).toMatchObject({ total: 3, bytes: 3_000, scope: 'organization' });
  });
});

describe('ProblemBook', () => {
  it('diagnoses a failed restore as a restore, naming the category its alert names', () => {
    const book = new ProblemBook(25);
    // The message AWS's knowledge center quotes for a restore role's authorization failure.
    const statusMessage =
      'You are not authorized to perform this operation. Please consult the permissions associated with your AWS Backup role(s), and refer to the AWS Backup documentation for more details.';
    book.add(aProblem({ jobId: 'r-1', kind: 'restore', statusMessage }));
    expect(book.failureReasons(10).map((r) => [r.category, r.kinds])).toEqual([['restore-role-denied', ['restore']]]);
  });

  it('groups problems by diagnosis, most frequent first, with cause, remedy, kinds and one example', () => {
    const book = new ProblemBook(25);
    book.add(aProblem({ jobId: 'b-1', statusMessage: RUNNING }));
    book.add(aProblem({ jobId: 'b-2' }));
    book.add(aProblem({ jobId: 'c-3', kind: 'copy' }));
    const reasons = book.failureReasons(10);
    expect(reasons.map((r) => [r.category, r.count, r.kinds])).toEqual([
      ['vault-not-found', 2, ['backup', 'copy']],
      ['job-already-running', 1, ['backup']],
    ]);
    expect(reasons[0]).toMatchObject({ example: VAULT_GONE, retryable: false });
    expect(reasons[0]?.cause).toMatch(/vault/i);
    expect(reasons[0]?.remedy).not.toBe('');
  });

  it("diagnoses with the job record's vault facts: a copy into a LAG vault refused over a key says so", () => {
    // Prepare: a copy's destination vault type comes from its ListCopyJobs record (no extra call)
    const message = DIAGNOSIS_TABLE.find((r) => r.category === 'kms-key-not-shared')?.examples[0];
    const book = new ProblemBook(5);
    // Act
    book.add(
      copyProblem(
        aCopyJob({
          State: 'FAILED',
          StatusMessage: message,
          DestinationVaultType: 'LOGICALLY_AIR_GAPPED_BACKUP_VAULT',
        }),
        REGION,
      ),
    );
    // Assess
    const [reason] = book.failureReasons(1);
    expect(reason?.category).toBe('kms-key-not-shared');
    expect(reason?.cause).toContain('The destination is a logically air-gapped vault');
  });

  it('keeps the limit of reasons asked for, ties in category order', () => {
    const book = new ProblemBook(25);
    book.add(aProblem({ statusMessage: RUNNING }));
    book.add(aProblem());
    expect(book.failureReasons(1).map((r) => r.category)).toEqual(['job-already-running']);
  });

  it('lists problem jobs worst state first, newest first within a state, then by job id, capped', () => {
    const at = (hours: number) => new Date(SINCE.getTime() + hours * HOUR_MS);
    const book = new ProblemBook(4);
    book.add(aProblem({ jobId: 'partial', state: 'PARTIAL', createdAt: at(9) }));
    book.add(aProblem({ jobId: 'failed-old', createdAt: at(1) }));
    book.add(aProblem({ jobId: 'aborted', state: 'ABORTED', createdAt: at(9) }));
    book.add(aProblem({ jobId: 'failed-new-b', createdAt: at(5) }));
    book.add(aProblem({ jobId: 'failed-new-a', createdAt: at(5) }));
    book.add(aProblem({ jobId: 'expired', state: 'EXPIRED', createdAt: at(9) }));
    const { items, more } = book.problemJobs();
    expect(items.map((j) => j.jobId)).toEqual(['failed-new-a', 'failed-new-b', 'failed-old', 'expired']);
    expect(more).toBe(2);
  });

  it('describes a listed job with its diagnosis and a console link of its kind', () => {
    const book = new ProblemBook(25);
    book.add(aProblem({ kind: 'copy', jobId: 'c-1', resourceArn: volumeArn(1), resourceType: 'EBS', vault: 'dr' }));
    book.add(aProblem({ kind: 'restore', jobId: 'r-1', statusMessage: undefined, createdAt: undefined }));
    expect(book.problemJobs().items).toEqual([
      {
        kind: 'copy',
        jobId: 'c-1',
        state: 'FAILED',
        accountId: ACCOUNT,
        region: REGION,
        resourceArn: volumeArn(1),
        resourceType: 'EBS',
        vault: 'dr',
        statusMessage: VAULT_GONE,
        category: 'vault-not-found',
        createdAt: new Date(SINCE.getTime() + HOUR_MS).toISOString(),
        link: `${CONSOLE}/copy/details/c-1`,
      },
      {
        kind: 'restore',
        jobId: 'r-1',
        state: 'FAILED',
        accountId: ACCOUNT,
        region: REGION,
        category: expect.any(String),
        link: `${CONSOLE}/restore/details/r-1`,
      },
    ]);
  });
});

describe('the problem view of each kind of job', () => {
  it('of a backup job names its vault', () => {
    const job = aBackupJob({ State: 'FAILED', StatusMessage: VAULT_GONE, MessageCategory: 'ACCESS_DENIED' });
    expect(backupProblem(job, REGION)).toEqual({
      kind: 'backup',
      jobId: 'b-0001',
      state: 'FAILED',
      accountId: ACCOUNT,
      region: REGION,
      resourceArn: volumeArn(1),
      resourceType: 'EBS',
      vault: 'Default',
      statusMessage: VAULT_GONE,
      messageCategory: 'ACCESS_DENIED',
      createdAt: job.CreationDate,
    });
  });

  it("names the plan and rule from the job record's CreatedBy, when AWS sent them (no extra call)", () => {
    // Prepare
    const createdBy = {
      BackupPlanId: 'p-1',
      BackupRuleId: 'r-1',
      BackupPlanName: 'daily-prod',
      BackupRuleName: 'nightly',
    };
    // Act
    const backup = backupProblem(aBackupJob({ State: 'FAILED', CreatedBy: createdBy }), REGION);
    const copy = copyProblem(aCopyJob({ State: 'FAILED', CreatedBy: createdBy }), REGION);
    const older = backupProblem(aBackupJob({ State: 'FAILED', CreatedBy: { BackupPlanId: 'p-1' } }), REGION);
    // Assess
    expect(backup).toMatchObject({ planName: 'daily-prod', ruleName: 'nightly' });
    expect(copy).toMatchObject({ planName: 'daily-prod', ruleName: 'nightly' });
    expect(older).not.toHaveProperty('planName');
    expect(older).not.toHaveProperty('ruleName');
  });

  it('lists the names in the problem list', () => {
    const book = new ProblemBook(5);
    book.add(
      backupProblem(
        aBackupJob({ State: 'FAILED', CreatedBy: { BackupPlanId: 'p-1', BackupPlanName: 'daily-prod' } }),
        REGION,
      ),
    );
    expect(book.problemJobs().items[0]).toMatchObject({ planName: 'daily-prod' });
    expect(book.problemJobs().items[0]).not.toHaveProperty('ruleName');
  });

  it('of a copy job names the destination vault, where copies fail', () => {
    expect(copyProblem(aCopyJob({ State: 'FAILED' }), REGION)).toMatchObject({ kind: 'copy', vault: 'dr-vault' });
    expect(copyProblem(aCopyJob({ DestinationBackupVaultArn: 'not-an-arn' }), REGION).vault).toBeUndefined();
  });

  it('of a restore job names the resource it created', () => {
    expect(restoreProblem(aRestoreJob({ Status: 'FAILED' }), REGION)).toMatchObject({
      kind: 'restore',
      jobId: 'r-0001',
      state: 'FAILED',
      resourceArn: volumeArn(900),
    });
  });

  it('stands in for what AWS left out', () => {
    expect(backupProblem({}, REGION)).toMatchObject({ jobId: 'unknown', state: 'UNKNOWN', accountId: 'unknown' });
  });
});

describe('WindowAggregate', () => {
  it('counts every job of every kind, and lists only the failed, expired, aborted and partial ones', () => {
    const window = new WindowAggregate({ maxListed: 25 });
    window.addBackupJob(aBackupJob(), REGION);
    window.addBackupJob(aBackupJob({ BackupJobId: 'b-2', State: 'EXPIRED' }), REGION);
    window.addCopyJob(aCopyJob({ State: 'PARTIAL' }), REGION);
    window.addCopyJob(aCopyJob({ CopyJobId: 'c-2', State: 'RUNNING' }), REGION);
    window.addRestoreJob(aRestoreJob({ Status: 'ABORTED' }), REGION);
    expect(window.backup.totals('account')).toMatchObject({ total: 2, bytes: 2_000 });
    expect(window.copy.totals('account')).toMatchObject({ total: 2, bytes: 2_000 });
    expect(window.restore.totals('account')).toMatchObject({ total: 1, byState: { ABORTED: 1 } });
    expect(window.problems.problemJobs().items.map((j) => `${j.kind}:${j.jobId}:${j.state}`)).toEqual([
      'backup:b-2:EXPIRED',
      'restore:r-0001:ABORTED',
      'copy:c-0001:PARTIAL',
    ]);
  });
});

describe('PreviousAggregate', () => {
  it('starts every documented state of each kind at 0', () => {
    const previous = new PreviousAggregate();
    expect(previous.copy.counts()).toEqual({
      total: 0,
      byState: { CREATED: 0, RUNNING: 0, COMPLETED: 0, FAILED: 0, PARTIAL: 0 },
    });
    expect(Object.keys(previous.restore.counts().byState)).toEqual([
      'PENDING',
      'RUNNING',
      'COMPLETED',
      'ABORTED',
      'FAILED',
    ]);
    expect(previous.backup.counts().byState).toMatchObject({ FAILED: 0, EXPIRED: 0, PARTIAL: 0 });
  });
});
