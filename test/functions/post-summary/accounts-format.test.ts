import { describe, expect, it } from 'vitest';
import {
  accountLabel,
  accountLineText,
  accountSections,
  quietAccountText,
} from '../../../functions/post-summary/accounts-format.js';
import { allGreenReport, anAccountLine, organizationReport, REGION } from './report-fixtures.js';

describe('account wording', () => {
  it.each([
    { line: anAccountLine('111111111111'), text: `111111111111: all well; 40 backup jobs in ${REGION}` },
    {
      line: anAccountLine('111111111111', {
        name: 'payments',
        jobs: 1,
        failed: 3,
        silentMisses: 2,
        completedWithIssues: 1,
        regions: [REGION, 'us-east-1'],
      }),
      text: `payments (111111111111): 3 failed, 2 never ran, 1 with issues; 1 backup job in ${REGION}, us-east-1`,
    },
  ])('accountLineText: $text', ({ line, text }) => {
    expect(accountLineText(line)).toBe(text);
  });

  it.each([
    {
      previousJobs: 14,
      regions: 2,
      text: 'logs (777788889999): no backup job in any Region (14 jobs in the previous window)',
    },
    { previousJobs: 1, regions: 1, text: 'logs (777788889999): no backup job (1 job in the previous window)' },
    {
      previousJobs: 0,
      regions: 4,
      text: 'logs (777788889999): no backup job in any Region (none in the previous window either)',
    },
  ])('quietAccountText: $text', ({ previousJobs, regions, text }) => {
    expect(quietAccountText({ accountId: '777788889999', name: 'logs', previousJobs }, regions)).toBe(text);
  });

  it('labels an account without a name by its id', () => {
    expect(accountLabel({ accountId: '111111111111' })).toBe('111111111111');
  });
});

describe('accountSections', () => {
  it('puts the accounts without jobs first, then every account worst first, each capped', () => {
    const sections = accountSections(organizationReport(), 10);

    expect(sections.map((s) => [s.title, s.items.length, s.more])).toEqual([
      ['Accounts without backup jobs (2 of 16 active; 1 went silent)', 2, 0],
      ['Backup jobs per account, worst first (14 accounts of 16 active, organization-wide)', 10, 4],
    ]);
    expect(sections[0]?.items[0]).toBe(
      'log-archive (777788889999): no backup job in any Region (14 jobs in the previous window)',
    );
    expect(sections[1]?.items[0]).toMatch(/^payments \(210987654321\): 3 failed; 40 backup jobs/);
  });

  it('is empty outside organization scope', () => {
    expect(accountSections(allGreenReport(), 10)).toEqual([]);
  });

  it('says when the accounts could not be listed', () => {
    const report = organizationReport();
    const accounts = report.accounts;
    if (!accounts) throw new Error('fixture has accounts');
    const sections = accountSections(
      { ...report, accounts: { ...accounts, active: null, withoutJobs: { items: [], more: 0 }, wentSilent: 0 } },
      3,
    );
    expect(sections.map((s) => s.title)).toEqual([
      'Backup jobs per account, worst first (14 accounts, organization-wide)',
    ]);
  });
});
