import { describe, expect, it } from 'vitest';
import {
  dueLabel,
  NEVER_RAN_CAUSES,
  NEVER_RAN_CHECKS,
  neverRanSection,
} from '../../../functions/post-summary/never-ran-section.js';
import { renderSlack } from '../../../functions/post-summary/render-slack.js';
import { renderTeams } from '../../../functions/post-summary/render-teams.js';
import { renderText } from '../../../functions/post-summary/render-text.js';
import type { NeverRanRule, PlanWithoutSelection } from '../../../functions/post-summary/report.js';
import { ACCOUNT, allGreenReport, REGION } from './report-fixtures.js';

const aRule = (overrides: Partial<NeverRanRule> = {}): NeverRanRule => ({
  region: REGION,
  accountId: ACCOUNT,
  planId: 'plan-1',
  planName: 'daily-prod',
  ruleId: 'rule-1',
  ruleName: 'nightly',
  scheduleExpression: 'cron(0 5 ? * * *)',
  timezone: 'UTC',
  startWindowMinutes: 60,
  dueRuns: 1,
  dueAt: ['2026-11-24T05:00:00.000Z'],
  selections: ['tagged'],
  iamRoles: [`arn:aws:iam::${ACCOUNT}:role/service-role/AWSBackupDefaultServiceRole`],
  ...overrides,
});

const aPlan: PlanWithoutSelection = {
  region: REGION,
  accountId: ACCOUNT,
  planId: 'plan-2',
  planName: 'orphan',
  rules: ['weekly'],
};

const reportWith = (rules: readonly NeverRanRule[], plans: readonly PlanWithoutSelection[] = [], more = 0) =>
  allGreenReport({
    neverRan: { rules: { items: rules, more }, plansWithoutSelection: { items: plans, more: 0 } },
  });

describe('neverRanSection', () => {
  it('says plan, rule, when it was due and that no job was created, then causes and checks', () => {
    const section = neverRanSection(reportWith([aRule()], [aPlan]), 10);
    expect(section).toEqual({
      title: 'Plan rules that created no job (2)',
      items: [
        '- plan `daily-prod`, rule `nightly`: due 05:00 UTC, no job created (selection `tagged`; role AWSBackupDefaultServiceRole; no job of this rule listed)',
        '- plan `orphan`: no resource selection, so its rules (`weekly`) back up nothing',
      ],
      more: 0,
      notes: [NEVER_RAN_CAUSES, NEVER_RAN_CHECKS],
    });
  });

  it('is absent when the check found nothing or did not run', () => {
    expect(neverRanSection(reportWith([]), 10)).toBeUndefined();
    expect(neverRanSection(allGreenReport(), 10)).toBeUndefined();
  });

  it('counts what max and the report left out', () => {
    const section = neverRanSection(reportWith([aRule(), aRule({ ruleName: 'evening' })], [], 3), 1);
    expect(section?.items).toHaveLength(1);
    expect(section?.more).toBe(4);
    expect(section?.title).toBe('Plan rules that created no job (5)');
  });

  it('a plan with no selection alone carries no causes (its cause is said)', () => {
    expect(neverRanSection(reportWith([], [aPlan]), 10)?.notes).toEqual([]);
  });

  it.each([
    { case: 'one run', rule: aRule(), hours: 24, label: 'due 05:00 UTC' },
    { case: 'a longer window', rule: aRule(), hours: 48, label: 'due 2026-11-24 05:00 UTC' },
    {
      case: 'two runs',
      rule: aRule({ dueRuns: 2, dueAt: ['2026-11-23T17:00:00.000Z', '2026-11-24T05:00:00.000Z'] }),
      hours: 24,
      label: 'due 17:00 UTC and 05:00 UTC',
    },
    {
      case: 'many runs',
      rule: aRule({ dueRuns: 24, dueAt: ['2026-11-23T07:00:00.000Z'] }),
      hours: 24,
      label: 'due 07:00 UTC and 23 more runs',
    },
    {
      case: 'a rate with no known phase',
      rule: aRule({ dueRuns: 2, dueAt: [], everyMinutes: 720 }),
      hours: 24,
      label: 'due every 12 hours (2 runs at least)',
    },
  ])('dueLabel: $case', ({ rule, hours, label }) => {
    expect(dueLabel(rule, hours)).toBe(label);
  });
});

describe('renderers', () => {
  const report = reportWith([aRule()], [aPlan]);

  it('the email has its own section and the verdict needs attention', () => {
    const { subject, body } = renderText(report);
    expect(subject).toContain('2 rules never ran');
    expect(body).toContain('Needs attention: 2 plan rules created no job');
    expect(body).toContain(
      'PLAN RULES THAT CREATED NO JOB (2)\n- plan `daily-prod`, rule `nightly`: due 05:00 UTC, no job created',
    );
    expect(body).toContain(NEVER_RAN_CAUSES);
  });

  it('Slack and Teams carry the same lines', () => {
    const slack = JSON.stringify(renderSlack(report));
    expect(slack).toContain('Plan rules that created no job (2)');
    expect(slack).toContain('plan `daily-prod`, rule `nightly`: due 05:00 UTC, no job created');
    const teams = JSON.stringify(renderTeams(report));
    expect(teams).toContain('Plan rules that created no job (2)');
    expect(teams).toContain('plan `orphan`: no resource selection');
  });
});
