import {
  GetBackupPlanCommand,
  ListBackupJobSummariesCommand,
  ListBackupPlansCommand,
  ListBackupSelectionsCommand,
} from '@aws-sdk/client-backup';
import { describe, expect, it } from 'vitest';
import { buildSummaryReport } from '../../../functions/post-summary/build-report.js';
import { verdictOf } from '../../../functions/post-summary/format.js';
import type { BackupJob } from '../../../shared/backup/index.js';
import { diagnoseJob } from '../../../shared/diagnosis/index.js';
import {
  aBackupJob,
  aCopyJob,
  aRestoreJob,
  backupJobs,
  fromArray,
  isWindow,
  PREVIOUS_SINCE,
  REGION,
  recoveryPointArn,
  SINCE,
  serve,
  volumeArn,
} from './builders.js';
import { aRequest, regionClients, someDeps } from './harness.js';

const HOUR_MS = 3_600_000;
const at = (hours: number) => new Date(SINCE.getTime() + hours * HOUR_MS);

/** Created and ended in the previous window, `hours` after its start: the previous summary's news. */
const inPrevious = (hours: number) => ({
  CreationDate: new Date(PREVIOUS_SINCE.getTime() + hours * HOUR_MS),
  CompletionDate: new Date(PREVIOUS_SINCE.getTime() + (hours + 1) * HOUR_MS),
});

const ACCESS = { MessageCategory: 'ACCESS_DENIED', StatusMessage: '"Insufficient privileges to perform this action."' };
const KMS = {
  MessageCategory: 'ACCESS_DENIED',
  StatusMessage: '"The KMS key arn:aws:kms:eu-west-1:111122223333:key/1234 is disabled."',
};

/** A bad day: every state, completed with issues, failures of three kinds, copies missing, resources missed. */
const badDay = () => {
  const job = (n: number, overrides: Partial<BackupJob>) =>
    aBackupJob({
      BackupJobId: `b-${n}`,
      RecoveryPointArn: recoveryPointArn(`b-${n}`),
      ResourceArn: volumeArn(n),
      CreationDate: at(n / 2),
      ...overrides,
    });
  const current = [
    ...backupJobs(6, (i) => ({ ResourceArn: volumeArn(i), CreationDate: at(i / 2) })), // b-0..b-5 COMPLETED
    job(6, { MessageCategory: 'INVALIDPARAMETERS', ResourceType: 'RDS', BackupVaultName: 'db-vault' }),
    job(7, { MessageCategory: 'INVALIDPARAMETERS', ResourceType: 'RDS', BackupVaultName: 'db-vault' }),
    job(8, { State: 'FAILED', RecoveryPointArn: undefined, BackupSizeInBytes: 0, ...ACCESS }),
    job(9, { State: 'FAILED', RecoveryPointArn: undefined, BackupSizeInBytes: 0, ...ACCESS }),
    job(10, { State: 'FAILED', RecoveryPointArn: undefined, BackupSizeInBytes: 0, ...KMS, AccountId: '444455556666' }),
    job(11, { State: 'EXPIRED', RecoveryPointArn: undefined, BackupSizeInBytes: 0, MessageCategory: undefined }),
    job(12, { State: 'ABORTED', RecoveryPointArn: undefined, BackupSizeInBytes: 0, MessageCategory: undefined }),
    job(13, { State: 'PARTIAL', BackupSizeInBytes: 500, MessageCategory: undefined }),
    job(14, { State: 'RUNNING', RecoveryPointArn: undefined, BackupSizeInBytes: 0, MessageCategory: undefined }),
  ];
  const copies = [
    aCopyJob({ CopyJobId: 'c-0', SourceRecoveryPointArn: recoveryPointArn('b-0') }),
    aCopyJob({ CopyJobId: 'c-1', SourceRecoveryPointArn: recoveryPointArn('b-1') }),
    // Two destinations for one recovery point: still one copied recovery point.
    aCopyJob({ CopyJobId: 'c-1b', SourceRecoveryPointArn: recoveryPointArn('b-1') }),
    aCopyJob({
      CopyJobId: 'c-3',
      SourceRecoveryPointArn: recoveryPointArn('b-3'),
      State: 'FAILED',
      BackupSizeInBytes: 0,
      MessageCategory: 'ACCESS_DENIED',
      StatusMessage: 'Source snapshot KMS key does not exist, is not enabled or you do not have permissions.',
    }),
  ];
  const restores = [
    aRestoreJob(),
    aRestoreJob({ RestoreJobId: 'r-1', Status: 'FAILED', StatusMessage: 'Access denied', BackupSizeInBytes: 0 }),
  ];
  const previous = [
    // Every resource of this window had a completed backup before...
    ...backupJobs(14, (i) => ({ ResourceArn: volumeArn(i), CreationDate: new Date(PREVIOUS_SINCE.getTime() + i) })),
    // ...and three that have no job now: two completed (missed), one only failed (not a miss).
    aBackupJob({
      BackupJobId: 'p-20',
      ResourceArn: volumeArn(20),
      CreationDate: new Date(PREVIOUS_SINCE.getTime() + 5 * HOUR_MS),
    }),
    aBackupJob({
      BackupJobId: 'p-20b',
      ResourceArn: volumeArn(20),
      CreationDate: new Date(PREVIOUS_SINCE.getTime() + 9 * HOUR_MS),
    }),
    aBackupJob({
      BackupJobId: 'p-21',
      ResourceArn: volumeArn(21),
      CreationDate: new Date(PREVIOUS_SINCE.getTime() + 1 * HOUR_MS),
      ResourceType: 'EFS',
    }),
    aBackupJob({ BackupJobId: 'p-22', ResourceArn: volumeArn(22), State: 'FAILED', ...ACCESS, ...inPrevious(2) }),
  ];
  const previousCopies = [
    aCopyJob({ CopyJobId: 'pc-0', ...inPrevious(3) }),
    aCopyJob({ CopyJobId: 'pc-1', State: 'FAILED', ...inPrevious(3) }),
  ];
  return { current, copies, restores, previous, previousCopies };
};

const run = async (data: ReturnType<typeof badDay>, maxListed?: number) => {
  const regions = regionClients([REGION]);
  const { mock } = regions.get(REGION);
  serve(mock, {
    backup: (input) => fromArray(isWindow(input, SINCE) ? data.current : data.previous),
    copy: (input) => fromArray(isWindow(input, SINCE) ? data.copies : data.previousCopies),
    restore: (input) => fromArray(isWindow(input, SINCE) ? data.restores : []),
  });
  mock.on(ListBackupJobSummariesCommand).resolves({ BackupJobSummaries: [] });
  return buildSummaryReport(someDeps(regions.backupClientFor), aRequest(maxListed === undefined ? {} : { maxListed }));
};

describe('buildSummaryReport on a bad day', () => {
  it('counts every backup state, PARTIAL and the zero states included', async () => {
    const report = await run(badDay());
    expect(report.complete).toBe(true);
    expect(report.missing).toEqual([]);
    expect(report.backup.total).toBe(15);
    expect(report.backup.byState).toEqual({
      CREATED: 0,
      PENDING: 0,
      RUNNING: 1,
      ABORTING: 0,
      ABORTED: 1,
      COMPLETED: 8,
      FAILED: 3,
      EXPIRED: 1,
      PARTIAL: 1,
    });
    expect(report.backup.scope).toBe('account');
  });

  it('counts completed with issues, breakdowns and bytes', async () => {
    const { backup } = await run(badDay());
    expect(backup.completedWithIssues).toBe(2);
    expect(backup.bytes).toBe(8 * 1000 + 500);
    expect(backup.byResourceType).toEqual({
      EBS: { total: 13, byState: { COMPLETED: 6, FAILED: 3, EXPIRED: 1, ABORTED: 1, PARTIAL: 1, RUNNING: 1 } },
      RDS: { total: 2, byState: { COMPLETED: 2 } },
    });
    expect(backup.byVault).toEqual({
      Default: { total: 13, byState: { COMPLETED: 6, FAILED: 3, EXPIRED: 1, ABORTED: 1, PARTIAL: 1, RUNNING: 1 } },
      'db-vault': { total: 2, byState: { COMPLETED: 2 } },
    });
    expect(backup.byAccount).toEqual({
      '111122223333': {
        total: 14,
        byState: { COMPLETED: 8, FAILED: 2, EXPIRED: 1, ABORTED: 1, PARTIAL: 1, RUNNING: 1 },
      },
      '444455556666': { total: 1, byState: { FAILED: 1 } },
    });
    expect(backup.byMessageCategory).toEqual({ ACCESS_DENIED: 3, INVALIDPARAMETERS: 2, SUCCESS: 6 });
  });

  it('counts copy and restore jobs with bytes', async () => {
    const report = await run(badDay());
    expect(report.copy).toEqual({
      total: 4,
      byState: { CREATED: 0, RUNNING: 0, COMPLETED: 3, FAILED: 1, PARTIAL: 0 },
      bytes: 3000,
      scope: 'account',
    });
    expect(report.restore).toEqual({
      total: 2,
      byState: { PENDING: 0, RUNNING: 0, COMPLETED: 1, ABORTED: 0, FAILED: 1 },
      bytes: 1000,
      scope: 'account',
    });
  });

  it('groups failure reasons by diagnosis, most frequent first, with cause, remedy and an example', async () => {
    const { failureReasons } = await run(badDay());
    expect(failureReasons.map((r) => [r.category, r.count, r.kinds])).toEqual([
      ['access-denied', 3, ['backup', 'restore']],
      ['aborted-by-user', 1, ['backup']],
      ['expired-start-window', 1, ['backup']],
      ['kms-key-disabled', 1, ['backup']],
      ['kms-key-not-shared', 1, ['copy']],
      ['partial', 1, ['backup']],
    ]);
    const access = diagnoseJob({ kind: 'backup', state: 'FAILED', ...{ messageCategory: ACCESS.MessageCategory } });
    expect(failureReasons[0]).toMatchObject({
      cause: access.cause,
      remedy: access.remedy,
      retryable: access.retryable,
      example: 'Insufficient privileges to perform this action.',
    });
  });

  it('lists problem jobs worst first (FAILED, EXPIRED, ABORTED, PARTIAL), newest first within a state, with links', async () => {
    const { problemJobs } = await run(badDay());
    expect(problemJobs.items.map((p) => `${p.kind}:${p.jobId}:${p.state}`)).toEqual([
      // b-10 and r-1 were both created at +5 h: the job id breaks the tie.
      'backup:b-10:FAILED',
      'restore:r-1:FAILED',
      'backup:b-9:FAILED',
      'backup:b-8:FAILED',
      'copy:c-3:FAILED',
      'backup:b-11:EXPIRED',
      'backup:b-12:ABORTED',
      'backup:b-13:PARTIAL',
    ]);
    expect(problemJobs.more).toBe(0);
    expect(problemJobs.items[0]).toEqual({
      kind: 'backup',
      jobId: 'b-10',
      state: 'FAILED',
      accountId: '444455556666',
      region: REGION,
      resourceArn: volumeArn(10),
      resourceType: 'EBS',
      vault: 'Default',
      statusMessage: 'The KMS key arn:aws:kms:eu-west-1:111122223333:key/1234 is disabled.',
      category: 'kms-key-disabled',
      createdAt: at(5).toISOString(),
      link: `https://${REGION}.console.aws.amazon.com/backup/home?region=${REGION}#/jobs/backup/details/b-10`,
    });
    expect(problemJobs.items[4]?.vault).toBe('dr-vault');
  });

  it.each([
    { maxListed: 0, items: 0, more: 8 },
    { maxListed: 3, items: 3, more: 5 },
    { maxListed: 8, items: 8, more: 0 },
  ])('caps the problem list at maxListed $maxListed and counts the rest', async ({ maxListed, items, more }) => {
    const { problemJobs, silentMisses, copyCoverage } = await run(badDay(), maxListed);
    expect(problemJobs.items).toHaveLength(items);
    expect(problemJobs.more).toBe(more);
    expect(silentMisses.items.length + silentMisses.more).toBe(2);
    expect(copyCoverage.uncopied.items.length + copyCoverage.uncopied.more).toBe(6);
  });

  it('computes copy coverage over completed recovery points, listing the uncopied oldest first', async () => {
    const { copyCoverage } = await run(badDay());
    // 8 COMPLETED backups; b-0 and b-1 have completed copies (b-3's copy FAILED).
    expect(copyCoverage).toMatchObject({ recoveryPoints: 8, copied: 2, ratio: 0.25 });
    expect(copyCoverage.uncopied.items.map((u) => u.recoveryPointArn)).toEqual(
      ['b-2', 'b-3', 'b-4', 'b-5', 'b-6', 'b-7'].map((id) => recoveryPointArn(id)),
    );
    expect(copyCoverage.uncopied.items[4]).toEqual({
      recoveryPointArn: recoveryPointArn('b-6'),
      resourceArn: volumeArn(6),
      resourceType: 'RDS',
      vault: 'db-vault',
      accountId: '111122223333',
      region: REGION,
    });
  });

  it('finds silent misses: a completed backup before, no job at all now', async () => {
    const { silentMisses } = await run(badDay());
    expect(silentMisses.more).toBe(0);
    expect(silentMisses.items).toEqual([
      {
        resourceArn: volumeArn(21),
        resourceType: 'EFS',
        accountId: '111122223333',
        region: REGION,
        vault: 'Default',
        lastBackupAt: new Date(PREVIOUS_SINCE.getTime() + HOUR_MS).toISOString(),
        link: `https://${REGION}.console.aws.amazon.com/backup/home?region=${REGION}#/resources/${encodeURIComponent(volumeArn(21))}`,
      },
      expect.objectContaining({
        resourceArn: volumeArn(20),
        lastBackupAt: new Date(PREVIOUS_SINCE.getTime() + 9 * HOUR_MS).toISOString(),
      }),
    ]);
  });

  it('compares with the previous window of the same length', async () => {
    const { previous, window } = await run(badDay());
    expect(window).toEqual({ since: SINCE.toISOString(), until: '2026-11-24T08:00:00.000Z', hours: 24 });
    expect(previous).toEqual({
      since: PREVIOUS_SINCE.toISOString(),
      until: SINCE.toISOString(),
      backup: {
        total: 18,
        byState: {
          CREATED: 0,
          PENDING: 0,
          RUNNING: 0,
          ABORTING: 0,
          ABORTED: 0,
          COMPLETED: 17,
          FAILED: 1,
          EXPIRED: 0,
          PARTIAL: 0,
        },
      },
      copy: { total: 2, byState: { CREATED: 0, RUNNING: 0, COMPLETED: 1, FAILED: 1, PARTIAL: 0 } },
      restore: { total: 0, byState: { PENDING: 0, RUNNING: 0, COMPLETED: 0, ABORTED: 0, FAILED: 0 } },
    });
  });
});

describe('buildSummaryReport on an all-green day', () => {
  it('reports everything completed, fully copied, nothing missed', async () => {
    const current = backupJobs(50, (i) => ({ ResourceArn: volumeArn(i) }));
    const report = await run({
      current,
      copies: current.map((job, i) => aCopyJob({ CopyJobId: `c-${i}`, SourceRecoveryPointArn: job.RecoveryPointArn })),
      restores: [],
      previous: backupJobs(50, (i) => ({ ResourceArn: volumeArn(i), CreationDate: PREVIOUS_SINCE })),
      previousCopies: [],
    });
    expect(report).toMatchObject({
      complete: true,
      backup: { total: 50, completedWithIssues: 0, bytes: 50_000, byState: { COMPLETED: 50, FAILED: 0 } },
      copy: { total: 50, byState: { COMPLETED: 50 } },
      restore: { total: 0 },
      failureReasons: [],
      problemJobs: { items: [], more: 0 },
      copyCoverage: { recoveryPoints: 50, copied: 50, ratio: 1, uncopied: { items: [], more: 0 } },
      silentMisses: { items: [], more: 0 },
      previous: { backup: { total: 50 } },
    });
    expect(report.toolkit).toBeUndefined();
  });

  it('has no coverage ratio when nothing completed', async () => {
    const report = await run({ current: [], copies: [], restores: [], previous: [], previousCopies: [] });
    expect(report.copyCoverage).toEqual({
      recoveryPoints: 0,
      copied: 0,
      ratio: null,
      uncopied: { items: [], more: 0 },
    });
    expect(report.backup.total).toBe(0);
  });
});

describe('buildSummaryReport: jobs that end after the window they were created in', () => {
  // AWS's default rule, cron(0 5 ? * * *) with an 8-hour start window, and the default 08:00 summary:
  // the 05:00 job is CREATED or RUNNING when that summary lists it, and can fail, expire (at 13:00)
  // or be aborted after it. The next summary lists jobs created from 08:00 on: the failure is the
  // previous window's, and must be reported by the summary whose window it happened in.
  const createdBefore = new Date(SINCE.getTime() - 3 * HOUR_MS);
  const late = {
    BackupJobId: 'b-late',
    RecoveryPointArn: undefined,
    ResourceArn: volumeArn(30),
    CreationDate: createdBefore,
    MessageCategory: undefined,
    BackupSizeInBytes: 0,
  };
  const previous = [
    // Its resource's backup before it completed: the expired job is this window's, so no silent miss.
    aBackupJob({ BackupJobId: 'b-30', ResourceArn: volumeArn(30), ...inPrevious(1) }),
    aBackupJob({ ...late, State: 'EXPIRED', CompletionDate: at(5) }),
    aBackupJob({
      ...late,
      BackupJobId: 'b-late-2',
      ResourceArn: volumeArn(31),
      State: 'FAILED',
      ...ACCESS,
      CompletionDate: at(2),
    }),
    // Ended before this window: the previous summary reported it; this one does not again.
    aBackupJob({
      ...late,
      BackupJobId: 'b-early',
      ResourceArn: volumeArn(32),
      State: 'FAILED',
      ...ACCESS,
      CompletionDate: new Date(SINCE.getTime() - HOUR_MS),
    }),
  ];
  const previousCopies = [
    aCopyJob({ CopyJobId: 'c-late', State: 'FAILED', CreationDate: createdBefore, CompletionDate: at(1) }),
  ];

  it('reports a job created in the previous window that failed, expired or was aborted in this one', async () => {
    const report = await run({ current: backupJobs(2), copies: [], restores: [], previous, previousCopies });
    expect(report.backup.byState).toMatchObject({ COMPLETED: 2, EXPIRED: 1, FAILED: 1 });
    expect(report.copy.byState).toMatchObject({ FAILED: 1 });
    expect(report.problemJobs.items.map((j) => j.jobId)).toEqual(['b-late-2', 'c-late', 'b-late']);
    expect(verdictOf(report)).toBe('attention');
  });

  it('counts it once: in this window, not in the previous window it is compared with', async () => {
    const report = await run({ current: backupJobs(2), copies: [], restores: [], previous, previousCopies });
    expect(report.previous?.backup.byState).toMatchObject({ FAILED: 1, EXPIRED: 0 });
    expect(report.previous?.copy.byState).toMatchObject({ FAILED: 0 });
    expect(report.silentMisses).toEqual({ items: [], more: 0 });
  });
});

describe('buildSummaryReport: silent misses of rules that were not due', () => {
  // The builders' window is Monday 2026-11-23 08:00 UTC to Tuesday 08:00; the previous one starts on Sunday.
  const weekly = {
    BackupPlanId: 'plan-weekly',
    BackupRuleId: 'rule-sundays',
    BackupPlanVersion: 'v1',
    BackupRuleCron: 'cron(0 10 ? * 1 *)', // Sundays 10:00 (AWS's day of week 1 = SUN)
    BackupRuleTimezone: 'UTC',
  };
  const sundayBackup = (n: number, createdBy: BackupJob['CreatedBy']) =>
    aBackupJob({
      BackupJobId: `p-${n}`,
      ResourceArn: volumeArn(n),
      CreatedBy: createdBy,
      ...inPrevious(2), // Sunday 10:00
    });

  it('does not call a backup missed when its rule had no run in this window (a weekly rule, the day after)', async () => {
    const report = await run({
      current: backupJobs(2, (i) => ({ ResourceArn: volumeArn(i) })),
      copies: [],
      restores: [],
      previous: [sundayBackup(40, weekly)],
      previousCopies: [],
    });
    expect(report.silentMisses).toEqual({ items: [], more: 0 });
    expect(verdictOf(report)).toBe('all-green');
  });

  it('still calls it missed when one of its rules was due, or when a rule of its backups is unknown', async () => {
    const daily = { ...weekly, BackupRuleId: 'rule-daily', BackupRuleCron: 'cron(0 10 * * ? *)' };
    const report = await run({
      current: [],
      copies: [],
      restores: [],
      previous: [
        sundayBackup(41, weekly),
        sundayBackup(41, daily),
        sundayBackup(42, undefined), // on demand: nothing says when it recurs
        sundayBackup(43, { ...weekly, BackupRuleCron: undefined }), // an older record without the cron
      ],
      previousCopies: [],
    });
    expect(report.silentMisses.items.map((m) => m.resourceArn)).toEqual([volumeArn(41), volumeArn(42), volumeArn(43)]);
  });
});

describe('buildSummaryReport: plan rules that never ran', () => {
  const ROLE = `arn:aws:iam::111122223333:role/service-role/AWSBackupDefaultServiceRole`;
  const plan = (
    id: string,
    name: string,
    rules: readonly { id: string; name: string; cron: string }[],
    selections = 1,
  ) => ({
    plan: {
      BackupPlanId: id,
      VersionId: `${id}-v1`,
      CreationDate: new Date('2026-01-01T00:00:00Z'),
      BackupPlan: {
        BackupPlanName: name,
        Rules: rules.map((r) => ({
          RuleId: r.id,
          RuleName: r.name,
          TargetBackupVaultName: 'Default',
          ScheduleExpression: r.cron,
          StartWindowMinutes: 60,
        })),
      },
    },
    selections: Array.from({ length: selections }, (_, i) => ({
      SelectionId: `${id}-s${i}`,
      SelectionName: 'tagged',
      IamRoleArn: ROLE,
    })),
  });
  // plan-1's nightly ran (a FAILED job counts); its evening rule created nothing; plan-2 has no selection.
  const plans = [
    plan('plan-1', 'daily-prod', [
      { id: 'rule-1', name: 'nightly', cron: 'cron(0 5 ? * * *)' },
      { id: 'rule-2', name: 'evening', cron: 'cron(0 17 ? * * *)' },
    ]),
    plan('plan-2', 'no-selection', [{ id: 'rule-3', name: 'daily', cron: 'cron(0 3 ? * * *)' }], 0),
    plan('plan-3', 'weekly', [{ id: 'rule-4', name: 'sunday', cron: 'cron(0 5 ? * 1 *)' }]),
  ];
  const jobs = [aBackupJob({ BackupJobId: 'n-1', State: 'FAILED', CreationDate: at(21.05), ...ACCESS })];

  const runWith = async (regionsList: readonly string[], failBackups = false) => {
    const regions = regionClients(regionsList);
    for (const region of regionsList) {
      const { mock } = regions.get(region);
      serve(mock, {
        backup: (input) => {
          if (failBackups && isWindow(input, SINCE))
            throw Object.assign(new Error('down'), { name: 'ServiceUnavailableException', $fault: 'server' });
          return fromArray(isWindow(input, SINCE) ? jobs : []);
        },
        plans,
      });
      mock.on(ListBackupJobSummariesCommand).resolves({ BackupJobSummaries: [] });
    }
    const report = await buildSummaryReport(someDeps(regions.backupClientFor), aRequest({ regions: regionsList }));
    return { report, regions };
  };

  it('reports the rule that created no job and the plan with no selection, once each', async () => {
    const { report } = await runWith([REGION]);
    expect(report.neverRan?.rules.items.map((r) => [r.planName, r.ruleName, r.dueAt])).toEqual([
      ['daily-prod', 'evening', ['2026-11-23T17:00:00.000Z']],
    ]);
    expect(report.neverRan?.plansWithoutSelection.items.map((p) => [p.planName, p.rules])).toEqual([
      ['no-selection', ['daily']],
    ]);
    expect(report.complete).toBe(true);
  });

  it('costs one ListBackupPlans pass, one GetBackupPlan and one ListBackupSelections pass per plan, per Region', async () => {
    const { regions } = await runWith([REGION, 'us-east-1']);
    for (const region of [REGION, 'us-east-1']) {
      const { mock } = regions.get(region);
      expect(mock).toHaveReceivedCommandTimes(ListBackupPlansCommand, 1);
      expect(mock).toHaveReceivedCommandTimes(GetBackupPlanCommand, plans.length);
      expect(mock).toHaveReceivedCommandTimes(ListBackupSelectionsCommand, plans.length);
    }
  });

  it('judges nothing where this window backup jobs could not be listed (every rule would look idle)', async () => {
    const { report, regions } = await runWith([REGION], true);
    expect(report.neverRan).toBeUndefined();
    expect(regions.get(REGION).mock).toHaveReceivedCommandTimes(ListBackupPlansCommand, 0);
  });

  it('a failed ListBackupPlans is a missing part, and the report has no never-ran section', async () => {
    const regions = regionClients([REGION]);
    const { mock } = regions.get(REGION);
    serve(mock, {});
    mock.on(ListBackupJobSummariesCommand).resolves({ BackupJobSummaries: [] });
    mock.on(ListBackupPlansCommand).rejects(
      Object.assign(new Error('User is not authorized to perform: backup:ListBackupPlans'), {
        name: 'AccessDeniedException',
        $fault: 'client',
      }),
    );
    const report = await buildSummaryReport(someDeps(regions.backupClientFor), aRequest());
    expect(report.complete).toBe(false);
    expect(report.missing.map((m) => m.what)).toEqual(['backup plans (ListBackupPlans)']);
    expect(report.neverRan).toBeUndefined();
  });
});
