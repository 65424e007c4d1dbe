import { describe, expect, it } from 'vitest';
import { badNews, formatBytes, formatRatio, shortResource, verdictOf } from '../../../functions/post-summary/format.js';
import { allGreenReport, badDayReport, incompleteReport, NO_COPIES } from './report-fixtures.js';

describe('verdict and bad news', () => {
  it.each([
    { day: 'all-green', report: allGreenReport(), verdict: 'all-green' },
    { day: 'bad', report: badDayReport(), verdict: 'attention' },
    { day: 'incomplete', report: incompleteReport(), verdict: 'incomplete' },
    { day: 'all-green in an account that does not copy', report: allGreenReport(NO_COPIES), verdict: 'all-green' },
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
      silentAccounts: 0,
      neverRan: 0,
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
