import { describe, expect, it } from 'vitest';
import { ServiceError } from '../../../sandbox/http/stand-in.js';
import { ACCOUNT, HOUR, MINUTE, OTHER, REGION, START, sandbox, volume } from './helpers.js';

const DAY = 24 * HOUR;
const TOKEN = '0b7c8a2e-6a55-4a3f-9a0e-3c1d2b4e5f60';

const refusal = (fn: () => unknown): ServiceError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ServiceError) return error;
    throw error;
  }
  throw new Error('the call was not refused');
};

const startInput = (n = 1) => ({
  BackupVaultName: 'main',
  ResourceArn: volume(n),
  IamRoleArn: `arn:aws:iam::${ACCOUNT}:role/backup`,
  IdempotencyToken: TOKEN,
});

describe('StartBackupJob', () => {
  it('refuses a request without IdempotencyToken, saying why', () => {
    const { call, store } = sandbox();
    store.addResource({ account: ACCOUNT, region: REGION, arn: volume(1) });
    const { IdempotencyToken: _t, ...input } = startInput();
    const error = refusal(() => call('StartBackupJob', input));
    expect(error.code).toBe('InvalidParameterValueException');
    expect(error.message).toMatch(/IdempotencyToken is required by the sandbox.*random/);
  });

  it('answers a same-token same-input retry with the same job and starts nothing new', () => {
    const { call, store, backup } = sandbox();
    store.addResource({ account: ACCOUNT, region: REGION, arn: volume(1) });
    const first = call<{ BackupJobId: string }>('StartBackupJob', startInput());
    const again = call<{ BackupJobId: string }>('StartBackupJob', startInput());
    expect(again).toEqual(first);
    expect(first.BackupJobId).toMatch(/^[0-9a-f-]{36}$/);
    expect(store.jobs()).toHaveLength(1);
    expect(backup.tokens().map((t) => [t.token, t.replay])).toEqual([
      [TOKEN, false],
      [TOKEN, true],
    ]);
  });

  it('refuses the same token with different input, naming the token', () => {
    const { call, store } = sandbox();
    store.addResource({ account: ACCOUNT, region: REGION, arn: volume(1) });
    store.addResource({ account: ACCOUNT, region: REGION, arn: volume(2) });
    call('StartBackupJob', startInput(1));
    const error = refusal(() => call('StartBackupJob', startInput(2)));
    expect(error.code).toBe('InvalidParameterValueException');
    expect(error.message).toContain(TOKEN);
  });

  it('derives job ids from account, Region and token, not from arrival order', () => {
    const idOf = (tokens: string[]) => {
      const { call, store } = sandbox();
      store.addResource({ account: ACCOUNT, region: REGION, arn: volume(1) });
      store.addResource({ account: ACCOUNT, region: REGION, arn: volume(2) });
      return tokens.map(
        (t, i) =>
          call<{ BackupJobId: string }>('StartBackupJob', { ...startInput(i + 1), IdempotencyToken: t }).BackupJobId,
      );
    };
    const [a, b] = idOf(['t-a', 't-b']);
    const [b2] = idOf(['t-b']);
    expect(b2).toBe(b);
    expect(a).not.toBe(b);
  });

  it('refuses an unknown vault or resource with ResourceNotFoundException', () => {
    const { call, store } = sandbox();
    expect(refusal(() => call('StartBackupJob', startInput())).code).toBe('ResourceNotFoundException');
    store.addResource({ account: ACCOUNT, region: REGION, arn: volume(1) });
    expect(refusal(() => call('StartBackupJob', { ...startInput(), BackupVaultName: 'nope' })).code).toBe(
      'ResourceNotFoundException',
    );
    expect(refusal(() => call('StartBackupJob', { ...startInput(), StartWindowMinutes: 30 })).code).toBe(
      'InvalidParameterValueException',
    );
  });

  it('gives API-started jobs the outcome scripted for their resource, the last one repeating', () => {
    const { call, store, engine, backup } = sandbox();
    store.addResource({ account: ACCOUNT, region: REGION, arn: volume(1) });
    backup.outcomes.forResource(volume(1), { state: 'FAILED', statusMessage: 'nope' }, { state: 'COMPLETED' });
    const ids = ['a', 'b', 'c'].map((t) => {
      const id = call<{ BackupJobId: string }>('StartBackupJob', { ...startInput(), IdempotencyToken: t }).BackupJobId;
      engine.advanceBy(2 * HOUR);
      return id;
    });
    expect(ids.map((id) => store.job(id)?.job)).toMatchObject([
      { State: 'FAILED', StatusMessage: 'nope' },
      { State: 'COMPLETED' },
      { State: 'COMPLETED' },
    ]);
  });
});

describe('StartCopyJob', () => {
  const seed = () => {
    const s = sandbox();
    const dest = s.store.addVault({ account: ACCOUNT, region: 'eu-west-1', name: 'dr' }).arn;
    const point = s.store.addRecoveryPoint({
      account: ACCOUNT,
      region: REGION,
      vaultName: 'main',
      resourceArn: volume(1),
    });
    const input = {
      RecoveryPointArn: point.point.RecoveryPointArn,
      SourceBackupVaultName: 'main',
      DestinationBackupVaultArn: dest,
      IamRoleArn: `arn:aws:iam::${ACCOUNT}:role/backup`,
      IdempotencyToken: TOKEN,
    };
    return { ...s, dest, input };
  };

  it('starts an UPPER-case copy job id and replays the same token', () => {
    const { call, input, store } = seed();
    const first = call<{ CopyJobId: string }>('StartCopyJob', input);
    expect(first.CopyJobId).toMatch(/^[0-9A-F-]{36}$/);
    expect(call('StartCopyJob', input)).toEqual(first);
    expect(store.jobs().filter((j) => j.kind === 'copy')).toHaveLength(1);
  });

  it('needs the source recovery point in the caller account and Region, and a token', () => {
    const { call, input } = seed();
    expect(refusal(() => call('StartCopyJob', { ...input, RecoveryPointArn: 'arn:aws:backup:x' })).code).toBe(
      'ResourceNotFoundException',
    );
    const { IdempotencyToken: _t, ...noToken } = input;
    expect(refusal(() => call('StartCopyJob', noToken)).code).toBe('InvalidParameterValueException');
  });

  it('creates the copy job, then fails it, when the destination refuses copies', () => {
    const { call, input, engine, backup, dest, store } = seed();
    backup.outcomes.forCopiesInto(dest, { state: 'FAILED', statusMessage: 'KMS key policy denies access' });
    const { CopyJobId } = call<{ CopyJobId: string }>('StartCopyJob', { ...input, IdempotencyToken: 'x' });
    expect(store.job(CopyJobId)?.job).toMatchObject({ State: 'CREATED' });
    engine.advanceBy(HOUR);
    const described = call<{ CopyJob: Record<string, unknown> }>('DescribeCopyJob', { CopyJobId });
    expect(described.CopyJob).toMatchObject({ State: 'FAILED', StatusMessage: 'KMS key policy denies access' });
  });
});

describe('ListBackupJobs', () => {
  const seeded = () => {
    const s = sandbox();
    s.store.addVault({ account: OTHER, region: REGION, name: 'main' });
    // 40 days of one job a day per account.
    for (let d = 0; d < 40; d++) {
      s.engine.at(START + d * DAY, () => {
        for (const account of [ACCOUNT, OTHER]) {
          s.store.createBackupJob({
            account,
            region: REGION,
            resourceArn: volume(d % 3, REGION, account),
            vaultName: 'main',
            outcome: d % 5 === 0 ? { state: 'FAILED', messageCategory: 'ACCESS_DENIED' } : { state: 'COMPLETED' },
          });
        }
      });
    }
    s.engine.advanceTo(START + 40 * DAY);
    return s;
  };
  type Page = { BackupJobs: { BackupJobId: string; CreationDate: Date; State: string }[]; NextToken?: string };

  it('reaches back 30 days only, newest first, in the caller account', () => {
    const { call } = seeded();
    const { BackupJobs } = call<Page>('ListBackupJobs', {});
    expect(BackupJobs).toHaveLength(30);
    const times = BackupJobs.map((j) => j.CreationDate.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(Math.min(...times)).toBeGreaterThanOrEqual(START + 10 * DAY);
  });

  it('applies every filter as documented', () => {
    const { call } = seeded();
    const count = (input: object) => call<Page>('ListBackupJobs', input).BackupJobs.length;
    expect(count({ ByState: 'FAILED' })).toBe(6);
    expect(count({ ByMessageCategory: 'ACCESS_DENIED' })).toBe(6);
    expect(count({ ByMessageCategory: 'ANY' })).toBe(30);
    expect(count({ ByResourceArn: volume(0) })).toBe(10);
    expect(count({ ByResourceType: 'EBS' })).toBe(30);
    expect(count({ ByResourceType: 'RDS' })).toBe(0);
    expect(count({ ByBackupVaultName: 'main' })).toBe(30);
    expect(count({ ByCreatedAfter: new Date(START + 30 * DAY) })).toBe(9);
    expect(count({ ByCreatedBefore: new Date(START + 30 * DAY) })).toBe(20);
    // A job created at day 30 completes during day 30: CompletionDate, not CreationDate, decides.
    expect(count({ ByCompleteAfter: new Date(START + 30 * DAY + HOUR) })).toBe(9);
    expect(count({ ByCompleteBefore: new Date(START + 30 * DAY) })).toBe(20);
    expect(count({ ByParentJobId: 'none' })).toBe(0);
  });

  it('pages with MaxResults and an opaque NextToken, refusing a forged or foreign token', () => {
    const { call } = seeded();
    const all = call<Page>('ListBackupJobs', {}).BackupJobs.map((j) => j.BackupJobId);
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = call<Page>('ListBackupJobs', { MaxResults: 7, ...(token ? { NextToken: token } : {}) });
      expect(page.BackupJobs.length).toBeLessThanOrEqual(7);
      seen.push(...page.BackupJobs.map((j) => j.BackupJobId));
      token = page.NextToken;
    } while (token);
    expect(seen).toEqual(all);
    const first = call<Page>('ListBackupJobs', { MaxResults: 2 });
    expect(refusal(() => call('ListBackupJobs', { NextToken: 'garbage' })).code).toBe('InvalidParameterValueException');
    expect(refusal(() => call('ListBackupJobs', { ByState: 'FAILED', NextToken: first.NextToken })).code).toBe(
      'InvalidParameterValueException',
    );
  });

  it('lists every account with ByAccountId * only from the management account', () => {
    const { call, ctx } = seeded();
    expect(refusal(() => call('ListBackupJobs', { ByAccountId: '*' })).code).toBe('AccessDeniedException');
    const org = sandbox({ organization: { managementAccount: ACCOUNT, memberAccounts: [OTHER] } });
    org.store.addVault({ account: OTHER, region: REGION, name: 'main' });
    for (const account of [ACCOUNT, OTHER]) {
      org.store.createBackupJob({
        account,
        region: REGION,
        resourceArn: volume(1, REGION, account),
        vaultName: 'main',
      });
    }
    org.store.createBackupJob({ account: OTHER, region: 'eu-west-1', resourceArn: volume(2), vaultName: 'main' });
    const accounts = org
      .call<{ BackupJobs: { AccountId: string }[] }>('ListBackupJobs', { ByAccountId: '*' })
      .BackupJobs.map((j) => j.AccountId)
      .sort();
    expect(accounts).toEqual([ACCOUNT, OTHER]);
    expect(refusal(() => org.call('ListBackupJobs', { ByAccountId: '*' }, ctx(OTHER))).code).toBe(
      'AccessDeniedException',
    );
  });
});

describe('ListCopyJobs and ListRestoreJobs', () => {
  it('filters copies by source recovery point and destination vault', () => {
    const { store, call, engine } = sandbox();
    const a = store.addVault({ account: ACCOUNT, region: REGION, name: 'a' }).arn;
    const b = store.addVault({ account: ACCOUNT, region: REGION, name: 'b' }).arn;
    const p1 = store.addRecoveryPoint({ account: ACCOUNT, region: REGION, vaultName: 'main', resourceArn: volume(1) });
    const p2 = store.addRecoveryPoint({ account: ACCOUNT, region: REGION, vaultName: 'main', resourceArn: volume(2) });
    for (const p of [p1, p2]) {
      for (const dest of [a, b]) {
        store.createCopyJob({
          account: ACCOUNT,
          region: REGION,
          sourceRecoveryPointArn: p.point.RecoveryPointArn ?? '',
          destinationVaultArn: dest,
        });
      }
    }
    engine.advanceBy(MINUTE);
    const list = (input: object) => call<{ CopyJobs: unknown[] }>('ListCopyJobs', input).CopyJobs.length;
    expect(list({})).toBe(4);
    expect(list({ BySourceRecoveryPointArn: p1.point.RecoveryPointArn, ByDestinationVaultArn: b })).toBe(1);
    expect(list({ ByState: 'CREATED' })).toBe(2);
    expect(list({ ByAccountId: OTHER })).toBe(0);
  });

  it('lists restores by status', () => {
    const { store, call, engine } = sandbox();
    const p = store.addRecoveryPoint({ account: ACCOUNT, region: REGION, vaultName: 'main', resourceArn: volume(1) });
    store.createRestoreJob({ account: ACCOUNT, region: REGION, recoveryPointArn: p.point.RecoveryPointArn ?? '' });
    store.createRestoreJob({
      account: ACCOUNT,
      region: REGION,
      recoveryPointArn: p.point.RecoveryPointArn ?? '',
      outcome: { state: 'FAILED', runMinutes: 0 },
      id: 'R2',
    });
    engine.advanceBy(3 * HOUR);
    const list = (input: object) => call<{ RestoreJobs: { Status: string }[] }>('ListRestoreJobs', input).RestoreJobs;
    expect(
      list({})
        .map((r) => r.Status)
        .sort(),
    ).toEqual(['COMPLETED', 'FAILED']);
    expect(list({ ByStatus: 'FAILED' })).toHaveLength(1);
  });

  it('describes a restore job in its own account and Region, with the testing plan that ran it', () => {
    const { store, call, engine, ctx } = sandbox();
    const p = store.addRecoveryPoint({ account: ACCOUNT, region: REGION, vaultName: 'main', resourceArn: volume(1) });
    const plan = `arn:aws:backup:${REGION}:${ACCOUNT}:restore-testing-plan:weekly-abc`;
    store.createRestoreJob({
      account: ACCOUNT,
      region: REGION,
      recoveryPointArn: p.point.RecoveryPointArn ?? '',
      outcome: { state: 'FAILED', statusMessage: 'Subnet subnet-0abc does not exist.', runMinutes: 0 },
      restoreTestingPlanArn: plan,
      id: 'R3',
    });
    engine.advanceBy(HOUR);
    expect(call('DescribeRestoreJob', { RestoreJobId: 'R3' })).toMatchObject({
      RestoreJobId: 'R3',
      Status: 'FAILED',
      StatusMessage: 'Subnet subnet-0abc does not exist.',
      SourceResourceArn: volume(1),
      BackupVaultArn: p.point.BackupVaultArn,
      CreatedBy: { RestoreTestingPlanArn: plan },
    });
    expect(refusal(() => call('DescribeRestoreJob', { RestoreJobId: 'R3' }, ctx(OTHER))).code).toBe(
      'ResourceNotFoundException',
    );
    expect(refusal(() => call('DescribeRestoreJob', { RestoreJobId: 'NOPE' })).code).toBe('ResourceNotFoundException');
  });
});

describe('job summaries', () => {
  it('counts by UTC day for the prior 14 days, grouped by state, type and category', () => {
    const { store, call, engine } = sandbox();
    for (const [day, state] of [
      [0, 'COMPLETED'],
      [0, 'COMPLETED'],
      [1, 'FAILED'],
      [3, 'COMPLETED'],
    ] as const) {
      engine.at(START + day * DAY + HOUR, () =>
        store.createBackupJob({
          account: ACCOUNT,
          region: REGION,
          resourceArn: volume(day * 10 + store.jobs().length),
          vaultName: 'main',
          outcome: { state },
        }),
      );
    }
    engine.advanceTo(START + 3 * DAY + 5 * HOUR);
    type Rows = { BackupJobSummaries: { State: string; Count: number; StartTime: Date; MessageCategory?: string }[] };
    const daily = call<Rows>('ListBackupJobSummaries', { AggregationPeriod: 'ONE_DAY' }).BackupJobSummaries;
    // Today (day 3) is not counted yet: the figures stop at the last 00:00 UTC.
    expect(daily.map((r) => [r.StartTime.toISOString().slice(0, 10), r.State, r.Count, r.MessageCategory])).toEqual([
      ['2026-11-24', 'COMPLETED', 2, 'SUCCESS'],
      ['2026-11-25', 'FAILED', 1, undefined],
    ]);
    const total = call<Rows>('ListBackupJobSummaries', {
      AggregationPeriod: 'SEVEN_DAYS',
      State: 'AGGREGATE_ALL',
      MessageCategory: 'AGGREGATE_ALL',
    });
    expect(total.BackupJobSummaries).toMatchObject([{ State: 'AGGREGATE_ALL', Count: 3 }]);
    const failed = call<Rows>('ListBackupJobSummaries', { AggregationPeriod: 'FOURTEEN_DAYS', State: 'FAILED' });
    expect(failed.BackupJobSummaries.map((r) => r.Count)).toEqual([1]);
  });
});

describe('plans, recovery points, tags, unknown ids', () => {
  it('keeps plan versions readable by VersionId', () => {
    const { store, call } = sandbox();
    const plan = store.addPlan({
      account: ACCOUNT,
      region: REGION,
      name: 'daily',
      rules: [{ RuleName: 'r', TargetBackupVaultName: 'main', StartWindowMinutes: 60 }],
    });
    const v1 = plan.versions[0]?.versionId;
    store.updatePlan(ACCOUNT, REGION, plan.planId, [
      { RuleName: 'r', TargetBackupVaultName: 'main', StartWindowMinutes: 120 },
    ]);
    type Out = { VersionId: string; BackupPlan: { Rules: { StartWindowMinutes: number; RuleId: string }[] } };
    const now = call<Out>('GetBackupPlan', { BackupPlanId: plan.planId });
    const old = call<Out>('GetBackupPlan', { BackupPlanId: plan.planId, VersionId: v1 });
    expect(now.BackupPlan.Rules[0]?.StartWindowMinutes).toBe(120);
    expect(old.BackupPlan.Rules[0]?.StartWindowMinutes).toBe(60);
    expect(old.VersionId).toBe(v1);
    expect(old.BackupPlan.Rules[0]?.RuleId).toBe(now.BackupPlan.Rules[0]?.RuleId);
    expect(Buffer.from(v1 ?? '', 'base64').toString()).toMatch(/^[0-9a-f-]{36}$/);
    expect(refusal(() => call('GetBackupPlan', { BackupPlanId: plan.planId, VersionId: 'nope' })).code).toBe(
      'ResourceNotFoundException',
    );
  });

  it('lists plans page by page, and each plan selections, in the caller account and Region only', () => {
    const { store, call, ctx } = sandbox();
    const plans = Array.from({ length: 3 }, (_, i) =>
      store.addPlan({
        account: ACCOUNT,
        region: REGION,
        name: `plan-${i}`,
        rules: [{ RuleName: 'r', TargetBackupVaultName: 'main' }],
      }),
    );
    store.addPlan({ account: OTHER, region: REGION, name: 'theirs', rules: [] });
    store.addSelection({ account: ACCOUNT, region: REGION, planId: plans[0]?.planId ?? '', name: 'tagged' });
    type Plans = { BackupPlansList: { BackupPlanName: string; VersionId: string }[]; NextToken?: string };
    const first = call<Plans>('ListBackupPlans', { MaxResults: 2 });
    const second = call<Plans>('ListBackupPlans', { MaxResults: 2, NextToken: first.NextToken });
    const names = [...first.BackupPlansList, ...second.BackupPlansList].map((p) => p.BackupPlanName).sort();
    expect(names).toEqual(['plan-0', 'plan-1', 'plan-2']);
    expect(second.NextToken).toBeUndefined();
    expect(first.BackupPlansList[0]?.VersionId).toEqual(expect.any(String));
    type Selections = { BackupSelectionsList: { SelectionName: string; IamRoleArn: string; BackupPlanId: string }[] };
    expect(call<Selections>('ListBackupSelections', { BackupPlanId: plans[0]?.planId }).BackupSelectionsList).toEqual([
      expect.objectContaining({
        SelectionName: 'tagged',
        BackupPlanId: plans[0]?.planId,
        IamRoleArn: `arn:aws:iam::${ACCOUNT}:role/service-role/AWSBackupDefaultServiceRole`,
      }),
    ]);
    expect(call<Selections>('ListBackupSelections', { BackupPlanId: plans[1]?.planId }).BackupSelectionsList).toEqual(
      [],
    );
    expect(refusal(() => call('ListBackupSelections', { BackupPlanId: plans[0]?.planId }, ctx(OTHER))).code).toBe(
      'ResourceNotFoundException',
    );
  });

  it('previews the next runs of every rule, soonest first, in each rule time zone', () => {
    const { store, call } = sandbox();
    const plan = store.addPlan({
      account: ACCOUNT,
      region: REGION,
      name: 'daily',
      creationDate: new Date(START - 24 * HOUR),
      rules: [
        {
          RuleName: 'paris',
          TargetBackupVaultName: 'main',
          ScheduleExpression: 'cron(0 5 ? * * *)',
          ScheduleExpressionTimezone: 'Europe/Paris',
        },
        { RuleName: 'default', TargetBackupVaultName: 'main' },
      ],
    });
    type Out = { ScheduledRunsPreview?: { ExecutionTime: Date; RuleId: string; RuleExecutionType: string }[] };
    const rules = plan.versions[0]?.rules ?? [];
    const preview = call<Out>('GetBackupPlan', {
      BackupPlanId: plan.planId,
      MaxScheduledRunsPreview: 3,
    }).ScheduledRunsPreview;
    // 05:00 in Paris (CET) is 04:00Z; the rule without a schedule runs at AWS default, 05:00 UTC.
    expect(preview?.map((r) => [r.ExecutionTime.toISOString(), r.RuleId, r.RuleExecutionType])).toEqual([
      ['2026-11-24T04:00:00.000Z', rules[0]?.RuleId, 'SNAPSHOTS'],
      ['2026-11-24T05:00:00.000Z', rules[1]?.RuleId, 'SNAPSHOTS'],
      ['2026-11-25T04:00:00.000Z', rules[0]?.RuleId, 'SNAPSHOTS'],
    ]);
    expect(call<Out>('GetBackupPlan', { BackupPlanId: plan.planId }).ScheduledRunsPreview).toBeUndefined();
  });

  it('describes jobs and recovery points only in their own account and Region', () => {
    const { store, call, ctx } = sandbox();
    const job = store.createBackupJob({ account: ACCOUNT, region: REGION, resourceArn: volume(1), vaultName: 'main' });
    expect(call('DescribeBackupJob', { BackupJobId: job.job.BackupJobId })).toMatchObject({ State: 'CREATED' });
    expect(refusal(() => call('DescribeBackupJob', { BackupJobId: job.job.BackupJobId }, ctx(OTHER))).code).toBe(
      'ResourceNotFoundException',
    );
    expect(refusal(() => call('DescribeCopyJob', { CopyJobId: 'NOPE' })).code).toBe('ResourceNotFoundException');
    const p = store.addRecoveryPoint({ account: ACCOUNT, region: REGION, vaultName: 'main', resourceArn: volume(2) });
    const arn = p.point.RecoveryPointArn;
    expect(call('DescribeRecoveryPoint', { BackupVaultName: 'main', RecoveryPointArn: arn })).toMatchObject({
      Status: 'COMPLETED',
      ResourceType: 'EBS',
    });
    expect(
      refusal(() =>
        call('DescribeRecoveryPoint', { BackupVaultName: 'main', RecoveryPointArn: arn }, ctx(ACCOUNT, 'eu-west-1')),
      ).code,
    ).toBe('ResourceNotFoundException');
  });

  it('tags vaults and recovery points, refusing unknown ARNs', () => {
    const { store, call } = sandbox();
    const vault = store.vault(ACCOUNT, REGION, 'main')?.arn ?? '';
    expect(call('TagResource', { ResourceArn: vault, Tags: { team: 'ops' } })).toEqual({});
    expect(store.tags(vault)).toEqual({ team: 'ops' });
    expect(refusal(() => call('TagResource', { ResourceArn: `${vault}x`, Tags: {} })).code).toBe(
      'ResourceNotFoundException',
    );
  });
});
