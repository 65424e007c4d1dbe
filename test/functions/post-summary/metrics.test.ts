import { describe, expect, it, vi } from 'vitest';
import { emitSummaryMetrics } from '../../../functions/post-summary/metrics.js';
import { allGreenReport, badDayReport, incompleteReport, NO_COPIES, organizationReport } from './report-fixtures.js';

describe('emitSummaryMetrics', () => {
  const emitted = (report: Parameters<typeof emitSummaryMetrics>[1]) => {
    const sink = { addMetric: vi.fn() };
    emitSummaryMetrics(sink, report);
    return Object.fromEntries(sink.addMetric.mock.calls.map(([name, unit, value]) => [name, [unit, value]]));
  };

  it('emits the main counts of a bad day', () => {
    expect(emitted(badDayReport())).toEqual({
      BackupJobsTotal: ['Count', 50],
      BackupJobsCompleted: ['Count', 40],
      BackupJobsCompletedWithIssues: ['Count', 3],
      BackupJobsFailed: ['Count', 6],
      BackupJobsExpired: ['Count', 2],
      BackupJobsAborted: ['Count', 1],
      BackupJobsPartial: ['Count', 0],
      CopyJobsTotal: ['Count', 9],
      CopyJobsFailed: ['Count', 1],
      RestoreJobsTotal: ['Count', 2],
      RestoreJobsFailed: ['Count', 0],
      SilentMisses: ['Count', 2],
      PlanRulesNeverRan: ['Count', 0],
      UncopiedRecoveryPoints: ['Count', 2],
      SummaryIncomplete: ['Count', 0],
      BackupBytes: ['Bytes', 2 * 1024 ** 3],
      CopyCoverage: ['Percent', 80],
    });
  });

  it.each([
    { case: 'no recovery points', report: incompleteReport() },
    { case: 'an account that does not copy', report: allGreenReport(NO_COPIES) },
  ])('emits no CopyCoverage with $case', ({ report }) => {
    expect(emitted(report)).not.toHaveProperty('CopyCoverage');
  });

  it('counts plan rules that never ran and plans with no selection', () => {
    const rule = {
      region: 'eu-west-1',
      accountId: '111122223333',
      planId: 'p',
      planName: 'daily-prod',
      ruleId: 'r',
      ruleName: 'nightly',
      scheduleExpression: 'cron(0 5 ? * * *)',
      timezone: 'UTC',
      startWindowMinutes: 60,
      dueRuns: 1,
      dueAt: ['2026-11-24T05:00:00.000Z'],
      selections: [],
      iamRoles: [],
    };
    const plan = { region: 'eu-west-1', accountId: '111122223333', planId: 'q', planName: 'orphan', rules: ['weekly'] };
    const report = allGreenReport({
      neverRan: { rules: { items: [rule], more: 2 }, plansWithoutSelection: { items: [plan], more: 0 } },
    });
    expect(emitted(report).PlanRulesNeverRan).toEqual(['Count', 4]);
  });

  it('flags an incomplete summary', () => {
    expect(emitted(incompleteReport()).SummaryIncomplete).toEqual(['Count', 1]);
  });

  it('counts PARTIAL copies and ABORTED restores as failed', () => {
    const report = badDayReport();
    const metrics = emitted({
      ...report,
      copy: { ...report.copy, byState: { COMPLETED: 5, FAILED: 1, PARTIAL: 2 } },
      restore: { ...report.restore, byState: { COMPLETED: 1, FAILED: 1, ABORTED: 3 } },
    });
    expect(metrics.CopyJobsFailed).toEqual(['Count', 3]);
    expect(metrics.RestoreJobsFailed).toEqual(['Count', 4]);
  });

  it.each([
    { ratio: 2 / 3, percent: 66.7 },
    { ratio: 0.9996, percent: 100 },
    { ratio: 0, percent: 0 },
  ])('emits a coverage of $ratio as $percent percent, to a tenth', ({ ratio, percent }) => {
    const report = badDayReport();
    const metrics = emitted({ ...report, copyCoverage: { ...report.copyCoverage, ratio } });
    expect(metrics.CopyCoverage).toEqual(['Percent', percent]);
  });

  it('counts the ACTIVE accounts without backup jobs in organization scope only', () => {
    expect(emitted(organizationReport())).toMatchObject({ AccountsWithoutBackupJobs: ['Count', 2] });
    expect(emitted(allGreenReport())).not.toHaveProperty('AccountsWithoutBackupJobs');
  });
});
