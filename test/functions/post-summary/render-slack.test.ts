import { describe, expect, it } from 'vitest';
import {
  blocksText,
  escapeMrkdwn,
  fitBlocks,
  renderSlack,
  SLACK_LIMITS,
  type SlackBlock,
} from '../../../functions/post-summary/render-slack.js';
import {
  allGreenReport,
  aProblemJob,
  badDayReport,
  hugeReport,
  incompleteReport,
  plansUnreadableReport,
} from './report-fixtures.js';

const sectionTexts = (blocks: readonly SlackBlock[]): string[] =>
  blocks.flatMap((b) => (b.type === 'section' ? [b.text.text] : []));
const contextTexts = (blocks: readonly SlackBlock[]): string[] =>
  blocks.flatMap((b) => (b.type === 'context' ? b.elements.map((e) => e.text) : []));
const JOB_LINK = 'https://eu-west-1.console.aws.amazon.com/backup/home?region=eu-west-1#/jobs';

describe('renderSlack', () => {
  it('says an all-green day in one section', () => {
    const message = renderSlack(allGreenReport());
    expect(message.blocks).toHaveLength(1);
    expect(message.text).toMatch(/^All clear: 42 backups/);
    expect(message.text).not.toMatch(/All clear: All clear/);
    expect(message).toMatchInlineSnapshot(`
      {
        "blocks": [
          {
            "text": {
              "text": ":white_check_mark: All clear: 42 backups, 10 copies and 2 restores, none failed, in the 24 h to 2026-11-24 08:00 UTC (account 111122223333, eu-west-1).",
              "type": "mrkdwn",
            },
            "type": "section",
          },
        ],
        "text": "All clear: 42 backups, 10 copies and 2 restores, none failed, in the 24 h to 2026-11-24 08:00 UTC (account 111122223333, eu-west-1)",
      }
    `);
  });

  describe('on a bad day', () => {
    const message = renderSlack(badDayReport());
    const texts = sectionTexts(message.blocks);
    const section = (start: string): string => texts.find((t) => t.startsWith(start)) ?? '';

    it('leads with the header and the bad news, then the failures and their remedies, then the details', () => {
      expect(message.text).toBe(
        'Needs attention: 10 jobs failed, 2 backups never ran, 2 recovery points not copied, 3 backups completed with issues (account 111122223333, eu-west-1)',
      );
      expect(message.blocks[0]).toEqual({
        type: 'header',
        text: { type: 'plain_text', text: 'Backups need attention', emoji: true },
      });
      expect(message.blocks.map((b) => b.type)).toEqual([
        'header',
        'context',
        'section',
        'divider',
        ...Array(7).fill('section'),
        'divider',
        'section',
        'context',
      ]);
      expect(texts.slice(0, 2)).toEqual([
        ':red_circle: *Needs attention: 10 jobs failed, 2 backups never ran, 2 recovery points not copied, 3 backups completed with issues*',
        '*What failed and what to do*',
      ]);
      const index = (needle: string): number => texts.findIndex((t) => t.includes(needle));
      expect(index('What failed and what to do')).toBeLessThan(index('*Failed jobs (10)*'));
      expect(index('*Failed jobs (10)*')).toBeLessThan(index('*Backups that never ran (2)*'));
    });

    it('gives each reason its count, cause, fix and what AWS said', () => {
      expect(section('*1. ')).toMatchInlineSnapshot(`
        "*1. access-denied*: 6 (backup)
        Cause: The backup role cannot use the KMS key of the resource.
        Fix: Allow the backup role kms:Decrypt and kms:CreateGrant in the key's policy, then retry.
        > Access denied to the KMS key arn:aws:kms:eu-west-1:111122223333:key/1234"
      `);
      expect(section('*2. ')).toBe(
        '*2. window-expired*: 2 (backup), retryable\nCause: The job did not start within its start window.\nFix: Lengthen the start window or move the plan away from busy hours.',
      );
    });

    it('lists every failed job with its link, state, resource and what AWS said', () => {
      const lines = section('*Failed jobs (10)*').split('\n');
      expect(lines.filter((l) => l.startsWith('• '))).toHaveLength(10);
      expect(lines.slice(1, 3)).toEqual([
        `• <${JOB_LINK}/backup/details/b-0001|b-0001> FAILED backup: EBS vol-00000000000000001 (vault Default, eu-west-1, 2026-11-24 02:00 UTC)`,
        '   _Access denied to the KMS key arn:aws:kms:eu-west-1:111122223333:key/1234_',
      ]);
      expect(lines).toContain(
        `• <${JOB_LINK}/copy/details/c-0010|c-0010> FAILED copy: EBS vol-00000000000000010 (vault Default, eu-west-1, 2026-11-24 02:00 UTC)`,
      );
    });

    it('lists the backups that never ran and the recovery points not copied', () => {
      expect(section('*Backups that never ran (2)*').split('\n')).toEqual([
        '*Backups that never ran (2)*: backed up in the previous window, no job in this one',
        '• <https://eu-west-1.console.aws.amazon.com/backup/home?region=eu-west-1#/resources/1|RDS db:orders-1> (eu-west-1, vault Default): last backup 2026-11-23 02:00 UTC',
        '• <https://eu-west-1.console.aws.amazon.com/backup/home?region=eu-west-1#/resources/2|RDS db:orders-2> (eu-west-1, vault Default): last backup 2026-11-23 02:00 UTC',
      ]);
      expect(section('*Copy coverage')).toBe(
        '*Copy coverage: 80% (8 of 10 recovery points copied)*\n• not copied: EBS vol-00000000000000101 (eu-west-1, vault Default)\n• not copied: EBS vol-00000000000000102 (eu-west-1, vault Default)',
      );
    });

    it('ends with the totals, what the toolkit did, the previous window and the trend', () => {
      expect(texts.at(-1)?.split('\n')).toEqual([
        '50 backups: 6 failed, 2 expired, 1 aborted, 1 running, 40 completed (3 with issues), 2.0 GiB',
        '9 copies: 1 failed, 8 completed, 1.0 GiB',
        '2 restores: 2 completed, 5.0 MiB',
      ]);
      expect(contextTexts(message.blocks).slice(1)).toEqual([
        'This toolkit: 3 retries started (2 succeeded, 1 failed), 1 scheduled, 1 gave up, 2 alerted; 9 copies started, 1 refused by AWS Backup',
        'Previous 24 h: 50 backups (was 42), 9 failed (was 0); 9 copies (was 10), 1 failed (was 0); 2 restores (was 0), 0 failed (was 0)',
        'Failed backup jobs per day, 2026-11-10 to 2026-11-23: 0 0 1 0 0 0 0 0 2 0 0 0 0 9',
        'AWS Backup job summaries (a daily aggregate) up to 00:00 UTC 2026-11-24; jobs since then are not included',
      ]);
    });
  });

  it('marks an incomplete day and names what is missing', () => {
    const message = renderSlack(incompleteReport());
    expect(message.blocks[0]).toMatchObject({ type: 'header', text: { text: 'Backup summary incomplete' } });
    expect(message.text).toBe(
      'Incomplete summary (could not read copy jobs (ListCopyJobs) in us-east-1): nothing wrong in what could be listed (organization (from 111122223333), eu-west-1, us-east-1)',
    );
    expect(contextTexts(message.blocks)).toEqual([
      '24 h to 2026-11-24 08:00 UTC · organization (from 111122223333), eu-west-1, us-east-1',
    ]);
    expect(sectionTexts(message.blocks)).toEqual([
      ':warning: *Incomplete summary (could not read copy jobs (ListCopyJobs) in us-east-1): nothing wrong in what could be listed*',
      '*Missing from this summary*\n• copy jobs (ListCopyJobs) in us-east-1: User is not authorized to perform: backup:ListCopyJobs (AccessDeniedException)',
      '42 backups: 42 completed, 3.0 GiB, organization-wide\n4 copies: 4 completed, this account only\n2 restores: 2 completed, 5.0 MiB, this account only',
    ]);
  });

  it.each([
    { n: 50, maxItems: 10 },
    { n: 500, maxItems: 10 },
    { n: 500, maxItems: 200 },
  ])('keeps a huge report ($n of each, $maxItems per list) within Block Kit limits', ({ n, maxItems }) => {
    const message = renderSlack(hugeReport(n), { maxItems });
    expect(message.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
    // Over about 12,000 characters in all, Slack refuses the whole message (msg_blocks_too_long).
    expect(blocksText(message.blocks)).toBeLessThanOrEqual(SLACK_LIMITS.blocksText);
    for (const text of sectionTexts(message.blocks)) expect(text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    const jobs = sectionTexts(message.blocks).find((t) => t.startsWith('*Failed jobs'));
    const listed = jobs?.match(/^• /gm)?.length ?? 0;
    expect(listed).toBeGreaterThan(0);
    // Every job is either listed or counted: n in the report's list plus the n * 10 it had left out.
    expect(jobs).toContain(`and ${n + n * 10 - listed} more`);
  });

  it.each([
    { given: 49, kept: 49, last: 'block 49' },
    { given: 50, kept: 50, last: 'block 50' },
    { given: 60, kept: 50, last: 'and 11 more parts of this summary (see the email or the JSON)' },
  ])('fitBlocks keeps $kept of $given blocks', ({ given, kept, last }) => {
    const blocks = Array.from(
      { length: given },
      (_, i): SlackBlock => ({ type: 'section', text: { type: 'mrkdwn', text: `block ${i + 1}` } }),
    );
    const fitted = fitBlocks(blocks);
    expect(fitted).toHaveLength(kept);
    expect(fitted.at(-1)).toEqual({ type: 'section', text: { type: 'mrkdwn', text: last } });
  });

  it('lists at most 10 reasons as blocks and counts the rest, fewer when the text must shrink', () => {
    const message = renderSlack(hugeReport(100), { maxItems: 100 });
    const texts = sectionTexts(message.blocks);
    const listed = texts.filter((t) => /^\*\d+\. category-/.test(t)).length;
    expect(listed).toBeGreaterThan(0);
    expect(listed).toBeLessThanOrEqual(10);
    expect(texts).toContain(`and ${100 - listed} more reasons`);
    expect(message.blocks.length).toBeLessThan(30);
  });

  it('a report whose text fits is not shrunk: every reason a block', () => {
    // Five of each, about 9,000 characters: under the budget as rendered.
    const message = renderSlack(hugeReport(5), { maxItems: 10 });
    expect(blocksText(message.blocks)).toBeGreaterThan(8_000);
    expect(blocksText(message.blocks)).toBeLessThanOrEqual(SLACK_LIMITS.blocksText);
    const texts = sectionTexts(message.blocks);
    expect(texts.filter((t) => /^\*\d+\. category-/.test(t))).toHaveLength(5);
    expect(texts.some((t) => t.includes('more reasons'))).toBe(false);
  });

  it('escapes Slack control characters in AWS text', () => {
    expect(escapeMrkdwn('a <b> & c')).toBe('a &lt;b&gt; &amp; c');
    const report = badDayReport();
    const message = renderSlack({
      ...report,
      failureReasons: [
        { ...(report.failureReasons[0] as (typeof report.failureReasons)[number]), cause: 'role <x> & key' },
      ],
    } as typeof report);
    expect(sectionTexts(message.blocks).join('\n')).toContain('Cause: role &lt;x&gt; &amp; key');
  });
});

describe('renderSlack: many missing parts', () => {
  it('names three missing parts in the notification text and counts the rest', () => {
    // 480 parts (GetBackupPlan refused for 20 plans in each of 24 Regions): named in full, the text was
    // over 50,000 characters, past the 40,000 Slack keeps of a message (chat.postMessage, "text").
    const message = renderSlack(plansUnreadableReport(20));
    expect(message.text).toMatch(
      /^Incomplete summary \(could not read backup plan prod-workloads-daily-0 .*; and 477 more\): /,
    );
    expect(message.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    expect(sectionTexts(message.blocks)[0]).toContain('; and 477 more): nothing wrong in what could be listed*');
  });
});

describe('renderSlack: plan and rule names', () => {
  it('names the plan and rule of a failed job when its record did', () => {
    const report = {
      ...badDayReport(),
      problemJobs: { items: [aProblemJob(1, { planName: 'daily-prod', ruleName: 'nightly' })], more: 0 },
    };
    expect(JSON.stringify(renderSlack(report))).toContain('vault Default, plan daily-prod, rule nightly, eu-west-1');
  });
});
