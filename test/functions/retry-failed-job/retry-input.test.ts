import { describe, expect, it } from 'vitest';
import { retryInput } from '../../../functions/retry-failed-job/retry-input.js';
import { idempotencyToken } from '../../../shared/backup/index.js';
import { aConfig, aFailedJob, aRule, RESOURCE, ROLE, someFacts } from './builders.js';

const config = aConfig();

describe('retryInput', () => {
  it("from a plan: that version's rule lifecycle, windows and tags, plus provenance", () => {
    const job = aFailedJob({
      plan: { planId: 'p', versionId: 'v1', ruleId: 'rule-1' },
      backupOptions: { WindowsVSS: 'enabled' },
    });
    const facts = someFacts({ job, rule: aRule(), ledger: { attempts: 1, originalJobId: 'job-0', alerted: false } });
    expect(retryInput(facts, 2, config)).toEqual({
      BackupVaultName: 'prod-daily',
      ResourceArn: RESOURCE,
      IamRoleArn: ROLE,
      IdempotencyToken: idempotencyToken('job-0', 'backup', 2),
      StartWindowMinutes: 120,
      CompleteWindowMinutes: 720,
      Lifecycle: { DeleteAfterDays: 35 },
      RecoveryPointTags: {
        team: 'storage',
        'backup-autopilot:original-job-id': 'job-0',
        'backup-autopilot:attempt': '2',
      },
      BackupOptions: { WindowsVSS: 'enabled' },
    });
  });

  it('from a plan whose rule targets a logically air-gapped vault: the retry keeps that target', () => {
    // API_StartBackupJob LogicallyAirGappedBackupVaultArn (as API_BackupRule's
    // TargetLogicallyAirGappedBackupVaultArn): without it the retry lands in the standard vault only.
    const lag = 'arn:aws:backup:us-east-1:111122223333:backup-vault:air-gapped';
    const facts = someFacts({
      job: aFailedJob({ plan: { planId: 'p', versionId: 'v1', ruleId: 'rule-1' } }),
      rule: aRule({ TargetLogicallyAirGappedBackupVaultArn: lag }),
    });
    expect(retryInput(facts, 1, config)).toMatchObject({
      BackupVaultName: 'prod-daily',
      LogicallyAirGappedBackupVaultArn: lag,
    });
  });

  it("from a plan whose rule indexes the resource's type: the retry asks for the index too", () => {
    const plan = { planId: 'p', versionId: 'v1', ruleId: 'rule-1' };
    const indexing = aRule({ IndexActions: [{ ResourceTypes: ['EBS'] }] });
    expect(retryInput(someFacts({ job: aFailedJob({ plan }), rule: indexing }), 1, config)).toMatchObject({
      Index: 'ENABLED',
    });
    // Another type's index action, or none: no Index (the plan would not index this backup either).
    const s3Only = aRule({ IndexActions: [{ ResourceTypes: ['S3'] }] });
    expect(retryInput(someFacts({ job: aFailedJob({ plan }), rule: s3Only }), 1, config)).not.toHaveProperty('Index');
    expect(retryInput(someFacts({ job: aFailedJob({ plan }), rule: aRule() }), 1, config)).not.toHaveProperty('Index');
  });

  it('raises a plan start window under 60 minutes to 60 (API minimum)', () => {
    const facts = someFacts({
      job: aFailedJob({ plan: { planId: 'p', ruleId: 'rule-1' } }),
      rule: aRule({ StartWindowMinutes: 30 }),
    });
    expect(retryInput(facts, 1, config)).toMatchObject({ StartWindowMinutes: 60 });
  });

  it("without a plan: configured windows and the job's own lifecycle", () => {
    const facts = someFacts({
      job: aFailedJob({ lifecycle: { MoveToColdStorageAfterDays: 30, DeleteAfterDays: 120 } }),
    });
    expect(retryInput(facts, 1, aConfig({ RETRY_DEFAULT_START_WINDOW_MINUTES: '240' }))).toMatchObject({
      StartWindowMinutes: 240,
      CompleteWindowMinutes: 10_080,
      Lifecycle: { MoveToColdStorageAfterDays: 30, DeleteAfterDays: 120 },
      RecoveryPointTags: { 'backup-autopilot:original-job-id': 'job-1', 'backup-autopilot:attempt': '1' },
    });
  });

  it('a copy: same source, destination, role and lifecycle', () => {
    const job = aFailedJob({
      kind: 'copy',
      jobId: 'copy-1',
      state: 'FAILED',
      lifecycle: { DeleteAfterDays: 365 },
      copy: {
        sourceRecoveryPointArn: 'arn:aws:ec2:us-east-1::snapshot/snap-1',
        destinationVaultArn: 'arn:aws:backup:eu-west-1:222233334444:backup-vault:dr',
      },
    });
    expect(retryInput(someFacts({ job }), 1, config)).toEqual({
      RecoveryPointArn: 'arn:aws:ec2:us-east-1::snapshot/snap-1',
      SourceBackupVaultName: 'prod-daily',
      DestinationBackupVaultArn: 'arn:aws:backup:eu-west-1:222233334444:backup-vault:dr',
      IamRoleArn: ROLE,
      IdempotencyToken: idempotencyToken('copy-1', 'copy', 1),
      Lifecycle: { DeleteAfterDays: 365 },
    });
  });

  it('gives every attempt its own token and each attempt the same token every time', () => {
    const facts = someFacts();
    expect(retryInput(facts, 1, config).IdempotencyToken).toBe(retryInput(facts, 1, config).IdempotencyToken);
    expect(retryInput(facts, 1, config).IdempotencyToken).not.toBe(retryInput(facts, 2, config).IdempotencyToken);
  });
});
