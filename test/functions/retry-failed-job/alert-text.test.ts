import { describe, expect, it } from 'vitest';
import { alertFor } from '../../../functions/retry-failed-job/alert-text.js';
import { aFailedCopyJob, aFailedJob, COPY_DESTINATION, someFacts } from './builders.js';

describe('alertFor', () => {
  it('writes a backup alert a person can act on from a phone: what, why, what to do, where', () => {
    const { job, diagnosis } = someFacts();
    const alert = alertFor(job, diagnosis, 'retries exhausted', 3);
    expect(alert.subject).toBe(
      '[backup-autopilot] 111122223333 vol-0b5ae24f2ee72d926: backup EXPIRED, retries exhausted (job-already-running)',
    );
    expect(alert.body).toMatchInlineSnapshot(`
      "Backup of arn:aws:ec2:us-east-1:111122223333:volume/vol-0b5ae24f2ee72d926 expired: backup-autopilot has used up its retries.

      Cause: Another backup or copy job was running for the same resource; AWS Backup runs one at a time.
      What to do: Nothing to fix for one occurrence: retry after the running job ends. If it recurs, two plans or rules target the resource at overlapping times: space their backup windows (Backup plans > the plan > rule > Backup window).

      AWS said: Backup job failed because there was a running job for the same resource.
      Diagnosis: job-already-running (retryable)
      Account: 111122223333   Region: us-east-1
      Vault: prod-daily
      Resource type: EBS
      Retries made by backup-autopilot: 3
      Job: job-1

      Open the job: https://us-east-1.console.aws.amazon.com/backup/home?region=us-east-1#/jobs/backup/details/job-1
      Open the resource: https://us-east-1.console.aws.amazon.com/backup/home?region=us-east-1#/resources/arn%3Aaws%3Aec2%3Aus-east-1%3A111122223333%3Avolume%2Fvol-0b5ae24f2ee72d926"
    `);
  });

  it('says what happened in the words of each outcome', () => {
    const { job, diagnosis } = someFacts({ job: aFailedJob({ state: 'FAILED' }) });
    const firstLine = (what: Parameters<typeof alertFor>[2]) => alertFor(job, diagnosis, what, 0).body.split('\n')[0];
    expect(firstLine('not retried')).toBe(
      `Backup of ${job.resourceArn} failed: a retry cannot help, so backup-autopilot did not retry it.`,
    );
    expect(firstLine('retry could not start')).toBe(
      `Backup of ${job.resourceArn} failed: AWS Backup refused the retry.`,
    );
  });

  it("names the plan and rule that created the job, from the record's CreatedBy (ids when AWS sent no names)", () => {
    // Prepare
    const named = someFacts({
      job: aFailedJob({ plan: { planId: 'plan-1', ruleId: 'rule-1', planName: 'daily-prod', ruleName: 'nightly' } }),
    });
    const unnamed = someFacts({ job: aFailedJob({ plan: { planId: 'plan-1', ruleId: 'rule-1' } }) });
    // Act
    const withNames = alertFor(named.job, named.diagnosis, 'not retried', 0).body;
    const withIds = alertFor(unnamed.job, unnamed.diagnosis, 'not retried', 0).body;
    // Assess
    expect(withNames).toContain('Created by: plan daily-prod, rule nightly');
    expect(withIds).toContain('Created by: plan plan-1, rule rule-1');
    expect(alertFor(someFacts().job, someFacts().diagnosis, 'not retried', 0).body).not.toContain('Created by:');
  });

  it('names the destination of a copy and links the copy job', () => {
    const { job, diagnosis } = someFacts({ job: aFailedCopyJob() });
    const alert = alertFor(job, diagnosis, 'not retried', 0);
    expect(alert.subject).toMatch(
      /^\[backup-autopilot\] 111122223333 vol-0b5ae24f2ee72d926: copy FAILED, not retried \(/,
    );
    expect(alert.body).toContain(`Destination: ${COPY_DESTINATION}`);
    expect(alert.body).toContain(
      'Open the job: https://us-east-1.console.aws.amazon.com/backup/home?region=us-east-1#/jobs/copy/details/copy-1',
    );
    expect(alert.attributes).toEqual({
      kind: 'alert',
      category: diagnosis.category,
      account: '111122223333',
      jobKind: 'copy',
    });
  });

  it('leaves out what AWS did not say, and says when the resource type is unknown', () => {
    const { job, diagnosis } = someFacts({ job: aFailedJob({ statusMessage: undefined, resourceType: undefined }) });
    const { body } = alertFor(job, diagnosis, 'not retried', 0);
    expect(body).not.toContain('AWS said:');
    expect(body).not.toContain('Destination:');
    expect(body).toContain('Resource type: unknown');
  });

  it.each([
    ['arn:aws:rds:us-east-1:111122223333:db:orders', 'orders'],
    ['arn:aws:s3:::my-bucket', 'my-bucket'],
    ['arn:aws:dynamodb:us-east-1:111122223333:table/Orders', 'Orders'],
  ])('names %s as %s in the subject', (resourceArn, name) => {
    const { job, diagnosis } = someFacts({ job: aFailedJob({ resourceArn }) });
    expect(alertFor(job, diagnosis, 'not retried', 0).subject).toContain(`111122223333 ${name}: backup`);
  });
});
