import { describe, expect, it, vi } from 'vitest';
import { badNews, formatBytes, formatRatio, shortResource, verdictOf } from '../../../functions/post-summary/format.js';
import { emitSummaryMetrics } from '../../../functions/post-summary/metrics.js';
import { allGreenReport, badDayReport, incompleteReport } from './report-fixtures.js';

const noCopies = {
  copy: { total: 0, byState: {}, bytes: 0, scope: 'account' as const },
  copyCoverage: { recoveryPoints: 10, copied: 0, ratio: 0, uncopied: { items: [], more: 0 } },
};

describe('verdict and bad news', () => {
  it.each([
    { day: 'all-green', report: allGreenReport(), verdict: 'all-green' },
    { day: 'bad', report: badDayReport(), verdict: 'attention' },
    { day: 'incomplete', report: incompleteReport(), verdict: 'incomplete' },
    { day: 'all-green in an account that does not copy', report: allGreenReport(noCopies), verdict: 'all-green' },
    {
      day: 'green but with a gap in copying',
      report: allGreenReport({
        copyCoverage: { recoveryPoints: 10, copied: 9, ratio: 0.9, uncopied: { items: [], more: 1 } },
      }),
      verdict: 'attention',
    },
    {
      day: 'green but completed with issues',
      report: allGreenReport({ backup: { ...allGreenReport().backup, completedWithIssues: 1 } }),
      verdict: 'attention',
    },
  ])('$day -> $verdict', ({ report, verdict }) => {
    expect(verdictOf(report)).toBe(verdict);
  });

  it('counts a bad day', () => {
    expect(badNews(badDayReport())).toEqual({
      failedJobs: 10,
      failedBackups: 9,
      failedCopies: 1,
      failedRestores: 0,
      completedWithIssues: 3,
      silentMisses: 2,
      uncopied: 2,
    });
  });
});

describe('formatting', () => {
  it.each([
    { ratio: 1, text: '100%' },
    { ratio: 0.9996, text: '99.9%' },
    { ratio: 0.8, text: '80%' },
    { ratio: 0, text: '0%' },
  ])('formatRatio($ratio) = $text', ({ ratio, text }) => expect(formatRatio(ratio)).toBe(text));

  it.each([
    { bytes: 0, text: '0 B' },
    { bytes: 1023, text: '1023 B' },
    { bytes: 1536, text: '1.5 KiB' },
    { bytes: 3 * 1024 ** 4, text: '3.0 TiB' },
  ])('formatBytes($bytes) = $text', ({ bytes, text }) => expect(formatBytes(bytes)).toBe(text));

  it.each([
    { arn: 'arn:aws:ec2:eu-west-1:111122223333:volume/vol-0abc', text: 'vol-0abc' },
    { arn: 'arn:aws:rds:eu-west-1:111122223333:db:orders', text: 'db:orders' },
    { arn: 'arn:aws:dynamodb:eu-west-1:111122223333:table/Orders', text: 'Orders' },
    { arn: undefined, text: 'unknown resource' },
  ])('shortResource($arn) = $text', ({ arn, text }) => expect(shortResource(arn)).toBe(text));
});

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
      UncopiedRecoveryPoints: ['Count', 2],
      SummaryIncomplete: ['Count', 0],
      BackupBytes: ['Bytes', 2 * 1024 ** 3],
      CopyCoverage: ['Percent', 80],
    });
  });

  it.each([
    { case: 'no recovery points', report: incompleteReport() },
    { case: 'an account that does not copy', report: allGreenReport(noCopies) },
  ])('emits no CopyCoverage with $case', ({ report }) => {
    expect(emitted(report)).not.toHaveProperty('CopyCoverage');
  });

  it('flags an incomplete summary', () => {
    expect(emitted(incompleteReport()).SummaryIncomplete).toEqual(['Count', 1]);
  });
});
