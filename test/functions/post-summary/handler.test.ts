import {
  BackupClient,
  ListBackupJobSummariesCommand,
  ListBackupJobsCommand,
  ListBackupPlansCommand,
  ListCopyJobsCommand,
  ListRestoreJobsCommand,
  ListScanJobsCommand,
} from '@aws-sdk/client-backup';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import scheduled from '../../../events/post-summary.scheduled.json' with { type: 'json' };
import windowHours from '../../../events/post-summary.window-hours.json' with { type: 'json' };
import { aContext } from '../../fixtures/context.js';

const TOPIC = 'arn:aws:sns:us-east-1:111122223333:backup-autopilot';
// The module reads its settings at import: set them first (vi.hoisted runs before the imports below).
vi.hoisted(() => {
  process.env.NOTIFY_TOPIC_ARN = 'arn:aws:sns:us-east-1:111122223333:backup-autopilot';
  process.env.SUMMARY_REGIONS = 'us-east-1';
  process.env.SUMMARY_CHANNELS = 'sns,json';
  process.env.DRY_RUN = 'false';
  process.env.LEDGER_TABLE_NAME = '';
});
const { handler } = await import('../../../functions/post-summary/handler.js');

const backup = mockClient(BackupClient);
const sns = mockClient(SNSClient);
const NOW = new Date('2026-11-24T08:00:05.000Z');
const HOUR = 3_600_000;

const job = (id: string, state: string, hoursAgo: number) => ({
  AccountId: '111122223333',
  BackupJobId: id,
  BackupVaultName: 'Default',
  BackupVaultArn: 'arn:aws:backup:us-east-1:111122223333:backup-vault:Default',
  RecoveryPointArn: `arn:aws:ec2:us-east-1::snapshot/snap-${id}`,
  ResourceArn: `arn:aws:ec2:us-east-1:111122223333:volume/vol-${id}`,
  ResourceType: 'EBS',
  CreationDate: new Date(NOW.getTime() - hoursAgo * HOUR),
  State: state as 'COMPLETED',
  MessageCategory: state === 'COMPLETED' ? 'SUCCESS' : 'ACCESS_DENIED',
  StatusMessage: state === 'FAILED' ? 'Access denied to the KMS key' : undefined,
  BackupSizeInBytes: 1024,
});

beforeAll(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});
afterAll(() => vi.useRealTimers());
beforeEach(() => {
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
  // This window: one completed, one failed backup; the previous window backed up the same two volumes.
  backup.on(ListBackupJobsCommand).callsFake((input: { ByCreatedAfter?: Date }) => {
    const previous = (input.ByCreatedAfter?.getTime() ?? 0) < NOW.getTime() - 25 * HOUR;
    return {
      BackupJobs: previous
        ? [job('0001', 'COMPLETED', 30), job('0002', 'COMPLETED', 30)]
        : [job('0001', 'COMPLETED', 2), job('0002', 'FAILED', 2)],
    };
  });
  backup.on(ListCopyJobsCommand).resolves({ CopyJobs: [] });
  backup.on(ListRestoreJobsCommand).resolves({ RestoreJobs: [] });
  backup.on(ListScanJobsCommand).resolves({ ScanJobs: [] });
  backup.on(ListBackupJobSummariesCommand).resolves({ BackupJobSummaries: [] });
  backup.on(ListBackupPlansCommand).resolves({ BackupPlansList: [] });
});
afterEach(() => {
  backup.reset();
  sns.reset();
});

const published = (format: 'text' | 'json') =>
  sns.commandCalls(PublishCommand).find((c) => c.args[0].input.MessageAttributes?.format?.StringValue === format)
    ?.args[0].input;

describe('post-summary handler', () => {
  it('summarises the scheduled window and publishes the text and the JSON', async () => {
    const result = await handler(scheduled, aContext());
    expect(result).toMatchObject({
      window: { since: '2026-11-23T08:00:00.000Z', until: '2026-11-24T08:00:00.000Z' },
      verdict: 'attention',
      complete: true,
      counts: { backupJobs: 2, failedJobs: 1 },
      deliveries: [
        { channel: 'sns', ok: true },
        { channel: 'json', ok: true },
      ],
    });
    expect(published('text')).toMatchObject({
      TopicArn: TOPIC,
      Subject: 'Backups 2026-11-24 [111122223333 us-east-1]: 1 failed',
      Message: expect.stringContaining('FAILED backup: EBS vol-0002'),
    });
    const json = JSON.parse(published('json')?.Message ?? '{}');
    expect(json).toMatchObject({ schemaVersion: '1.2', scope: { accountId: '111122223333', regions: ['us-east-1'] } });
  });

  it('takes a direct invocation window', async () => {
    const result = await handler(windowHours, aContext());
    expect(result.window).toEqual({ since: '2026-11-24T02:00:05.000Z', until: '2026-11-24T08:00:05.000Z' });
    expect(backup).toHaveReceivedCommandWith(ListBackupJobsCommand, {
      ByCreatedAfter: new Date('2026-11-24T02:00:05.000Z'),
    });
  });

  it('rejects a bad window before any AWS call, naming the field', async () => {
    await expect(handler({ windowHours: 1000 }, aContext())).rejects.toThrow(
      'windowHours must be an integer from 1 to 720 (got 1000)',
    );
    expect(backup).toHaveReceivedCommandTimes(ListBackupJobsCommand, 0);
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 0);
  });

  it('publishes an incomplete summary naming the list call that failed', async () => {
    backup
      .on(ListCopyJobsCommand)
      .rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException', $fault: 'client' }));
    const result = await handler(scheduled, aContext());
    expect(result.complete).toBe(false);
    expect(result.verdict).toBe('incomplete');
    expect(published('text')?.Subject).toMatch(/^INCOMPLETE backups 2026-11-24/);
    expect(published('text')?.Message).toContain('MISSING FROM THIS SUMMARY');
  });

  it('fails the invocation when no channel got the summary, so Lambda retries it', async () => {
    sns.on(PublishCommand).rejects(Object.assign(new Error('throttled'), { name: 'ThrottledException' }));
    await expect(handler(scheduled, aContext())).rejects.toMatchObject({
      name: 'SummaryDeliveryError',
      message: expect.stringContaining('sns (ThrottledException: throttled)'),
    });
  });
});
