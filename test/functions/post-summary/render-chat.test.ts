import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { renderJson } from '../../../functions/post-summary/render-json.js';
import {
  escapeMrkdwn,
  fitBlocks,
  renderSlack,
  SLACK_LIMITS,
  type SlackBlock,
} from '../../../functions/post-summary/render-slack.js';
import { renderTeams, TEAMS_MAX_BYTES } from '../../../functions/post-summary/render-teams.js';
import schema from '../../../functions/post-summary/schemas/summary.schema.json' with { type: 'json' };
import { allGreenReport, badDayReport, hugeReport, incompleteReport } from './report-fixtures.js';

const sectionTexts = (blocks: readonly SlackBlock[]): string[] =>
  blocks.flatMap((b) => (b.type === 'section' ? [b.text.text] : []));

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

  it('leads a bad day with the header, the failures and their remedies', () => {
    const message = renderSlack(badDayReport());
    expect(message.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'Backups need attention', emoji: true },
    });
    expect(message.text).toMatch(/^Needs attention: 10 jobs failed/);
    const texts = sectionTexts(message.blocks);
    const index = (needle: string): number => texts.findIndex((t) => t.includes(needle));
    expect(index('What failed and what to do')).toBeLessThan(index('*Failed jobs (10)*'));
    expect(index('*Failed jobs (10)*')).toBeLessThan(index('*Backups that never ran (2)*'));
    expect(texts.join('\n')).toContain(
      '<https://eu-west-1.console.aws.amazon.com/backup/home?region=eu-west-1#/jobs/backup/details/b-0001|b-0001>',
    );
    expect(texts.join('\n')).toContain(
      "Fix: Allow the backup role kms:Decrypt and kms:CreateGrant in the key's policy, then retry.",
    );
    expect(message).toMatchInlineSnapshot(`
      {
        "blocks": [
          {
            "text": {
              "emoji": true,
              "text": "Backups need attention",
              "type": "plain_text",
            },
            "type": "header",
          },
          {
            "elements": [
              {
                "text": "24 h to 2026-11-24 08:00 UTC · account 111122223333, eu-west-1",
                "type": "mrkdwn",
              },
            ],
            "type": "context",
          },
          {
            "text": {
              "text": ":red_circle: *Needs attention: 10 jobs failed, 2 backups never ran, 2 recovery points not copied, 3 backups completed with issues*",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "type": "divider",
          },
          {
            "text": {
              "text": "*What failed and what to do*",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "text": {
              "text": "*1. access-denied*: 6 (backup)
      Cause: The backup role cannot use the KMS key of the resource.
      Fix: Allow the backup role kms:Decrypt and kms:CreateGrant in the key's policy, then retry.
      > Access denied to the KMS key arn:aws:kms:eu-west-1:111122223333:key/1234",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "text": {
              "text": "*2. window-expired*: 2 (backup), retryable
      Cause: The job did not start within its start window.
      Fix: Lengthen the start window or move the plan away from busy hours.",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "text": {
              "text": "*3. copy-vault-access*: 1 (copy)
      Cause: The destination vault refused the copy.
      Fix: Allow backup:CopyIntoBackupVault for this account in the destination vault access policy.",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "text": {
              "text": "*Failed jobs (10)*
      • <https://eu-west-1.console.aws.amazon.com/backup/home?region=eu-west-1#/jobs/backup/details/b-0001|b-0001> FAILED backup: EBS vol-00000000000000001 (vault Default, eu-west-1, 2026-11-24 02:00 UTC)
         _Access denied to the KMS key arn:aws:kms:eu-west-1:111122223333:key/1234_
      • <https://eu-west-1.console.aws.amazon.com/backup/home?region=eu-west-1#/jobs/backup/details/b-0002|b-0002> FAILED backup: EBS vol-00000000000000002 (vault Default, eu-west-1, 2026-11-24 02:00 UTC)
         _Access denied to the KMS key arn:aws:kms:eu-west-1:111122223333:key/1234_
      • <https://eu-west-1.console.aws.amazon.com/backup/home?region=eu-west-1#/jobs/backup/details/b-0003|b-0003> FAILED backup: EBS vol-00000000000000003 (vault Default, eu-west-1, 2026-11-24 02:00 UTC)
         _Access denied to the KMS key arn:aws:kms:eu-west-1:111122223333:key/1234_
      • <https://eu-west-1.console.aws.amazon.com/backup/home?region=eu-west-1#/jobs/backup/details/b-0004|b-0004> FAILED backup: EBS vol-00000000000000004 (vault Default, eu-west-1, 2026-11-24 02:00 UTC)
         _Access denied to the KMS key arn:aws:kms:eu-west-1:111122223333:key/1234_
      • <https://eu-west-1.console.aws.amazon.com/backup/home?region=eu-west-1#/jobs/backup/details/b-0005|b-0005> FAILED backup: EBS vol-00000000000000005 (vault Default, eu-west-1, 2026-11-24 02:00 UTC)
         _Access denied to the KMS key arn:aws:kms:eu-west-1:111122223333:key/1234_
      • <https://eu-west-1.console.aws.amazon.com/backup/home?region=eu-west-1#/jobs/backup/details/b-0006|b-0006> FAILED backup: EBS vol-00000000000000006 (vault Default, eu-west-1, 2026-11-24 02:00 UTC)
         _Access denied to the KMS key arn:aws:kms:eu-west-1:111122223333:key/1234_
      • <https://eu-west-1.console.aws.amazon.com/backup/home?region=eu-west-1#/jobs/backup/details/b-0007|b-0007> EXPIRED backup: EBS vol-00000000000000007 (vault Default, eu-west-1, 2026-11-24 02:00 UTC)
      • <https://eu-west-1.console.aws.amazon.com/backup/home?region=eu-west-1#/jobs/backup/details/b-0008|b-0008> EXPIRED backup: EBS vol-00000000000000008 (vault Default, eu-west-1, 2026-11-24 02:00 UTC)
      • <https://eu-west-1.console.aws.amazon.com/backup/home?region=eu-west-1#/jobs/backup/details/b-0009|b-0009> ABORTED backup: RDS db:orders-9 (vault Default, eu-west-1, 2026-11-24 02:00 UTC)
         _Aborted by user_
      • <https://eu-west-1.console.aws.amazon.com/backup/home?region=eu-west-1#/jobs/copy/details/c-0010|c-0010> FAILED copy: EBS vol-00000000000000010 (vault Default, eu-west-1, 2026-11-24 02:00 UTC)
         _Insufficient privileges to perform this action on the destination vault_",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "text": {
              "text": "*Backups that never ran (2)*: backed up in the previous window, no job in this one
      • <https://eu-west-1.console.aws.amazon.com/backup/home?region=eu-west-1#/resources/1|RDS db:orders-1> (eu-west-1, vault Default): last backup 2026-11-23 02:00 UTC
      • <https://eu-west-1.console.aws.amazon.com/backup/home?region=eu-west-1#/resources/2|RDS db:orders-2> (eu-west-1, vault Default): last backup 2026-11-23 02:00 UTC",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "text": {
              "text": "*Copy coverage: 80% (8 of 10 recovery points copied)*
      • not copied: EBS vol-00000000000000101 (eu-west-1, vault Default)
      • not copied: EBS vol-00000000000000102 (eu-west-1, vault Default)",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "type": "divider",
          },
          {
            "text": {
              "text": "50 backups: 6 failed, 2 expired, 1 aborted, 1 running, 40 completed (3 with issues), 2.0 GiB
      9 copies: 1 failed, 8 completed, 1.0 GiB
      2 restores: 2 completed, 5.0 MiB",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "elements": [
              {
                "text": "This toolkit: 3 retries started (2 succeeded, 1 failed), 1 scheduled, 1 gave up, 2 alerted; 9 copies started, 1 refused by AWS Backup",
                "type": "mrkdwn",
              },
              {
                "text": "Previous 24 h: 50 backups (was 42), 9 failed (was 0); 9 copies (was 10), 1 failed (was 0); 2 restores (was 0), 0 failed (was 0)",
                "type": "mrkdwn",
              },
              {
                "text": "Failed backup jobs per day, 2026-11-10 to 2026-11-23: 0 0 1 0 0 0 0 0 2 0 0 0 0 9",
                "type": "mrkdwn",
              },
              {
                "text": "AWS Backup job summaries (a daily aggregate) up to 00:00 UTC 2026-11-24; jobs since then are not included",
                "type": "mrkdwn",
              },
            ],
            "type": "context",
          },
        ],
        "text": "Needs attention: 10 jobs failed, 2 backups never ran, 2 recovery points not copied, 3 backups completed with issues (account 111122223333, eu-west-1)",
      }
    `);
  });

  it('marks an incomplete day and names what is missing', () => {
    const message = renderSlack(incompleteReport());
    expect(message.blocks[0]).toMatchObject({ type: 'header', text: { text: 'Backup summary incomplete' } });
    expect(sectionTexts(message.blocks).join('\n')).toContain(
      '• copy jobs (ListCopyJobs) in us-east-1: User is not authorized to perform: backup:ListCopyJobs (AccessDeniedException)',
    );
    expect(message).toMatchInlineSnapshot(`
      {
        "blocks": [
          {
            "text": {
              "emoji": true,
              "text": "Backup summary incomplete",
              "type": "plain_text",
            },
            "type": "header",
          },
          {
            "elements": [
              {
                "text": "24 h to 2026-11-24 08:00 UTC · organization (from 111122223333), eu-west-1, us-east-1",
                "type": "mrkdwn",
              },
            ],
            "type": "context",
          },
          {
            "text": {
              "text": ":warning: *Incomplete summary (could not read copy jobs (ListCopyJobs) in us-east-1): nothing wrong in what could be listed*",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "text": {
              "text": "*Missing from this summary*
      • copy jobs (ListCopyJobs) in us-east-1: User is not authorized to perform: backup:ListCopyJobs (AccessDeniedException)",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "type": "divider",
          },
          {
            "text": {
              "text": "42 backups: 42 completed, 3.0 GiB, organization-wide
      4 copies: 4 completed, this account only
      2 restores: 2 completed, 5.0 MiB, this account only",
              "type": "mrkdwn",
            },
            "type": "section",
          },
        ],
        "text": "Incomplete summary (could not read copy jobs (ListCopyJobs) in us-east-1): nothing wrong in what could be listed (organization (from 111122223333), eu-west-1, us-east-1)",
      }
    `);
  });

  it.each([
    { n: 50, maxItems: 10 },
    { n: 500, maxItems: 10 },
    { n: 500, maxItems: 200 },
  ])('keeps a huge report ($n of each, $maxItems per list) within Block Kit limits', ({ n, maxItems }) => {
    const message = renderSlack(hugeReport(n), { maxItems });
    expect(message.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
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

  it('lists at most 10 reasons as blocks and counts the rest', () => {
    const message = renderSlack(hugeReport(100), { maxItems: 100 });
    const texts = sectionTexts(message.blocks);
    expect(texts.filter((t) => /^\*\d+\. category-/.test(t))).toHaveLength(10);
    expect(texts).toContain('and 90 more reasons');
    expect(message.blocks.length).toBeLessThan(30);
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

  it('renders a bad day worst first with links and a totals fact set', () => {
    const body = renderTeams(badDayReport()).attachments[0].content.body;
    const texts = body.map((e) => (e.type === 'TextBlock' ? e.text : JSON.stringify(e.facts)));
    const index = (needle: string): number => texts.findIndex((t) => t.includes(needle));
    expect(index('What failed and what to do')).toBeLessThan(index('Failed jobs (10)'));
    expect(index('Failed jobs (10)')).toBeLessThan(index('Backups that never ran (2)'));
    expect(index('Backups that never ran (2)')).toBeLessThan(index('Totals'));
    expect(texts).toContain(
      '- [b-0001](https://eu-west-1.console.aws.amazon.com/backup/home?region=eu-west-1#/jobs/backup/details/b-0001) FAILED backup, EBS vol-00000000000000001 (vault Default, eu-west-1, 2026-11-24 02:00 UTC): Access denied to the KMS key arn:aws:kms:eu-west-1:111122223333:key/1234',
    );
    expect(body).toMatchInlineSnapshot(`
      [
        {
          "color": "Attention",
          "size": "Medium",
          "text": "Needs attention: 10 jobs failed, 2 backups never ran, 2 recovery points not copied, 3 backups completed with issues",
          "type": "TextBlock",
          "weight": "Bolder",
          "wrap": true,
        },
        {
          "isSubtle": true,
          "spacing": "None",
          "text": "24 h to 2026-11-24 08:00 UTC · account 111122223333, eu-west-1",
          "type": "TextBlock",
          "wrap": true,
        },
        {
          "separator": true,
          "spacing": "Medium",
          "text": "What failed and what to do",
          "type": "TextBlock",
          "weight": "Bolder",
          "wrap": true,
        },
        {
          "spacing": "Medium",
          "text": "**1. access-denied**: 6 (backup)",
          "type": "TextBlock",
          "wrap": true,
        },
        {
          "spacing": "None",
          "text": "Cause: The backup role cannot use the KMS key of the resource.",
          "type": "TextBlock",
          "wrap": true,
        },
        {
          "spacing": "None",
          "text": "Fix: Allow the backup role kms:Decrypt and kms:CreateGrant in the key's policy, then retry.",
          "type": "TextBlock",
          "wrap": true,
        },
        {
          "isSubtle": true,
          "spacing": "None",
          "text": "AWS said: Access denied to the KMS key arn:aws:kms:eu-west-1:111122223333:key/1234",
          "type": "TextBlock",
          "wrap": true,
        },
        {
          "spacing": "Medium",
          "text": "**2. window-expired**: 2 (backup), retryable",
          "type": "TextBlock",
          "wrap": true,
        },
        {
          "spacing": "None",
          "text": "Cause: The job did not start within its start window.",
          "type": "TextBlock",
          "wrap": true,
        },
        {
          "spacing": "None",
          "text": "Fix: Lengthen the start window or move the plan away from busy hours.",
          "type": "TextBlock",
          "wrap": true,
        },
        {
          "spacing": "Medium",
          "text": "**3. copy-vault-access**: 1 (copy)",
          "type": "TextBlock",
          "wrap": true,
        },
        {
          "spacing": "None",
          "text": "Cause: The destination vault refused the copy.",
          "type": "TextBlock",
          "wrap": true,
        },
        {
          "spacing": "None",
          "text": "Fix: Allow backup:CopyIntoBackupVault for this account in the destination vault access policy.",
          "type": "TextBlock",
          "wrap": true,
        },
        {
          "separator": true,
          "spacing": "Medium",
          "text": "Failed jobs (10)",
          "type": "TextBlock",
          "weight": "Bolder",
          "wrap": true,
        },
        {
          "spacing": "None",
          "text": "- [b-0001](https://eu-west-1.console.aws.amazon.com/backup/home?region=eu-west-1#/jobs/backup/details/b-0001) FAILED backup, EBS vol-00000000000000001 (vault Default, eu-west-1, 2026-11-24 02:00 UTC): Access denied to the KMS key arn:aws:kms:eu-west-1:111122223333:key/1234",
          "type": "TextBlock",
          "wrap": true,
        },
        {
          "spacing": "None",
          "text": "- [b-0002](https://eu-west-1.console.aws.amazon.com/backup/home?region=eu-west-1#/jobs/backup/details/b-0002) FAILED backup, EBS vol-00000000000000002 (vault Default, eu-west-1, 2026-11-24 02:00 UTC): Access denied to the KMS key arn:aws:kms:eu-west-1:111122223333:key/1234",
          "type": "TextBlock",
          "wrap": true,
        },
        {
          "spacing": "None",
          "text": "- [b-0003](https://eu-west-1.console.aws.amazon.com/backup/home?region=eu-west-1#/jobs/backup/details/b-0003) FAILED backup, EBS vol-00000000000000003 (vault Default, eu-west-1, 2026-11-24 02:00 UTC): Access denied to the KMS key arn:aws:kms:eu-west-1:111122223333:key/1234",
          "type": "TextBlock",
          "wrap": true,
        },
        {
          "spacing": "None",
          "text": "- [b-0004](https://eu-west-1.console.aws.amazon.com/backup/home?region=eu-west-1#/jobs/backup/details/b-0004) FAILED backup, EBS vol-00000000000000004 (vault Default, eu-west-1, 2026-11-24 02:00 UTC): Access denied to the KMS key arn:aws:kms:eu-west-1:111122223333:key/1234",
          "type": "TextBlock",
          "wrap": true,
        },
        {
          "spacing": "None",
          "text": "- [b-0005](https://eu-west-1.console.aws.amazon.com/backup/home?region=eu-west-1#/jobs/backup/details/b-0005) FAILED backup, EBS vol-00000000000000005 (vault Default, eu-west-1, 2026-11-24 02:00 UTC): Access denied to the KMS key arn:aws:kms:eu-west-1:111122223333:key/1234",
          "type": "TextBlock",
          "wrap": true,
        },
        {
          "spacing": "None",
          "text": "- [b-0006](https://eu-west-1.console.aws.amazon.com/backup/home?region=eu-west-1#/jobs/backup/details/b-0006) FAILED backup, EBS vol-00000000000000006 (vault Default, eu-west-1, 2026-11-24 02:00 UTC): Access denied to the KMS key arn:aws:kms:eu-west-1:111122223333:key/1234",
          "type": "TextBlock",
          "wrap": true,
        },
        {
          "spacing": "None",
          "text": "- [b-0007](https://eu-west-1.console.aws.amazon.com/backup/home?region=eu-west-1#/jobs/backup/details/b-0007) EXPIRED backup, EBS vol-00000000000000007 (vault Default, eu-west-1, 2026-11-24 02:00 UTC)",
          "type": "TextBlock",
          "wrap": true,
        },
        {
          "spacing": "None",
          "text": "- [b-0008](https://eu-west-1.console.aws.amazon.com/backup/home?region=eu-west-1#/jobs/backup/details/b-0008) EXPIRED backup, EBS vol-00000000000000008 (vault Default, eu-west-1, 2026-11-24 02:00 UTC)",
          "type": "TextBlock",
          "wrap": true,
        },
        {
          "spacing": "None",
          "text": "- [b-0009](https://eu-west-1.console.aws.amazon.com/backup/home?region=eu-west-1#/jobs/backup/details/b-0009) ABORTED backup, RDS db:orders-9 (vault Default, eu-west-1, 2026-11-24 02:00 UTC): Aborted by user",
          "type": "TextBlock",
          "wrap": true,
        },
        {
          "spacing": "None",
          "text": "- [c-0010](https://eu-west-1.console.aws.amazon.com/backup/home?region=eu-west-1#/jobs/copy/details/c-0010) FAILED copy, EBS vol-00000000000000010 (vault Default, eu-west-1, 2026-11-24 02:00 UTC): Insufficient privileges to perform this action on the destination vault",
          "type": "TextBlock",
          "wrap": true,
        },
        {
          "separator": true,
          "spacing": "Medium",
          "text": "Backups that never ran (2)",
          "type": "TextBlock",
          "weight": "Bolder",
          "wrap": true,
        },
        {
          "isSubtle": true,
          "spacing": "None",
          "text": "Backed up in the previous window, no job at all in this one.",
          "type": "TextBlock",
          "wrap": true,
        },
        {
          "spacing": "None",
          "text": "- [RDS db:orders-1](https://eu-west-1.console.aws.amazon.com/backup/home?region=eu-west-1#/resources/1) (eu-west-1): last backup 2026-11-23 02:00 UTC",
          "type": "TextBlock",
          "wrap": true,
        },
        {
          "spacing": "None",
          "text": "- [RDS db:orders-2](https://eu-west-1.console.aws.amazon.com/backup/home?region=eu-west-1#/resources/2) (eu-west-1): last backup 2026-11-23 02:00 UTC",
          "type": "TextBlock",
          "wrap": true,
        },
        {
          "separator": true,
          "spacing": "Medium",
          "text": "Copy coverage: 80% (8 of 10 recovery points copied)",
          "type": "TextBlock",
          "weight": "Bolder",
          "wrap": true,
        },
        {
          "spacing": "None",
          "text": "- not copied: EBS vol-00000000000000101 (eu-west-1, vault Default)",
          "type": "TextBlock",
          "wrap": true,
        },
        {
          "spacing": "None",
          "text": "- not copied: EBS vol-00000000000000102 (eu-west-1, vault Default)",
          "type": "TextBlock",
          "wrap": true,
        },
        {
          "separator": true,
          "spacing": "Medium",
          "text": "Totals",
          "type": "TextBlock",
          "weight": "Bolder",
          "wrap": true,
        },
        {
          "facts": [
            {
              "title": "Backups",
              "value": "50 backups: 6 failed, 2 expired, 1 aborted, 1 running, 40 completed (3 with issues), 2.0 GiB",
            },
            {
              "title": "Copies",
              "value": "9 copies: 1 failed, 8 completed, 1.0 GiB",
            },
            {
              "title": "Restores",
              "value": "2 restores: 2 completed, 5.0 MiB",
            },
          ],
          "type": "FactSet",
        },
        {
          "isSubtle": true,
          "size": "Small",
          "spacing": "None",
          "text": "This toolkit: 3 retries started (2 succeeded, 1 failed), 1 scheduled, 1 gave up, 2 alerted; 9 copies started, 1 refused by AWS Backup",
          "type": "TextBlock",
          "wrap": true,
        },
        {
          "isSubtle": true,
          "size": "Small",
          "spacing": "None",
          "text": "Previous 24 h: 50 backups (was 42), 9 failed (was 0); 9 copies (was 10), 1 failed (was 0); 2 restores (was 0), 0 failed (was 0)",
          "type": "TextBlock",
          "wrap": true,
        },
        {
          "isSubtle": true,
          "size": "Small",
          "spacing": "None",
          "text": "Failed backup jobs per day, 2026-11-10 to 2026-11-23: 0 0 1 0 0 0 0 0 2 0 0 0 0 9",
          "type": "TextBlock",
          "wrap": true,
        },
        {
          "isSubtle": true,
          "size": "Small",
          "spacing": "None",
          "text": "AWS Backup job summaries (a daily aggregate) up to 00:00 UTC 2026-11-24; jobs since then are not included",
          "type": "TextBlock",
          "wrap": true,
        },
      ]
    `);
  });

  it('renders an incomplete day with what is missing', () => {
    expect(renderTeams(incompleteReport()).attachments[0].content.body).toMatchInlineSnapshot(`
      [
        {
          "color": "Warning",
          "size": "Medium",
          "text": "Incomplete summary (could not read copy jobs (ListCopyJobs) in us-east-1): nothing wrong in what could be listed",
          "type": "TextBlock",
          "weight": "Bolder",
          "wrap": true,
        },
        {
          "isSubtle": true,
          "spacing": "None",
          "text": "24 h to 2026-11-24 08:00 UTC · organization (from 111122223333), eu-west-1, us-east-1",
          "type": "TextBlock",
          "wrap": true,
        },
        {
          "color": "Warning",
          "separator": true,
          "text": "Missing from this summary",
          "type": "TextBlock",
          "weight": "Bolder",
          "wrap": true,
        },
        {
          "spacing": "None",
          "text": "- copy jobs (ListCopyJobs) in us-east-1: User is not authorized to perform: backup:ListCopyJobs (AccessDeniedException)",
          "type": "TextBlock",
          "wrap": true,
        },
        {
          "separator": true,
          "spacing": "Medium",
          "text": "Totals",
          "type": "TextBlock",
          "weight": "Bolder",
          "wrap": true,
        },
        {
          "facts": [
            {
              "title": "Backups",
              "value": "42 backups: 42 completed, 3.0 GiB, organization-wide",
            },
            {
              "title": "Copies",
              "value": "4 copies: 4 completed, this account only",
            },
            {
              "title": "Restores",
              "value": "2 restores: 2 completed, 5.0 MiB, this account only",
            },
          ],
          "type": "FactSet",
        },
      ]
    `);
  });

  it('shrinks its lists until a huge report fits a Teams message', () => {
    const message = renderTeams(hugeReport(500), { maxItems: 200 });
    expect(Buffer.byteLength(JSON.stringify(message))).toBeLessThanOrEqual(TEAMS_MAX_BYTES);
    const texts = message.attachments[0].content.body.flatMap((e) => (e.type === 'TextBlock' ? [e.text] : []));
    expect(texts.some((t) => /^and \d+ more$/.test(t))).toBe(true);
  });
});

describe('renderJson', () => {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
  ajv.addFormat('date', /^\d{4}-\d{2}-\d{2}$/);
  const validate = ajv.compile(schema);

  it.each([
    { day: 'all-green', report: allGreenReport() },
    { day: 'bad', report: badDayReport() },
    { day: 'incomplete', report: incompleteReport() },
    { day: 'huge', report: hugeReport(20) },
  ])('publishes a $day day as the report itself, valid against the schema', ({ report }) => {
    const json = JSON.parse(renderJson(report)) as unknown;
    expect(json).toEqual(JSON.parse(JSON.stringify(report)));
    expect(validate(json), ajv.errorsText(validate.errors)).toBe(true);
  });

  it('keeps the report as is, schemaVersion first', () => {
    expect(renderJson(incompleteReport()).slice(0, 60)).toMatchInlineSnapshot(
      `"{"schemaVersion":"1.0","generatedAt":"2026-11-24T08:00:05.00"`,
    );
  });

  it.each([
    {
      broken: 'a missing field',
      edit: (r: Record<string, unknown>) => delete r.copyCoverage,
      error: "must have required property 'copyCoverage'",
    },
    {
      broken: 'a renamed field',
      edit: (r: Record<string, unknown>) => {
        r.silentMiss = r.silentMisses;
        delete r.silentMisses;
      },
      error: 'must NOT have additional properties',
    },
    {
      broken: 'another version',
      edit: (r: Record<string, unknown>) => {
        r.schemaVersion = '2.0';
      },
      error: 'must be equal to constant',
    },
    {
      broken: 'a negative count',
      edit: (r: Record<string, unknown>) => {
        (r.backup as Record<string, unknown>).total = -1;
      },
      error: 'must be >= 0',
    },
    {
      broken: 'a ratio above 1',
      edit: (r: Record<string, unknown>) => {
        (r.copyCoverage as Record<string, unknown>).ratio = 1.5;
      },
      error: 'must be <= 1',
    },
    {
      broken: 'a bad time',
      edit: (r: Record<string, unknown>) => {
        r.generatedAt = 'yesterday';
      },
      error: 'must match format "date-time"',
    },
  ])('rejects a report with $broken', ({ edit, error }) => {
    const json = JSON.parse(renderJson(badDayReport())) as Record<string, unknown>;
    edit(json);
    expect(validate(json)).toBe(false);
    expect(ajv.errorsText(validate.errors)).toContain(error);
  });
});
