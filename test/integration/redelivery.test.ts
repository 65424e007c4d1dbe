import { describe, expect, it } from 'vitest';
import type { Sandbox } from '../../sandbox/sandbox.js';
import {
  backupJobsOf,
  callsAbout,
  detailOf,
  failStartsOf,
  HOUR,
  inputOf,
  invocationsAbout,
  publishedAbout,
  RETRY,
  sandboxPerFile,
  seedFailedBackup,
} from './support.js';

/** The SDK's attempts per call (shared/clients.ts SDK_RETRY): a fault this many times reaches the function. */
const SDK_ATTEMPTS = 6;

const sandbox = sandboxPerFile();

/** The DynamoDB JSON of a write, loosely. */
type WriteInput = {
  Key?: { pk?: { S?: string } };
  Item?: { pk?: { S?: string } };
  ExpressionAttributeValues?: Record<string, { S?: string; N?: string }>;
};

/** The retry function's ledger items, as DynamoDB holds them now. */
const ledgerItems = (sb: Sandbox) => sb.dynamo.scan(sb.environmentFor(RETRY).LEDGER_TABLE_NAME ?? '');

/** The retry record of the logical backup whose original failed job is `jobId`. */
const recordOf = async (sb: Sandbox, jobId: string) =>
  (await ledgerItems(sb)).find((i) => String(i.pk).startsWith('retry#') && i.originalJobId === jobId);

describe('a delivery that comes again after part of the work was done', () => {
  it('AWS refuses the retry for good and the alert fails to publish once: the redelivery sends the one alert', async () => {
    const sb = sandbox();
    const seeded = seedFailedBackup(sb, 'redelivery-0001');
    // Every time it is asked, as AWS would: the SDK may repeat a refused call once within the
    // invocation when the answer's Date header makes it correct its clock (the sandbox's clock jumps).
    failStartsOf(
      sb,
      seeded.arn,
      {
        kind: 'refuse',
        code: 'AccessDeniedException',
        message: 'User is not authorized to perform: backup:StartBackupJob',
        status: 403,
      },
      SDK_ATTEMPTS,
    );
    // The first "could not start" alert fails on every SDK attempt of its one Publish.
    sb.faults.add({
      service: 'sns',
      operation: 'Publish',
      fault: { kind: 'server-error' },
      times: SDK_ATTEMPTS,
      when: (input) => JSON.stringify(input).includes(seeded.arn),
    });
    await sb.runUntil(sb.clock.ms() + 3 * HOUR);

    // AWS refused the one Start, sent by one invocation; the redelivery never sent it again.
    const starts = callsAbout(sb, 'StartBackupJob', seeded.arn);
    expect(new Set(starts.map((c) => c.status))).toEqual(new Set([403]));
    expect(new Set(starts.map((c) => `${c.at} ${c.container} ${inputOf(c).IdempotencyToken}`)).size).toBe(1);
    const attempts = invocationsAbout(sb, seeded.jobId).filter((i) => i.trigger.startsWith('scheduler:'));
    expect(attempts.map((i) => i.outcome.ok)).toEqual([false, true]);
    expect(attempts[1]?.outcome).toMatchObject({ ok: true, result: { result: 'start-failed', alerted: true } });
    const alerts = publishedAbout(sb, seeded.arn);
    expect(alerts).toHaveLength(1);
    // What AWS said, as the redelivery read it back from the refused attempt's item.
    expect(JSON.stringify(alerts[0])).toContain('User is not authorized to perform: backup:StartBackupJob');
    expect((await recordOf(sb, seeded.jobId))?.status).toBe('alerted');
  }, 60_000);

  it('the record of an alert already sent stays `alerted` when a redelivery finds the alert sent', async () => {
    const sb = sandbox();
    const seeded = seedFailedBackup(sb, 'redelivery-0002', {
      message: 'Insufficient privileges to perform this action.',
    });
    // Recording the alerted status fails after the alert went out: Lambda's retry comes again.
    sb.faults.add({
      service: 'dynamodb',
      operation: 'UpdateItem',
      fault: { kind: 'server-error' },
      times: SDK_ATTEMPTS,
      when: (input) => (input as WriteInput).ExpressionAttributeValues?.[':s']?.S === 'alerted',
    });
    await sb.runUntil(sb.clock.ms() + 2 * HOUR);

    const runs = invocationsAbout(sb, seeded.jobId).filter((i) => i.function === RETRY && i.trigger !== 'direct');
    expect(runs.slice(0, 2).map((i) => i.outcome.ok)).toEqual([false, true]);
    expect(publishedAbout(sb, seeded.arn)).toHaveLength(1);
    expect((await recordOf(sb, seeded.jobId))?.status).toBe('alerted');
  }, 60_000);

  it('a container killed after AWS accepted the retry, before the record counted it: the chain keeps one attempt count', async () => {
    const sb = sandbox();
    // Every retry fails too: each failure of a started job must continue the same chain.
    const seeded = seedFailedBackup(sb, 'redelivery-0003', { retries: 'FAILED' });
    // The attempt item is settled with the new job id; the next write (counting it) kills the container.
    sb.faults.add({
      service: 'dynamodb',
      operation: 'UpdateItem',
      fault: { kind: 'crash-caller' },
      times: 1,
      when: (input) => (input as WriteInput).ExpressionAttributeValues?.[':s']?.S === 'started',
    });
    await sb.runUntil(sb.clock.ms() + 12 * HOUR);

    // RETRY_MAX_ATTEMPTS (3): the original and three retries, then one "retries exhausted" alert.
    const jobs = backupJobsOf(sb, seeded.arn);
    expect(jobs.map((j) => j.State)).toEqual(['FAILED', 'FAILED', 'FAILED', 'FAILED']);
    const record = await recordOf(sb, seeded.jobId);
    expect(record?.attempts).toBe(3);
    expect(record?.startedJobIds).toEqual(jobs.slice(1).map((j) => j.BackupJobId));
    expect(record?.status).toBe('exhausted');
    expect(publishedAbout(sb, seeded.arn)).toHaveLength(1);
    expect(sb.faults.fired.filter((f) => f.service === 'dynamodb' && f.kind === 'crash-caller')).toHaveLength(1);
  }, 60_000);

  it('the sweep killed while handling a job whose event was lost: a later sweep still handles the job', async () => {
    const sb = sandbox();
    const seeded = seedFailedBackup(sb, 'redelivery-0004');
    sb.bus.lose((event) => detailOf(event).resourceArn === seeded.arn);
    // The sweep's handling of the job claims it, then dies describing it; the claim keeps its lease.
    sb.faults.add({
      service: 'backup',
      operation: 'DescribeBackupJob',
      fault: { kind: 'crash-caller' },
      times: 1,
      when: (input) => (input as { BackupJobId?: string }).BackupJobId === seeded.jobId,
    });
    await sb.runUntil(sb.clock.ms() + 4 * HOUR);

    expect(sb.faults.fired.filter((f) => f.operation === 'DescribeBackupJob')).toHaveLength(1);
    // The job was retried once all the same.
    expect(callsAbout(sb, 'StartBackupJob', seeded.arn).map((c) => c.status)).toEqual([200]);
    expect(backupJobsOf(sb, seeded.arn).map((j) => j.State)).toEqual(['FAILED', 'COMPLETED']);
  }, 60_000);
});
