import { describe, expect, it } from 'vitest';
import { renderTeams, TEAMS_MAX_BYTES } from '../../../functions/post-summary/render-teams.js';
import {
  allGreenReport,
  aProblemJob,
  badDayReport,
  hugeReport,
  incompleteReport,
  plansUnreadableReport,
} from './report-fixtures.js';

describe('renderTeams', () => {
  it.each([
    { day: 'all-green', report: allGreenReport(), color: 'Good', elements: 1 },
    { day: 'bad', report: badDayReport(), color: 'Attention', elements: 37 },
    { day: 'incomplete', report: incompleteReport(), color: 'Warning', elements: 6 },
  ])('wraps a $day day in one Adaptive Card 1.4 message attachment', ({ report, color, elements }) => {
    const message = renderTeams(report);
    expect(message.type).toBe('message');
    expect(message.attachments).toHaveLength(1);
    const [attachment] = message.attachments;
    expect(attachment.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(attachment.content).toMatchObject({
      type: 'AdaptiveCard',
      version: '1.4',
      $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    });
    expect(attachment.content.body[0]).toMatchObject({ type: 'TextBlock', color, wrap: true });
    expect(attachment.content.body).toHaveLength(elements);
  });

  it('renders an all-green day as one line', () => {
    expect(renderTeams(allGreenReport()).attachments[0].content.body).toMatchInlineSnapshot(`
      [
        {
          "color": "Good",
          "text": "✅ All clear: 42 backups, 10 copies and 2 restores, none failed, in the 24 h to 2026-11-24 08:00 UTC (account 111122223333, eu-west-1).",
          "type": "TextBlock",
          "weight": "Bolder",
          "wrap": true,
        },
      ]
    `);
  });

  describe('on a bad day', () => {
    const body = renderTeams(badDayReport()).attachments[0].content.body;
    const texts = body.map((e) => (e.type === 'TextBlock' ? e.text : JSON.stringify(e.facts)));
    const block = (text: string) => body.find((e) => e.type === 'TextBlock' && e.text === text);

    it('leads with the bad news in the attention colour, then the failures, the misses and the totals', () => {
      expect(body[0]).toEqual({
        type: 'TextBlock',
        text: 'Needs attention: 10 jobs failed, 2 backups never ran, 2 recovery points not copied, 3 backups completed with issues',
        wrap: true,
        weight: 'Bolder',
        size: 'Medium',
        color: 'Attention',
      });
      const index = (needle: string): number => texts.findIndex((t) => t.includes(needle));
      expect(index('What failed and what to do')).toBeLessThan(index('Failed jobs (10)'));
      expect(index('Failed jobs (10)')).toBeLessThan(index('Backups that never ran (2)'));
      expect(index('Backups that never ran (2)')).toBeLessThan(index('Copy coverage'));
      expect(index('Copy coverage')).toBeLessThan(index('Totals'));
      for (const heading of [
        'What failed and what to do',
        'Failed jobs (10)',
        'Backups that never ran (2)',
        'Totals',
      ]) {
        expect(block(heading)).toMatchObject({ weight: 'Bolder', separator: true });
      }
    });

    it('gives each reason its count, cause, fix and, subtly, what AWS said', () => {
      const first = texts.indexOf('**1. access-denied**: 6 (backup)');
      expect(texts.slice(first, first + 4)).toEqual([
        '**1. access-denied**: 6 (backup)',
        'Cause: The backup role cannot use the KMS key of the resource.',
        "Fix: Allow the backup role kms:Decrypt and kms:CreateGrant in the key's policy, then retry.",
        'AWS said: Access denied to the KMS key arn:aws:kms:eu-west-1:111122223333:key/1234',
      ]);
      expect(block(texts[first + 3] ?? '')).toMatchObject({ isSubtle: true });
      expect(texts).toContain('**2. window-expired**: 2 (backup), retryable');
    });

    it('lists every failed job as a link with its state, resource and what AWS said', () => {
      expect(texts.filter((t) => t.startsWith('- [') && t.includes('/jobs/'))).toHaveLength(10);
      expect(texts).toContain(
        '- [b-0001](https://eu-west-1.console.aws.amazon.com/backup/home?region=eu-west-1#/jobs/backup/details/b-0001) FAILED backup, EBS vol-00000000000000001 (vault Default, eu-west-1, 2026-11-24 02:00 UTC): Access denied to the KMS key arn:aws:kms:eu-west-1:111122223333:key/1234',
      );
      expect(texts).toContain(
        '- [b-0007](https://eu-west-1.console.aws.amazon.com/backup/home?region=eu-west-1#/jobs/backup/details/b-0007) EXPIRED backup, EBS vol-00000000000000007 (vault Default, eu-west-1, 2026-11-24 02:00 UTC)',
      );
    });

    it('lists the backups that never ran and the recovery points not copied', () => {
      expect(texts).toContain(
        '- [RDS db:orders-1](https://eu-west-1.console.aws.amazon.com/backup/home?region=eu-west-1#/resources/1) (eu-west-1): last backup 2026-11-23 02:00 UTC',
      );
      const coverage = texts.indexOf('Copy coverage: 80% (8 of 10 recovery points copied)');
      expect(texts.slice(coverage + 1, coverage + 3)).toEqual([
        '- not copied: EBS vol-00000000000000101 (eu-west-1, vault Default)',
        '- not copied: EBS vol-00000000000000102 (eu-west-1, vault Default)',
      ]);
    });

    it('ends with the totals as facts, then what the toolkit did, the previous window and the trend', () => {
      expect(body.find((e) => e.type === 'FactSet')).toEqual({
        type: 'FactSet',
        facts: [
          {
            title: 'Backups',
            value: '50 backups: 6 failed, 2 expired, 1 aborted, 1 running, 40 completed (3 with issues), 2.0 GiB',
          },
          { title: 'Copies', value: '9 copies: 1 failed, 8 completed, 1.0 GiB' },
          { title: 'Restores', value: '2 restores: 2 completed, 5.0 MiB' },
        ],
      });
      expect(texts.slice(-4)).toEqual([
        'This toolkit: 3 retries started (2 succeeded, 1 failed), 1 scheduled, 1 gave up, 2 alerted; 9 copies started, 1 refused by AWS Backup',
        'Previous 24 h: 50 backups (was 42), 9 failed (was 0); 9 copies (was 10), 1 failed (was 0); 2 restores (was 0), 0 failed (was 0)',
        'Failed backup jobs per day, 2026-11-10 to 2026-11-23: 0 0 1 0 0 0 0 0 2 0 0 0 0 9',
        'AWS Backup job summaries (a daily aggregate) up to 00:00 UTC 2026-11-24; jobs since then are not included',
      ]);
      for (const e of body.slice(-4)) expect(e).toMatchObject({ isSubtle: true, size: 'Small' });
    });
  });

  it('renders an incomplete day with what is missing, in the warning colour', () => {
    const body = renderTeams(incompleteReport()).attachments[0].content.body;
    expect(body.map((e) => (e.type === 'TextBlock' ? e.text : e.facts.map((f) => f.value)))).toEqual([
      'Incomplete summary (could not read copy jobs (ListCopyJobs) in us-east-1): nothing wrong in what could be listed',
      '24 h to 2026-11-24 08:00 UTC · organization (from 111122223333), eu-west-1, us-east-1',
      'Missing from this summary',
      '- copy jobs (ListCopyJobs) in us-east-1: User is not authorized to perform: backup:ListCopyJobs (AccessDeniedException)',
      'Totals',
      [
        '42 backups: 42 completed, 3.0 GiB, organization-wide',
        '4 copies: 4 completed, this account only',
        '2 restores: 2 completed, 5.0 MiB, this account only',
      ],
    ]);
    expect(body[0]).toMatchObject({ color: 'Warning' });
    expect(body[2]).toMatchObject({ color: 'Warning', weight: 'Bolder' });
  });

  it('shrinks its lists until a huge report fits a Teams message', () => {
    const message = renderTeams(hugeReport(500), { maxItems: 200 });
    expect(Buffer.byteLength(JSON.stringify(message))).toBeLessThanOrEqual(TEAMS_MAX_BYTES);
    const texts = message.attachments[0].content.body.flatMap((e) => (e.type === 'TextBlock' ? [e.text] : []));
    expect(texts.some((t) => /^and \d+ more$/.test(t))).toBe(true);
  });
});

describe('renderTeams: many missing parts', () => {
  it('fits a Teams message when GetBackupPlan is refused for 20 plans in each of 24 Regions', () => {
    const message = renderTeams(plansUnreadableReport(20));
    expect(Buffer.byteLength(JSON.stringify(message))).toBeLessThanOrEqual(TEAMS_MAX_BYTES);
    const texts = message.attachments[0].content.body.flatMap((e) => (e.type === 'TextBlock' ? [e.text] : []));
    // 480 parts: three named in the headline, the rest counted there and under "Missing from this summary".
    expect(texts[0]).toMatch(
      /^Incomplete summary \(could not read backup plan prod-workloads-daily-0 .*; and 477 more\): /,
    );
    expect(texts).toContain('and 470 more');
  });
});

describe('renderTeams: plan and rule names', () => {
  it('names the plan and rule of a failed job when its record did', () => {
    const report = {
      ...badDayReport(),
      problemJobs: { items: [aProblemJob(1, { planName: 'daily-prod', ruleName: 'nightly' })], more: 0 },
    };
    expect(JSON.stringify(renderTeams(report))).toContain('vault Default, plan daily-prod, rule nightly, eu-west-1');
  });
});
