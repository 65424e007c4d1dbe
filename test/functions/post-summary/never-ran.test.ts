import { describe, expect, it } from 'vitest';
import { decideNeverRan, RuleJobIndex } from '../../../functions/post-summary/never-ran.js';
import type { PlanFacts } from '../../../functions/post-summary/plan-catalog.js';
import type { BackupRule } from '../../../shared/backup/index.js';
import { ACCOUNT, aBackupJob, PREVIOUS_SINCE, REGION, SINCE, UNTIL } from './builders.js';

const ROLE = `arn:aws:iam::${ACCOUNT}:role/service-role/AWSBackupDefaultServiceRole`;

const aRule = (overrides: Partial<BackupRule> = {}): BackupRule => ({
  RuleName: 'nightly',
  RuleId: 'rule-1',
  TargetBackupVaultName: 'Default',
  ScheduleExpression: 'cron(0 5 ? * * *)',
  ScheduleExpressionTimezone: 'Etc/UTC',
  StartWindowMinutes: 60,
  ...overrides,
});

const aPlan = (overrides: Partial<PlanFacts> = {}): PlanFacts => ({
  region: REGION,
  planId: 'plan-1',
  planName: 'daily-prod',
  createdAt: new Date('2026-01-01T00:00:00Z'),
  rules: [aRule()],
  preview: [],
  selections: [{ selectionId: 's-1', name: 'tagged', iamRoleArn: ROLE, createdAt: new Date('2026-01-01T00:00:00Z') }],
  ...overrides,
});

const judge = (plans: readonly PlanFacts[], jobs = new RuleJobIndex(), listedFrom = PREVIOUS_SINCE) =>
  decideNeverRan({ region: REGION, accountId: ACCOUNT, plans, jobs, since: SINCE, until: UNTIL, listedFrom });

const jobsOf = (...created: readonly { at: string; plan?: string; rule?: string; state?: string }[]) => {
  const index = new RuleJobIndex();
  for (const job of created) {
    index.addJob(
      aBackupJob({
        CreationDate: new Date(job.at),
        State: (job.state ?? 'COMPLETED') as 'COMPLETED',
        CreatedBy: { BackupPlanId: job.plan ?? 'plan-1', BackupRuleId: job.rule ?? 'rule-1' },
      }),
      REGION,
    );
  }
  return index;
};

describe('decideNeverRan', () => {
  it('reports a rule due at 05:00 that created no job, with its selection and role', async () => {
    // Act: the window is 2026-11-23T08:00 to 2026-11-24T08:00; 05:00 on 11-24 + 60 min closes inside.
    const found = await judge([aPlan()]);
    // Assess
    expect(found.rules).toEqual([
      {
        region: REGION,
        accountId: ACCOUNT,
        planId: 'plan-1',
        planName: 'daily-prod',
        ruleId: 'rule-1',
        ruleName: 'nightly',
        scheduleExpression: 'cron(0 5 ? * * *)',
        timezone: 'Etc/UTC',
        startWindowMinutes: 60,
        dueRuns: 1,
        dueAt: ['2026-11-24T05:00:00.000Z'],
        selections: ['tagged'],
        iamRoles: [ROLE],
      },
    ]);
    expect(found.plansWithoutSelection).toEqual([]);
  });

  it.each([{ state: 'COMPLETED' }, { state: 'FAILED' }, { state: 'EXPIRED' }, { state: 'CREATED' }])(
    'a job in any state ($state) since the due run means the rule ran',
    async ({ state }) => {
      const found = await judge([aPlan()], jobsOf({ at: '2026-11-24T05:03:00Z', state }));
      expect(found.rules).toEqual([]);
    },
  );

  it('a job of another rule or plan does not count; the rule newest job is named', async () => {
    const found = await judge(
      [aPlan()],
      jobsOf(
        { at: '2026-11-24T05:03:00Z', rule: 'rule-2' },
        { at: '2026-11-24T05:03:00Z', plan: 'plan-2' },
        { at: '2026-11-23T05:02:00Z' },
      ),
    );
    expect(found.rules).toHaveLength(1);
    expect(found.rules[0]?.lastJobAt).toBe('2026-11-23T05:02:00.000Z');
  });

  it('respects the start window: a run whose window has not closed by the end is not judged yet', async () => {
    // 05:00 + 8 h closes at 13:00 on 11-24, after the window: only the 05:00 run of 11-23 (closing 13:00) is judged.
    const found = await judge([aPlan({ rules: [aRule({ StartWindowMinutes: 480 })] })]);
    expect(found.rules[0]?.dueAt).toEqual(['2026-11-23T05:00:00.000Z']);
    // Without the previous window listed, that run (before since) cannot be judged either.
    expect(
      (await judge([aPlan({ rules: [aRule({ StartWindowMinutes: 480 })] })], new RuleJobIndex(), SINCE)).rules,
    ).toEqual([]);
  });

  it('judges no run before the plan version or its first selection existed', async () => {
    const created = new Date('2026-11-24T06:00:00Z');
    expect((await judge([aPlan({ createdAt: created })])).rules).toEqual([]);
    const selections = [{ selectionId: 's-1', name: 'tagged', createdAt: created }];
    expect((await judge([aPlan({ selections })])).rules).toEqual([]);
  });

  it('reports a plan with no selection once, not each of its rules', async () => {
    const found = await judge([
      aPlan({
        planId: 'plan-9',
        planName: 'no-selection',
        selections: [],
        rules: [aRule(), aRule({ RuleId: 'rule-2', RuleName: 'evening', ScheduleExpression: 'cron(0 17 ? * * *)' })],
      }),
    ]);
    expect(found.rules).toEqual([]);
    expect(found.plansWithoutSelection).toEqual([
      { region: REGION, accountId: ACCOUNT, planId: 'plan-9', planName: 'no-selection', rules: ['nightly', 'evening'] },
    ]);
  });

  it('says nothing of a plan none of whose rules fell due', async () => {
    const monthly = aRule({ ScheduleExpression: 'cron(0 5 1 * ? *)' });
    expect(
      await judge([aPlan({ rules: [monthly] }), aPlan({ planId: 'p2', selections: [], rules: [monthly] })]),
    ).toEqual({
      rules: [],
      plansWithoutSelection: [],
      unreadable: [],
    });
  });

  it('uses AWS default schedule, cron(0 5 ? * * *), for a rule without one', async () => {
    const found = await judge([aPlan({ rules: [aRule({ ScheduleExpression: undefined })] })]);
    expect(found.rules[0]).toMatchObject({
      scheduleExpression: 'cron(0 5 ? * * *)',
      dueAt: ['2026-11-24T05:00:00.000Z'],
    });
  });

  it('reads the rule in its time zone', async () => {
    // 05:00 in Tokyo is 20:00Z the day before.
    const found = await judge([aPlan({ rules: [aRule({ ScheduleExpressionTimezone: 'Asia/Tokyo' })] })]);
    expect(found.rules[0]?.dueAt).toEqual(['2026-11-23T20:00:00.000Z']);
  });

  it('anchors a rate rule on the scheduled-runs preview, and counts one whose phase is unknown', async () => {
    const rate = aRule({ ScheduleExpression: 'rate(12 hours)' });
    const anchored = await judge([
      aPlan({ rules: [rate], preview: [{ RuleId: 'rule-1', ExecutionTime: new Date('2026-11-24T09:30:00Z') }] }),
    ]);
    expect(anchored.rules[0]?.dueAt).toEqual(['2026-11-23T09:30:00.000Z', '2026-11-23T21:30:00.000Z']);
    const unanchored = await judge([aPlan({ rules: [rate] })]);
    expect(unanchored.rules[0]).toMatchObject({ dueAt: [], dueRuns: 2, everyMinutes: 720 });
  });

  it('names a rule whose schedule cannot be read instead of guessing', async () => {
    const found = await judge([aPlan({ rules: [aRule({ ScheduleExpression: 'cron(0 5 * * * *)' })] })]);
    expect(found.rules).toEqual([]);
    expect(found.unreadable).toEqual([
      {
        region: REGION,
        planName: 'daily-prod',
        ruleName: 'nightly',
        error: expect.stringContaining('exactly one of day-of-month and day-of-week must be ?'),
      },
    ]);
  });

  it('lists at most 10 due times of an hourly rule, and counts them all', async () => {
    const found = await judge([aPlan({ rules: [aRule({ ScheduleExpression: 'cron(0 * ? * * *)' })] })]);
    // Start times 07:00 on 11-23 to 06:00 on 11-24: each one's 60-minute window closes inside.
    expect(found.rules[0]?.dueRuns).toBe(24);
    expect(found.rules[0]?.dueAt).toHaveLength(10);
  });
});

describe('RuleJobIndex', () => {
  it('keeps the newest job per Region, plan and rule, and ignores jobs no plan created', () => {
    const index = jobsOf(
      { at: '2026-11-23T05:00:00Z' },
      { at: '2026-11-24T05:00:00Z' },
      { at: '2026-11-22T05:00:00Z' },
    );
    index.addJob(aBackupJob({ CreatedBy: undefined }), REGION);
    expect(index.newest(REGION, 'plan-1', 'rule-1')).toBe(Date.parse('2026-11-24T05:00:00Z'));
    expect(index.newest('us-east-1', 'plan-1', 'rule-1')).toBeUndefined();
  });
});
