import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EventParseError } from '../../../shared/errors.js';
import { outOfScope, parseBackupEvent, parseScanJobEvent } from '../../../shared/events/index.js';
import { sampleEvent } from '../../support/events.js';

// AWS's published "Scan Job State Change" samples (eventbridge.html, "Malware scan job events"):
// one per state, all six states AWS documents.
const PUBLISHED = ['canceled', 'completed', 'completed-with-issues', 'created', 'failed', 'running'].map(
  (s) => `scan-job.${s}.json`,
);
const files = readdirSync(join(import.meta.dirname, '..', '..', '..', 'events')).filter((f) =>
  f.startsWith('scan-job.'),
);

const ACCOUNT = '1112233445566';
const RECOVERY_POINT = `arn:aws:backup:us-west-2:${ACCOUNT}:recovery-point:abcd1234-5678-abcd-9012-abcdef123456`;
const PLAN = {
  backupPlanArn: `arn:aws:backup:us-west-2:${ACCOUNT}:backup-plan:5d5a14cc-4ee2-4b9f-beb6-4afa998bb98f`,
  backupPlanId: '5d5a14cc-4ee2-4b9f-beb6-4afa998bb98f',
  backupPlanVersion: 'Mjc4ZTRhMzUtMGE5Ni00NmQ5LWE1YmMtOWMwY2IwMTY4NWQ4',
  backupRuleId: '256ad167-f523-4cb9-93f3-f0c933efd97f',
};

/** A sample with `edit` applied to its detail (a fresh copy every call). */
const edited = (file: string, edit: (detail: Record<string, unknown>) => void): Record<string, unknown> => {
  const raw = sampleEvent(file);
  edit(raw.detail as Record<string, unknown>);
  return raw;
};

describe("AWS's published scan job samples (events/scan-job.*.json)", () => {
  it('are exactly the six states AWS publishes', () => {
    expect(files.sort()).toEqual(PUBLISHED.sort());
  });

  it('the COMPLETED sample parses into every fact it carries, normalized', () => {
    expect(parseScanJobEvent(sampleEvent('scan-job.completed.json'))).toEqual({
      kind: 'scan-job',
      id: '60ce181d-67c7-496b-90fb-69636b42daee',
      account: ACCOUNT,
      region: 'us-west-2',
      time: new Date('2025-12-12T12:12:12Z'),
      resources: [RECOVERY_POINT],
      scanJobId: '4d5fc12e-7e33-4336-a981-bbe43c300298',
      state: 'COMPLETED',
      accountId: ACCOUNT,
      backupVaultName: '9ab3e749-82c6-4342-9320-5edbf4918b86',
      backupVaultArn: `arn:aws:backup:us-west-2:${ACCOUNT}:backup-vault:9ab3e749-82c6-4342-9320-5edbf4918b86`,
      recoveryPointArn: RECOVERY_POINT,
      resourceArn: `arn:aws:ec2:us-west-2:${ACCOUNT}:instance/i-0515aee7de03f58e1`,
      resourceType: 'EC2',
      iamRoleArn: `arn:aws:iam::${ACCOUNT}:role/RoleForEc2BackupWithNoDescribeTagsPermissions`,
      scannerRoleArn: `arn:aws:iam::${ACCOUNT}:role/RoleForAwsBackupGuarddutyScanner`,
      scanId: '43bc14a6-03e0-436a-abf5-8825d3aa6835',
      scanBaseRecoveryPointArn: `arn:aws:backup:us-west-2:${ACCOUNT}:recovery-point:46bd3edb-a499-4db1-8f8f-269a2ff76fab`,
      malwareScanner: 'GUARDDUTY',
      scanResultStatus: 'THREATS_FOUND',
      statusMessage: 'An AWS Backup scan job was successful completed.',
      creationDate: new Date('2025-12-12T12:12:00Z'),
      completionDate: new Date('2025-12-12T12:12:12Z'),
      createdBy: PLAN,
    });
  });

  it.each([
    { file: 'scan-job.created.json', state: 'CREATED', result: undefined, completed: false },
    { file: 'scan-job.running.json', state: 'RUNNING', result: undefined, completed: false },
    { file: 'scan-job.completed.json', state: 'COMPLETED', result: 'THREATS_FOUND', completed: true },
    {
      file: 'scan-job.completed-with-issues.json',
      state: 'COMPLETED_WITH_ISSUES',
      result: 'NO_THREATS_FOUND',
      completed: true,
    },
    { file: 'scan-job.failed.json', state: 'FAILED', result: undefined, completed: true },
    { file: 'scan-job.canceled.json', state: 'CANCELED', result: undefined, completed: true },
  ])('$file parses into state $state and result $result', ({ file, state, result, completed }) => {
    const event = parseScanJobEvent(sampleEvent(file));
    expect(event.state).toBe(state);
    expect(event.scanResultStatus).toBe(result);
    expect(event.completionDate !== undefined).toBe(completed);
    expect(event.createdBy).toEqual(PLAN);
  });

  it('keeps the FAILED and CANCELED messages as sent', () => {
    expect(parseScanJobEvent(sampleEvent('scan-job.failed.json')).statusMessage).toBe('<failure reason>');
    expect(parseScanJobEvent(sampleEvent('scan-job.canceled.json')).statusMessage).toBe(
      'Scan job was stopped by user.',
    );
  });

  it('takes the recovery point from resources[0] when the detail has none', () => {
    const raw = edited('scan-job.failed.json', (d) => {
      delete d.recoveryPointArn;
    });
    expect(parseScanJobEvent(raw).recoveryPointArn).toBe(RECOVERY_POINT);
  });

  it('is not one of the job events parseBackupEvent takes', () => {
    expect(() => parseBackupEvent(sampleEvent('scan-job.failed.json'))).toThrow(/detail-type must be one of/);
  });
});

describe('strict where a wrong value would do harm', () => {
  it.each([
    {
      case: 'no scan job id',
      edit: (d: Record<string, unknown>) => delete d.scanJobId,
      message: 'event detail.scanJobId is required',
    },
    {
      case: 'an unknown state',
      edit: (d: Record<string, unknown>) => {
        d.state = 'DONE';
      },
      message: 'event detail.state must be one of CREATED, RUNNING, COMPLETED, COMPLETED_WITH_ISSUES, FAILED, CANCELED',
    },
    {
      case: 'an unknown result',
      edit: (d: Record<string, unknown>) => {
        d.scanResult = { scanResultStatus: 'MAYBE' };
      },
      message: 'event detail.scanResult.scanResultStatus must be one of NO_THREATS_FOUND, THREATS_FOUND',
    },
    {
      case: 'no vault name',
      edit: (d: Record<string, unknown>) => delete d.backupVaultName,
      message: 'event detail.backupVaultName is required',
    },
    {
      case: 'a resource that is no ARN',
      edit: (d: Record<string, unknown>) => {
        d.resourceArn = 'i-0515aee7de03f58e1';
      },
      message: 'event detail.resourceArn must be an ARN',
    },
  ])('$case: an error naming the field', ({ edit, message }) => {
    const raw = edited('scan-job.completed.json', edit);
    expect(() => parseScanJobEvent(raw)).toThrow(EventParseError);
    expect(() => parseScanJobEvent(raw)).toThrow(message);
  });

  it('refuses another detail-type by name', () => {
    expect(() => parseScanJobEvent(sampleEvent('restore-job.failed.json'))).toThrow(
      'event detail-type must be "Scan Job State Change"',
    );
  });
});

describe('outOfScope knows scan events', () => {
  const identity = { accountId: ACCOUNT, partition: 'aws' };

  it('a scan of its own account is in scope', () => {
    expect(outOfScope(parseScanJobEvent(sampleEvent('scan-job.failed.json')), identity)).toBeUndefined();
  });

  it("a scan whose vault is another account's is not", () => {
    const raw = edited('scan-job.failed.json', (d) => {
      d.backupVaultArn = 'arn:aws:backup:us-west-2:444455556666:backup-vault:other';
    });
    expect(outOfScope(parseScanJobEvent(raw), identity)?.reason).toBe('vault-of-another-account');
  });

  it("a scan whose detail.accountId is another account than the event's is not, in either mode", () => {
    const raw = edited('scan-job.failed.json', (d) => {
      d.accountId = '444455556666';
    });
    const event = parseScanJobEvent(raw);
    expect(outOfScope(event, identity)).toEqual({
      reason: 'foreign-account',
      detail: `scan of account 444455556666 in an event of account ${ACCOUNT}`,
    });
    expect(outOfScope(event, { accountId: '111122223333', partition: 'aws' }, [], 'central')?.reason).toBe(
      'foreign-account',
    );
  });
});
