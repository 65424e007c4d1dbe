/**
 * Plan rules that never ran, end to end: the summary bundle lists the sandbox's plans over HTTP
 * (ListBackupPlans, GetBackupPlan with the schedule preview, ListBackupSelections), judges each rule
 * against the backup jobs it lists anyway, and says so in the email and the JSON.
 */
import { describe, expect, it } from 'vitest';
import { sandboxPerFile, seedResource } from './support.js';

const SUMMARY = 'PostSummaryFunction';
const UNTIL = '2026-11-30T20:00:00Z';

const rule = (RuleName: string, cron: string, timezone = 'UTC') => ({
  RuleName,
  TargetBackupVaultName: 'vault-never-ran',
  ScheduleExpression: cron,
  ScheduleExpressionTimezone: timezone,
  StartWindowMinutes: 60,
  CompletionWindowMinutes: 600,
});

describe('plan rules that never ran, over the sandbox', () => {
  const sandbox = sandboxPerFile({ parameterOverrides: { PostSummaryChannels: 'sns,json' } }, (sb) => {
    const { store, engine } = sb.backup;
    const { account, region } = sb;
    const resource = seedResource(sb, 'never-ran');
    const plan = (name: string, rules: ReturnType<typeof rule>[], selected = true) => {
      const record = store.addPlan({ account, region, name, rules, creationDate: new Date(0) });
      if (selected)
        store.addSelection({
          account,
          region,
          planId: record.planId,
          name: `${name}-tagged`,
          creationDate: new Date(0),
        });
      return record;
    };
    // daily-prod's nightly rule ran at 05:00 (its job failed: it still ran); its evening rule created nothing.
    const daily = plan('daily-prod', [rule('nightly', 'cron(0 5 ? * * *)'), rule('evening', 'cron(0 17 ? * * *)')]);
    plan('no-selection', [rule('daily', 'cron(0 3 ? * * *)')], false);
    // 07:00 in Paris is 06:00Z: its job at 06:01Z is the run.
    const paris = plan('paris-morning', [rule('morning', 'cron(0 7 ? * * *)', 'Europe/Paris')]);
    const job = (planId: string, ruleName: string, at: string, state: 'COMPLETED' | 'FAILED') =>
      engine.at(Date.parse(at), () =>
        store.createBackupJob({
          account,
          region,
          resourceArn: resource.arn,
          plan: { planId, ruleName },
          creationDate: Date.parse(at),
          outcome:
            state === 'FAILED'
              ? { state, statusMessage: 'Insufficient privileges to perform this action.' }
              : { state },
        }),
      );
    job(daily.planId, 'nightly', '2026-11-30T05:02:00Z', 'FAILED');
    job(paris.planId, 'morning', '2026-11-30T06:01:00Z', 'COMPLETED');
  });

  const summarise = async () => {
    await sandbox().runUntil(Date.parse(UNTIL), 10 * 60_000);
    const before = sandbox().calls.list().length;
    const { outcome } = await sandbox().invoke(SUMMARY, { since: '2026-11-30T01:00:00Z', until: UNTIL });
    if (!outcome.ok) throw new Error(`the summary failed: ${outcome.error.errorType}: ${outcome.error.errorMessage}`);
    const published = sandbox()
      .sns.published()
      .filter((m) => m.attributes.kind?.StringValue === 'summary');
    // The last ones: the template's daily schedule (08:00 UTC) also summarised while the clock ran.
    const text = published.filter((m) => m.attributes.format?.StringValue === 'text').at(-1);
    const json = published.filter((m) => m.attributes.format?.StringValue === 'json').at(-1);
    return { text, report: JSON.parse(json?.message ?? '{}'), calls: sandbox().calls.list().slice(before) };
  };

  it('reports the rule that created no job and the plan with no selection, with causes; each plan read once', async () => {
    const { text, report, calls } = await summarise();
    // Assess: the JSON report.
    expect(report.complete).toBe(true);
    expect(report.window).toMatchObject({ since: '2026-11-30T01:00:00.000Z', until: '2026-11-30T20:00:00.000Z' });
    expect(report.neverRan.rules.items).toEqual([
      expect.objectContaining({
        planName: 'daily-prod',
        ruleName: 'evening',
        dueAt: ['2026-11-30T17:00:00.000Z'],
        selections: ['daily-prod-tagged'],
      }),
    ]);
    expect(report.neverRan.rules.items[0]).not.toHaveProperty('lastJobAt');
    expect(report.neverRan.plansWithoutSelection.items).toEqual([
      expect.objectContaining({ planName: 'no-selection', rules: ['daily'] }),
    ]);
    // The email.
    expect(text?.message).toContain('PLAN RULES THAT CREATED NO JOB (2)');
    expect(text?.message).toContain('- plan `daily-prod`, rule `evening`: due 17:00 UTC, no job created');
    expect(text?.message).toContain(
      '- plan `no-selection`: no resource selection, so its rules (`daily`) back up nothing',
    );
    expect(text?.message).toContain('Likely causes: the selection matches no resource');
    // Cost: one ListBackupPlans pass, one GetBackupPlan and one ListBackupSelections pass per plan.
    const count = (operation: string) => calls.filter((c) => c.caller === SUMMARY && c.operation === operation).length;
    expect(count('ListBackupPlans')).toBe(1);
    expect(count('GetBackupPlan')).toBe(3);
    expect(count('ListBackupSelections')).toBe(3);
    expect(calls.find((c) => c.operation === 'GetBackupPlan')?.input).toMatchObject({ MaxScheduledRunsPreview: 10 });
  }, 60_000);

  it('a summary window shorter than the start window judges nothing yet', async () => {
    const { outcome } = await sandbox().invoke(SUMMARY, { since: '2026-11-30T19:30:00Z', until: UNTIL });
    expect(outcome.ok).toBe(true);
    const json = sandbox()
      .sns.published()
      .filter((m) => m.attributes.kind?.StringValue === 'summary' && m.attributes.format?.StringValue === 'json')
      .at(-1);
    const report = JSON.parse(json?.message ?? '{}');
    expect(report.neverRan).toEqual({ rules: { items: [], more: 0 }, plansWithoutSelection: { items: [], more: 0 } });
  }, 60_000);
});
