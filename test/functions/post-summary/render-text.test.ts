import { describe, expect, it } from 'vitest';
import { SNS_MAX_BYTES } from '../../../functions/post-summary/fit-sns.js';
import { renderText, shrinkToFit } from '../../../functions/post-summary/render-text.js';
import {
  allGreenReport,
  aProblemJob,
  badDayReport,
  hugeReport,
  incompleteReport,
  plansUnreadableReport,
} from './report-fixtures.js';

describe('renderText', () => {
  it('says an all-green day in one line', () => {
    const { subject, body } = renderText(allGreenReport());
    expect(body.trim().split('\n')).toHaveLength(1);
    expect(body).toContain('42 backups, 10 copies and 2 restores');
    expect(subject).toBe('Backups 2026-11-24 [111122223333 eu-west-1]: all clear');
    expect(body).toMatchInlineSnapshot(
      `"All clear: 42 backups, 10 copies and 2 restores, none failed, in the 24 h to 2026-11-24 08:00 UTC (account 111122223333, eu-west-1)."`,
    );
  });

  it('puts the failures and their remedies first on a bad day', () => {
    const { subject, body } = renderText(badDayReport());
    expect(subject).toBe(
      'Backups 2026-11-24 [111122223333 eu-west-1]: 10 failed, 2 missed, 2 not copied, 3 with issues',
    );
    expect(subject.length).toBeLessThan(100);
    const at = (text: string): number => body.indexOf(text);
    expect(at('Needs attention')).toBe(0);
    expect(at('WHAT FAILED AND WHAT TO DO')).toBeLessThan(at('FAILED JOBS (10)'));
    expect(at('FAILED JOBS (10)')).toBeLessThan(at('BACKUPS THAT NEVER RAN (2)'));
    expect(at('BACKUPS THAT NEVER RAN (2)')).toBeLessThan(at('TOTALS'));
    expect(body).toContain(
      "Fix: Allow the backup role kms:Decrypt and kms:CreateGrant in the key's policy, then retry.",
    );
    expect(body).toContain('Copy coverage: 80% (8 of 10 recovery points copied)');
    expect(body).toMatchInlineSnapshot(`
      "Needs attention: 10 jobs failed, 2 backups never ran, 2 recovery points not copied, 3 backups completed with issues
      24 h to 2026-11-24 08:00 UTC · account 111122223333, eu-west-1

      WHAT FAILED AND WHAT TO DO
      1. access-denied: 6 (backup)
         Cause: The backup role cannot use the KMS key of the resource.
         Fix: Allow the backup role kms:Decrypt and kms:CreateGrant in the key's policy, then retry.
         AWS said: Access denied to the KMS key arn:aws:kms:eu-west-1:111122223333:key/1234
      2. window-expired: 2 (backup), retryable
         Cause: The job did not start within its start window.
         Fix: Lengthen the start window or move the plan away from busy hours.
      3. copy-vault-access: 1 (copy)
         Cause: The destination vault refused the copy.
         Fix: Allow backup:CopyIntoBackupVault for this account in the destination vault access policy.

      FAILED JOBS (10)
      - FAILED backup: EBS vol-00000000000000001, vault Default, eu-west-1, 2026-11-24 02:00 UTC
        Access denied to the KMS key arn:aws:kms:eu-west-1:111122223333:key/1234
        https://eu-west-1.console.aws.amazon.com/backup/home?region=eu-west-1#/jobs/backup/details/b-0001
      - FAILED backup: EBS vol-00000000000000002, vault Default, eu-west-1, 2026-11-24 02:00 UTC
        Access denied to the KMS key arn:aws:kms:eu-west-1:111122223333:key/1234
        https://eu-west-1.console.aws.amazon.com/backup/home?region=eu-west-1#/jobs/backup/details/b-0002
      - FAILED backup: EBS vol-00000000000000003, vault Default, eu-west-1, 2026-11-24 02:00 UTC
        Access denied to the KMS key arn:aws:kms:eu-west-1:111122223333:key/1234
        https://eu-west-1.console.aws.amazon.com/backup/home?region=eu-west-1#/jobs/backup/details/b-0003
      - FAILED backup: EBS vol-00000000000000004, vault Default, eu-west-1, 2026-11-24 02:00 UTC
        Access denied to the KMS key arn:aws:kms:eu-west-1:111122223333:key/1234
        https://eu-west-1.console.aws.amazon.com/backup/home?region=eu-west-1#/jobs/backup/details/b-0004
      - FAILED backup: EBS vol-00000000000000005, vault Default, eu-west-1, 2026-11-24 02:00 UTC
        Access denied to the KMS key arn:aws:kms:eu-west-1:111122223333:key/1234
        https://eu-west-1.console.aws.amazon.com/backup/home?region=eu-west-1#/jobs/backup/details/b-0005
      - FAILED backup: EBS vol-00000000000000006, vault Default, eu-west-1, 2026-11-24 02:00 UTC
        Access denied to the KMS key arn:aws:kms:eu-west-1:111122223333:key/1234
        https://eu-west-1.console.aws.amazon.com/backup/home?region=eu-west-1#/jobs/backup/details/b-0006
      - EXPIRED backup: EBS vol-00000000000000007, vault Default, eu-west-1, 2026-11-24 02:00 UTC
        https://eu-west-1.console.aws.amazon.com/backup/home?region=eu-west-1#/jobs/backup/details/b-0007
      - EXPIRED backup: EBS vol-00000000000000008, vault Default, eu-west-1, 2026-11-24 02:00 UTC
        https://eu-west-1.console.aws.amazon.com/backup/home?region=eu-west-1#/jobs/backup/details/b-0008
      - ABORTED backup: RDS db:orders-9, vault Default, eu-west-1, 2026-11-24 02:00 UTC
        Aborted by user
        https://eu-west-1.console.aws.amazon.com/backup/home?region=eu-west-1#/jobs/backup/details/b-0009
      - FAILED copy: EBS vol-00000000000000010, vault Default, eu-west-1, 2026-11-24 02:00 UTC
        Insufficient privileges to perform this action on the destination vault
        https://eu-west-1.console.aws.amazon.com/backup/home?region=eu-west-1#/jobs/copy/details/c-0010

      BACKUPS THAT NEVER RAN (2)
      Backed up in the previous window, no job at all in this one:
      - RDS db:orders-1, eu-west-1, vault Default: last backup 2026-11-23 02:00 UTC
        https://eu-west-1.console.aws.amazon.com/backup/home?region=eu-west-1#/resources/1
      - RDS db:orders-2, eu-west-1, vault Default: last backup 2026-11-23 02:00 UTC
        https://eu-west-1.console.aws.amazon.com/backup/home?region=eu-west-1#/resources/2

      COPIES
      Copy coverage: 80% (8 of 10 recovery points copied)
      - not copied: EBS vol-00000000000000101, eu-west-1, vault Default
      - not copied: EBS vol-00000000000000102, eu-west-1, vault Default

      TOTALS
      50 backups: 6 failed, 2 expired, 1 aborted, 1 running, 40 completed (3 with issues), 2.0 GiB
      9 copies: 1 failed, 8 completed, 1.0 GiB
      2 restores: 2 completed, 5.0 MiB

      CONTEXT
      This toolkit: 3 retries started (2 succeeded, 1 failed), 1 scheduled, 1 gave up, 2 alerted; 9 copies started, 1 refused by AWS Backup
      Previous 24 h: 50 backups (was 42), 9 failed (was 0); 9 copies (was 10), 1 failed (was 0); 2 restores (was 0), 0 failed (was 0)
      Failed backup jobs per day, 2026-11-10 to 2026-11-23: 0 0 1 0 0 0 0 0 2 0 0 0 0 9
      (AWS Backup job summaries (a daily aggregate) up to 00:00 UTC 2026-11-24; jobs since then are not included)
      "
    `);
  });

  it('names what is missing from an incomplete summary', () => {
    const { subject, body } = renderText(incompleteReport());
    expect(subject).toMatch(/^INCOMPLETE backups 2026-11-24 \[111122223333 2 Regions\]: no failures listed$/);
    expect(body.split('\n')[0]).toContain('could not read copy jobs (ListCopyJobs) in us-east-1');
    expect(body).toContain('MISSING FROM THIS SUMMARY');
    expect(body).toContain('42 backups: 42 completed, 3.0 GiB, organization-wide');
    expect(body).toContain('4 copies: 4 completed, this account only');
    expect(body).toMatchInlineSnapshot(`
      "Incomplete summary (could not read copy jobs (ListCopyJobs) in us-east-1): nothing wrong in what could be listed
      24 h to 2026-11-24 08:00 UTC · organization (from 111122223333), eu-west-1, us-east-1

      MISSING FROM THIS SUMMARY
      - copy jobs (ListCopyJobs) in us-east-1: User is not authorized to perform: backup:ListCopyJobs (AccessDeniedException)

      TOTALS
      42 backups: 42 completed, 3.0 GiB, organization-wide
      4 copies: 4 completed, this account only
      2 restores: 2 completed, 5.0 MiB, this account only
      "
    `);
  });

  it('caps the missing parts like its other lists, in the headline and in their section', () => {
    // GetBackupPlan refused for 100 plans in each of 24 Regions: 2,400 parts, one per plan. Listed in
    // full (twice: headline and section) the email was over 1 MB, four times what SNS publishes.
    const { body } = renderText(plansUnreadableReport(100), { maxItems: 10 });
    const lines = body.split('\n');
    expect(lines[0]).toMatch(
      /^Incomplete summary \(could not read backup plan prod-workloads-daily-0 .*; and 2397 more\): /,
    );
    const section = lines.slice(lines.indexOf('MISSING FROM THIS SUMMARY') + 1, lines.indexOf('TOTALS') - 1);
    expect(section).toHaveLength(11);
    expect(section.at(-1)).toBe('- and 2390 more');
    expect(Buffer.byteLength(body)).toBeLessThan(SNS_MAX_BYTES);
  });

  it.each([
    { maxItems: 3, shownJobs: 3 },
    { maxItems: 10, shownJobs: 10 },
  ])('caps lists at $maxItems with "and N more"', ({ maxItems, shownJobs }) => {
    const report = hugeReport(40);
    const { body } = renderText(report, { maxItems });
    const failedJobs = body.split('FAILED JOBS')[1]?.split('BACKUPS THAT NEVER RAN')[0] ?? '';
    expect(failedJobs.match(/^- FAILED backup/gm)).toHaveLength(shownJobs);
    expect(failedJobs).toContain(`- and ${40 - shownJobs + 400} more`);
    expect(body).toContain(`- and ${40 - maxItems} more reasons`);
  });

  it('names the plan and rule of a failed job when its record did', () => {
    // Prepare
    const report = badDayReport();
    const named = {
      ...report,
      problemJobs: { items: [aProblemJob(1, { planName: 'daily-prod', ruleName: 'nightly' })], more: 0 },
    };
    // Act
    const { body } = renderText(named);
    // Assess
    expect(body).toContain(
      '- FAILED backup: EBS vol-00000000000000001, vault Default, plan daily-prod, rule nightly, eu-west-1',
    );
  });
});

describe('shrinkToFit', () => {
  it('halves the items a list until the rendering fits, down to one, and renders a fitting one once', () => {
    const tried: number[] = [];
    const render = (max: number) => {
      tried.push(max);
      return max;
    };
    expect(shrinkToFit(undefined, render, (max) => max <= 3)).toBe(2);
    expect(tried).toEqual([10, 5, 2]);
    tried.length = 0;
    expect(shrinkToFit(40, render, () => false)).toBe(1);
    expect(tried).toEqual([40, 20, 10, 5, 2, 1]);
    tried.length = 0;
    expect(shrinkToFit(7, render, () => true)).toBe(7);
    expect(tried).toEqual([7]);
  });
});
