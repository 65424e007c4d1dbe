import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type BackupJobStateChange,
  type CopyJobStateChange,
  parseBackupEvent,
  type RestoreJobStateChange,
} from '../../../shared/events/index.js';

const dir = join(import.meta.dirname, '..', '..', '..', 'events');
const load = (name: string): unknown => JSON.parse(readFileSync(join(dir, name), 'utf8'));
const all = readdirSync(dir).filter((f) => /^(backup|copy|restore)-job\..+\.json$/.test(f));
// AWS's published samples are `<kind>.<state>.json`; functions add variants as `<kind>.<state>.<variant>.json`.
const samples = all.filter((f) => /^(backup|copy|restore)-job\.[a-z-]+\.json$/.test(f));
const variants = all.filter((f) => !samples.includes(f));

describe("AWS's published samples (events/)", () => {
  it('includes every state AWS publishes', () => {
    expect(samples.sort()).toEqual(
      expect.arrayContaining([
        ...['aborted', 'completed', 'created', 'expired', 'failed', 'pending', 'running'].map(
          (s) => `backup-job.${s}.json`,
        ),
        ...['completed', 'created', 'failed', 'running'].map((s) => `copy-job.${s}.json`),
        ...['completed', 'created', 'failed', 'pending', 'running'].map((s) => `restore-job.${s}.json`),
      ]),
    );
  });

  it.each(samples)('%s parses into its kind and state', (file) => {
    const [kind, state] = file.split('.');
    const event = parseBackupEvent(load(file));
    expect(event.kind).toBe(kind);
    expect(event.account).toBe('1112233445566');
    expect(event.region).toBe('us-west-2');
    expect(event.time).toBeInstanceOf(Date);
    const s = event.kind === 'restore-job' ? event.status : event.state;
    expect(s).toBe(state === 'created' && kind === 'restore-job' ? 'PENDING' : state?.toUpperCase());
  });
});

describe('function-specific variants (events/<kind>.<state>.<variant>.json)', () => {
  it('every variant parses into the kind and state its name says', () => {
    for (const file of variants) {
      const [kind, state] = file.split('.');
      const event = parseBackupEvent(load(file));
      expect(event.kind, file).toBe(kind);
      expect(event.kind === 'restore-job' ? event.status : event.state, file).toBe(state?.toUpperCase());
    }
  });
});

describe('facts of each sample', () => {
  it('FAILED backup: quotes stripped from the message, sizes as numbers, no createdBy', () => {
    const e = parseBackupEvent(load('backup-job.failed.json')) as BackupJobStateChange;
    expect(e).toMatchObject({
      id: '710b0398-d48e-f3c3-afca-cfeb2fdaa656',
      backupJobId: '34176239-e96d-4e1d-9fad-529dbb3c3556',
      state: 'FAILED',
      backupVaultName: '9ab3e749-82c6-4342-9320-5edbf4918b86',
      bytesTransferred: 0,
      percentDone: 0,
      iamRoleArn: 'arn:aws:iam::1112233445566:role/MockRCBackupTestRole',
    });
    expect(e.statusMessage).toBe(
      'Backup job failed because backup vault arn:aws:backup:us-west-2:1112233445566:backup-vault:9ab3e749-82c6-4342-9320-5edbf4918b86 does not exist.',
    );
    expect(e.creationDate).toEqual(new Date('2020-07-29T20:13:07.392Z'));
    expect(e.startBy).toEqual(new Date('2020-07-30T04:13:07.392Z'));
    expect(e.createdBy).toBeUndefined();
    expect(e.recoveryPointArn).toBeUndefined();
  });

  it('COMPLETED backup: the recovery point comes from resources[0], sizes from strings', () => {
    const e = parseBackupEvent(load('backup-job.completed.json')) as BackupJobStateChange;
    expect(e.recoveryPointArn).toBe(
      'arn:aws:backup:us-west-2:1112233445566:recovery-point:f1d966fe-a3bd-410b-b292-99f442d13b56',
    );
    expect(e.backupSizeInBytes).toBe(36048);
    expect(e.completionDate).toEqual(new Date('2020-07-15T21:41:05.921Z'));
  });

  it('RUNNING backup: the locale-format expectedCompletionDate, and the plan rule id renamed', () => {
    const e = parseBackupEvent(load('backup-job.running.json')) as BackupJobStateChange;
    expect(e.expectedCompletionDate).toEqual(new Date('2020-07-15T21:39:07Z'));
    expect(e.backupSizeInBytes).toBe(3221225472);
    expect(e.createdBy).toEqual({
      backupPlanId: 'bde0f455-4e24-4668-aeaa-4932a97f5cc5',
      backupPlanArn: 'arn:aws:backup:us-west-2:1112233445566:backup-plan:bde0f455-4e24-4668-aeaa-4932a97f5cc5',
      backupPlanVersion: 'YTkzNmM0MmUtMWRhNS00Y2RkLThmZGUtNjA5NTc4NGM1YTc5',
      backupRuleId: '1f97bafa-14d6-4f39-94fd-94b51bd6d0d5',
    });
  });

  it('EXPIRED backup: a vault name with slashes and a plan id with slashes', () => {
    const e = parseBackupEvent(load('backup-job.expired.json')) as BackupJobStateChange;
    expect(e.backupVaultName).toBe('aws/backup/AutomatedBackupVaultDel2');
    expect(e.statusMessage).toBe('Backup job failed because there was a running job for the same resource.');
    expect(e.createdBy?.backupPlanId).toBe('aws/efs/414a5bd4-f880-47ad-95f3-f085108a4c3b');
  });

  it('ABORTED, PENDING and CREATED backups keep what they carry', () => {
    expect(parseBackupEvent(load('backup-job.aborted.json'))).toMatchObject({
      statusMessage: 'Backup job was stopped by user.',
    });
    expect((parseBackupEvent(load('backup-job.pending.json')) as BackupJobStateChange).statusMessage).toBeUndefined();
    expect(parseBackupEvent(load('backup-job.created.json'))).toEqual({
      kind: 'backup-job',
      id: '29af2bf2-eace-58ab-da3a-8c0bf738d692',
      account: '1112233445566',
      region: 'us-west-2',
      time: new Date('2020-06-22T20:32:53Z'),
      resources: [],
      backupJobId: '7e8845b5-ca30-415f-a842-e0152bf4d0ca',
      state: 'CREATED',
      creationDate: new Date('2020-06-22T20:32:47.466Z'),
    });
  });

  it('FAILED copy: {} destination recovery point is absent; the source recovery point comes from resources[0]', () => {
    const e = parseBackupEvent(load('copy-job.failed.json')) as CopyJobStateChange;
    expect(e.destinationRecoveryPointArn).toBeUndefined();
    expect(e.sourceRecoveryPointArn).toBe('arn:aws:ec2:us-west-2::image/ami-00179b33a7a88cac5');
    expect(e.backupSizeInBytes).toBe(22548578304);
    expect(e.statusMessage).toBe('Access denied exception while trying to list tags');
  });

  it('COMPLETED copy: the destination recovery point and plan', () => {
    const e = parseBackupEvent(load('copy-job.completed.json')) as CopyJobStateChange;
    expect(e).toMatchObject({
      copyJobId: '0175DE71-5784-589F-D8AC-541ACCB4CAC8',
      destinationRecoveryPointArn: 'arn:aws:ec2:us-west-2::snapshot/snap-0726fe70935586180',
      sourceRecoveryPointArn: 'arn:aws:ec2:us-west-2::snapshot/snap-03886bc8d6ef3a1f9',
      destinationBackupVaultArn:
        'arn:aws:backup:us-west-2:1112233445566:backup-vault:846869de-4589-45c3-ab60-4fbbabcdd3ec',
    });
    expect(e.createdBy?.backupRuleId).toBe('78e356d3-1a11-4f61-8585-af5d6b69bb18');
  });

  it('CREATED copy has no job id, RUNNING copy has {} destination', () => {
    expect((parseBackupEvent(load('copy-job.created.json')) as CopyJobStateChange).copyJobId).toBeUndefined();
    expect(
      (parseBackupEvent(load('copy-job.running.json')) as CopyJobStateChange).destinationRecoveryPointArn,
    ).toBeUndefined();
  });

  it('restore events: status, or state on CREATED (mapped to PENDING); sizes from strings', () => {
    const completed = parseBackupEvent(load('restore-job.completed.json')) as RestoreJobStateChange;
    expect(completed).toMatchObject({
      status: 'COMPLETED',
      backupSizeInBytes: 0,
      recoveryPointArn: 'arn:aws:backup:us-west-2:1112233445566:recovery-point:6f7fc1f8-2f2e-40ac-943b-8f8efa9ba99d',
      createdResourceArn: 'arn:aws:rds:us-west-2:1112233445566:db:testinginstance1a2bcd34-567e-8901-23f4-5g6hijkl7890',
    });
    expect((parseBackupEvent(load('restore-job.created.json')) as RestoreJobStateChange).status).toBe('PENDING');
    expect((parseBackupEvent(load('restore-job.failed.json')) as RestoreJobStateChange).statusMessage).toMatch(
      /^AWS Backup does not permit/,
    );
  });
});
