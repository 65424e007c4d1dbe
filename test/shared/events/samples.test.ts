import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBackupEvent } from '../../../shared/events/index.js';

const dir = join(import.meta.dirname, '..', '..', '..', 'events');
const load = (name: string): Record<string, unknown> & { detail: Record<string, unknown> } =>
  JSON.parse(readFileSync(join(dir, name), 'utf8'));
const stateOf = (file: string): string => file.split('.')[1]?.toUpperCase() ?? '';

// Every file of a job kind, so a sample added to events/ is covered without touching this test.
const all = readdirSync(dir).filter((f) => /^(backup|copy|restore)-job\..+\.json$/.test(f));
// AWS's published samples are `<kind>.<state>.json`; functions add variants as `<kind>.<state>.<variant>.json`.
const samples = all.filter((f) => /^(backup|copy|restore)-job\.[a-z-]+\.json$/.test(f));
const variants = all.filter((f) => !samples.includes(f));

// The states eventbridge.html publishes a sample for (Backup Developer Guide, "Monitoring AWS Backup
// events using Amazon EventBridge"). ABORTING and PARTIAL backups, PARTIAL copies and ABORTED
// restores have none.
const PUBLISHED = [
  ...['aborted', 'completed', 'created', 'expired', 'failed', 'pending', 'running'].map((s) => `backup-job.${s}.json`),
  ...['completed', 'created', 'failed', 'running'].map((s) => `copy-job.${s}.json`),
  ...['completed', 'created', 'failed', 'pending', 'running'].map((s) => `restore-job.${s}.json`),
].sort();

// Unpublished states we need, derived from the closest published sample: only the envelope id
// (so dedupe keys differ) and the state change.
const DERIVED: Readonly<Record<string, string>> = {
  'backup-job.partial.derived.json': 'backup-job.completed.json',
  'copy-job.partial.derived.json': 'copy-job.completed.json',
};

describe("AWS's published samples (events/)", () => {
  it('are exactly the states AWS publishes: nothing missing, nothing invented under a published name', () => {
    expect([...samples].sort()).toEqual(PUBLISHED);
  });

  it.each(samples)('%s parses into its kind and state, with the envelope kept', (file) => {
    const raw = load(file);
    const event = parseBackupEvent(raw);
    expect(event.kind).toBe(file.split('.')[0]);
    expect(event).toMatchObject({
      id: raw.id,
      account: '1112233445566',
      region: 'us-west-2',
      resources: raw.resources,
    });
    expect(event.time).toEqual(new Date(raw.time as string));
    const state = event.kind === 'restore-job' ? event.status : event.state;
    // AWS's CREATED restore event maps to PENDING, the API's first restore status.
    expect(state).toBe(file === 'restore-job.created.json' ? 'PENDING' : stateOf(file));
  });
});

describe('derived samples (events/<kind>.<state>.derived.json)', () => {
  it('every derived file is declared with the published sample it comes from', () => {
    expect(all.filter((f) => f.endsWith('.derived.json')).sort()).toEqual(Object.keys(DERIVED).sort());
  });

  it.each(Object.entries(DERIVED))('%s differs from %s only in id and state', (file, origin) => {
    const derived = load(file);
    const published = load(origin);
    expect(derived.id).not.toBe(published.id);
    expect(derived.detail.state).toBe(stateOf(file));
    expect({ ...derived, id: published.id, detail: { ...derived.detail, state: published.detail.state } }).toEqual(
      published,
    );
  });
});

describe('function-specific variants (events/<kind>.<state>.<variant>.json)', () => {
  it('every variant parses into the kind and state its name says', () => {
    for (const file of variants) {
      const [kind] = file.split('.');
      const event = parseBackupEvent(load(file));
      expect(event.kind, file).toBe(kind);
      expect(event.kind === 'restore-job' ? event.status : event.state, file).toBe(stateOf(file));
    }
  });
});

const ACCOUNT = '1112233445566';
const vault = (name: string) => `arn:aws:backup:us-west-2:${ACCOUNT}:backup-vault:${name}`;
const role = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
const GENERIC_RESOURCE = `arn:aws:service:us-west-2:${ACCOUNT}:resource-type/resource-id`;
const COPY_PLAN = {
  backupPlanId: 'b58e3621-1c53-4997-ad8a-afc3347a850e',
  backupPlanArn: `arn:aws:backup:us-west-2:${ACCOUNT}:backup-plan:b58e3621-1c53-4997-ad8a-afc3347a850e`,
  backupPlanVersion: 'Mjc4ZTRhMzUtMGE5Ni00NmQ5LWE1YmMtOWMwY2IwMTY4NWQ4',
  backupRuleId: '78e356d3-1a11-4f61-8585-af5d6b69bb18',
};
const at = (iso: string) => new Date(iso);

// The facts of each published sample, normalized: sizes as numbers, dates as instants, quotes
// stripped, `{}` as absent, the recovery point of a COMPLETED backup from resources[0]. `toEqual`
// on the whole event, so a field parsed that should not be (or dropped) fails too.
const FACTS: readonly { file: string; expected: Record<string, unknown> }[] = [
  {
    file: 'backup-job.failed.json',
    expected: {
      kind: 'backup-job',
      id: '710b0398-d48e-f3c3-afca-cfeb2fdaa656',
      time: at('2020-07-29T20:15:26Z'),
      resources: [],
      backupJobId: '34176239-e96d-4e1d-9fad-529dbb3c3556',
      state: 'FAILED',
      backupVaultName: '9ab3e749-82c6-4342-9320-5edbf4918b86',
      backupVaultArn: vault('9ab3e749-82c6-4342-9320-5edbf4918b86'),
      resourceArn: GENERIC_RESOURCE,
      resourceType: 'type',
      iamRoleArn: role('MockRCBackupTestRole'),
      // AWS quotes the message: "\"Backup job failed ... does not exist.\"".
      statusMessage: `Backup job failed because backup vault ${vault('9ab3e749-82c6-4342-9320-5edbf4918b86')} does not exist.`,
      creationDate: at('2020-07-29T20:13:07.392Z'),
      startBy: at('2020-07-30T04:13:07.392Z'),
      percentDone: 0,
      bytesTransferred: 0,
    },
  },
  {
    file: 'backup-job.completed.json',
    expected: {
      kind: 'backup-job',
      id: 'dafac799-9b88-0134-26b7-fef4d54a134f',
      time: at('2020-07-15T21:41:17Z'),
      resources: [`arn:aws:backup:us-west-2:${ACCOUNT}:recovery-point:f1d966fe-a3bd-410b-b292-99f442d13b56`],
      backupJobId: 'a827233a-d405-4a86-a440-759fa94f34dd',
      state: 'COMPLETED',
      backupVaultName: '9732c1b4-1091-472a-9d9f-52e0565ee39a',
      backupVaultArn: vault('9732c1b4-1091-472a-9d9f-52e0565ee39a'),
      resourceArn: GENERIC_RESOURCE,
      resourceType: 'type',
      iamRoleArn: role('MockRCBackupTestRole'),
      // Only in resources[0]: the detail carries no recoveryPointArn.
      recoveryPointArn: `arn:aws:backup:us-west-2:${ACCOUNT}:recovery-point:f1d966fe-a3bd-410b-b292-99f442d13b56`,
      creationDate: at('2020-07-15T21:40:31.207Z'),
      completionDate: at('2020-07-15T21:41:05.921Z'),
      startBy: at('2020-07-16T05:40:31.207Z'),
      percentDone: 100,
      backupSizeInBytes: 36048,
      bytesTransferred: 36048,
    },
  },
  {
    file: 'backup-job.running.json',
    expected: {
      kind: 'backup-job',
      id: '44946c39-b519-3505-44e6-ba74afeb2e30',
      time: at('2020-07-15T21:39:13Z'),
      resources: [],
      backupJobId: 'B6EC38D2-CB3C-EF0A-F5A4-3CF324EF4945',
      state: 'RUNNING',
      backupVaultName: 'e6625738-0655-4aa9-bd37-6ec1dd183b15',
      backupVaultArn: vault('e6625738-0655-4aa9-bd37-6ec1dd183b15'),
      resourceArn: `arn:aws:ec2:us-west-2:${ACCOUNT}:volume/vol-0b5ae24f2ee72d926`,
      resourceType: 'EBS',
      iamRoleArn: role('FullBackupTestRole'),
      creationDate: at('2020-07-15T21:38:31.152Z'),
      startBy: at('2020-07-16T05:00:00Z'),
      // "Jul 15, 2020 9:39:07 PM": the locale form, read as UTC.
      expectedCompletionDate: at('2020-07-15T21:39:07Z'),
      percentDone: 99,
      backupSizeInBytes: 3221225472,
      bytesTransferred: 0,
      createdBy: {
        backupPlanId: 'bde0f455-4e24-4668-aeaa-4932a97f5cc5',
        backupPlanArn: `arn:aws:backup:us-west-2:${ACCOUNT}:backup-plan:bde0f455-4e24-4668-aeaa-4932a97f5cc5`,
        backupPlanVersion: 'YTkzNmM0MmUtMWRhNS00Y2RkLThmZGUtNjA5NTc4NGM1YTc5',
        // `createdBy.backupPlanRuleId` in the event, BackupRuleId in the API.
        backupRuleId: '1f97bafa-14d6-4f39-94fd-94b51bd6d0d5',
      },
    },
  },
  {
    file: 'backup-job.aborted.json',
    expected: {
      kind: 'backup-job',
      id: '4c91ceb0-b798-da82-6818-c29b3dce7543',
      time: at('2020-07-15T21:33:16Z'),
      resources: [],
      backupJobId: '58cdef95-7680-4c74-80d5-1b64093999c8',
      state: 'ABORTED',
      backupVaultName: 'f59bffcd-2538-4bbe-8343-1c60dae27c27',
      backupVaultArn: vault('f59bffcd-2538-4bbe-8343-1c60dae27c27'),
      resourceArn: GENERIC_RESOURCE,
      resourceType: 'type',
      iamRoleArn: role('MockRCBackupTestRole'),
      statusMessage: 'Backup job was stopped by user.',
      creationDate: at('2020-07-15T21:33:00.803Z'),
      completionDate: at('2020-07-15T21:33:01.621Z'),
      startBy: at('2020-07-16T05:33:00.803Z'),
      percentDone: 0,
      bytesTransferred: 0,
    },
  },
  {
    file: 'backup-job.expired.json',
    expected: {
      kind: 'backup-job',
      id: '1d7bbc04-6120-1145-13b9-49b0af465328',
      time: at('2020-07-29T13:04:57Z'),
      resources: [],
      backupJobId: '01EE26DC-7107-4D8E-0C54-EAC27C662BA4',
      state: 'EXPIRED',
      // A vault name with slashes.
      backupVaultName: 'aws/backup/AutomatedBackupVaultDel2',
      backupVaultArn: vault('aws/backup/AutomatedBackupVaultDel2'),
      resourceArn: GENERIC_RESOURCE,
      resourceType: 'type',
      iamRoleArn: role('MockRCBackupTestRole'),
      statusMessage: 'Backup job failed because there was a running job for the same resource.',
      creationDate: at('2020-07-29T05:10:20.077Z'),
      completionDate: at('2020-07-29T13:02:15.234Z'),
      startBy: at('2020-07-29T13:00:00Z'),
      percentDone: 0,
      bytesTransferred: 0,
      createdBy: {
        backupPlanId: 'aws/efs/414a5bd4-f880-47ad-95f3-f085108a4c3b',
        backupPlanArn: `arn:aws:backup:us-west-2:${ACCOUNT}:backup-plan:aws/efs/414a5bd4-f880-47ad-95f3-f085108a4c3b`,
        backupPlanVersion: 'NjBjOTUzZjYtYzZiNi00NjhlLWIzMTEtNWRjOWY0YTNjN2Vj',
        backupRuleId: '3eb0017c-f262-4211-a802-302cebb11dc2',
      },
    },
  },
  {
    file: 'backup-job.pending.json',
    expected: {
      kind: 'backup-job',
      id: '64dd1897-f863-31a3-9ee5-b05e306d81ff',
      time: at('2020-07-29T20:03:30Z'),
      resources: [],
      backupJobId: '2cffdb68-d6ed-485f-9f9b-8b530749f1c2',
      state: 'PENDING',
      backupVaultName: 'ed1f2661-5587-48bf-8a98-fadb977bf975',
      backupVaultArn: vault('ed1f2661-5587-48bf-8a98-fadb977bf975'),
      resourceArn: GENERIC_RESOURCE,
      resourceType: 'type',
      iamRoleArn: role('MockRCBackupTestRole'),
      // statusMessage "" is absent.
      creationDate: at('2020-07-29T20:01:06.224Z'),
      startBy: at('2020-07-30T04:01:06.224Z'),
      percentDone: 0,
      bytesTransferred: 0,
    },
  },
  {
    file: 'backup-job.created.json',
    expected: {
      kind: 'backup-job',
      id: '29af2bf2-eace-58ab-da3a-8c0bf738d692',
      time: at('2020-06-22T20:32:53Z'),
      resources: [],
      backupJobId: '7e8845b5-ca30-415f-a842-e0152bf4d0ca',
      state: 'CREATED',
      creationDate: at('2020-06-22T20:32:47.466Z'),
    },
  },
  {
    file: 'copy-job.failed.json',
    expected: {
      kind: 'copy-job',
      id: '4660bc92-a44d-c939-4542-cda503f14855',
      time: at('2020-07-15T20:37:34Z'),
      resources: ['arn:aws:ec2:us-west-2::image/ami-00179b33a7a88cac5'],
      copyJobId: '47C8EF56-74D8-059D-1301-C5BE1D5C926E',
      state: 'FAILED',
      sourceBackupVaultArn: vault('55aa945e-c46a-421b-aa27-f94b074e31b7'),
      destinationBackupVaultArn: vault('55aa945e-c46a-421b-aa27-f94b074e31b7'),
      // Only in resources[0], and a native AMI ARN; destinationRecoveryPointArn {} is absent.
      sourceRecoveryPointArn: 'arn:aws:ec2:us-west-2::image/ami-00179b33a7a88cac5',
      resourceArn: `arn:aws:ec2:us-west-2:${ACCOUNT}:instance/i-0515aee7de03f58e1`,
      resourceType: 'EC2',
      iamRoleArn: role('RoleForEc2BackupWithNoDescribeTagsPermissions'),
      statusMessage: 'Access denied exception while trying to list tags',
      creationDate: at('2020-07-15T20:36:13.239Z'),
      completionDate: at('2020-07-15T20:37:28.704Z'),
      // A number here, where backup events send a string.
      backupSizeInBytes: 22548578304,
    },
  },
  {
    file: 'copy-job.running.json',
    expected: {
      kind: 'copy-job',
      id: 'd17480ae-7042-edb2-0ff5-8b94822c58e4',
      time: at('2020-07-15T22:07:48Z'),
      resources: ['arn:aws:ec2:us-west-2::snapshot/snap-03886bc8d6ef3a1f9'],
      copyJobId: '0175DE71-5784-589F-D8AC-541ACCB4CAC8',
      state: 'RUNNING',
      sourceBackupVaultArn: vault('846869de-4589-45c3-ab60-4fbbabcdd3ec'),
      destinationBackupVaultArn: vault('846869de-4589-45c3-ab60-4fbbabcdd3ec'),
      sourceRecoveryPointArn: 'arn:aws:ec2:us-west-2::snapshot/snap-03886bc8d6ef3a1f9',
      resourceArn: `arn:aws:ec2:us-west-2:${ACCOUNT}:volume/vol-050eba21ee4d3c001`,
      resourceType: 'EBS',
      iamRoleArn: role('OrganizationCanaryTestRole'),
      creationDate: at('2020-07-15T22:06:27.234Z'),
      backupSizeInBytes: 3221225472,
      createdBy: COPY_PLAN,
    },
  },
  {
    file: 'copy-job.completed.json',
    expected: {
      kind: 'copy-job',
      id: '47deb974-6473-aef1-56c2-52c3eaedfceb',
      time: at('2020-07-15T22:08:04Z'),
      resources: ['arn:aws:ec2:us-west-2::snapshot/snap-03886bc8d6ef3a1f9'],
      copyJobId: '0175DE71-5784-589F-D8AC-541ACCB4CAC8',
      state: 'COMPLETED',
      sourceBackupVaultArn: vault('846869de-4589-45c3-ab60-4fbbabcdd3ec'),
      destinationBackupVaultArn: vault('846869de-4589-45c3-ab60-4fbbabcdd3ec'),
      sourceRecoveryPointArn: 'arn:aws:ec2:us-west-2::snapshot/snap-03886bc8d6ef3a1f9',
      destinationRecoveryPointArn: 'arn:aws:ec2:us-west-2::snapshot/snap-0726fe70935586180',
      resourceArn: `arn:aws:ec2:us-west-2:${ACCOUNT}:volume/vol-050eba21ee4d3c001`,
      resourceType: 'EBS',
      iamRoleArn: role('OrganizationCanaryTestRole'),
      creationDate: at('2020-07-15T22:06:27.234Z'),
      completionDate: at('2020-07-15T22:07:58.111Z'),
      backupSizeInBytes: 3221225472,
      createdBy: COPY_PLAN,
    },
  },
  {
    file: 'copy-job.created.json',
    expected: {
      kind: 'copy-job',
      id: '8398a4c4-8fe8-2b49-a4b9-fd4fdcd34a4e',
      time: at('2020-06-22T21:06:32Z'),
      resources: ['arn:aws:ec2:us-west-2::image/ami-0888b126e2170b98e'],
      // No copyJobId in AWS's CREATED sample.
      state: 'CREATED',
      sourceBackupVaultArn: vault('ef09da5a-21a6-461f-a98f-857e9e621a17'),
      destinationBackupVaultArn: vault('ef09da5a-21a6-461f-a98f-857e9e621a17'),
      sourceRecoveryPointArn: 'arn:aws:ec2:us-west-2::image/ami-0888b126e2170b98e',
      creationDate: at('2020-06-22T21:06:25.754Z'),
    },
  },
  {
    file: 'restore-job.failed.json',
    expected: {
      kind: 'restore-job',
      id: 'ab32977c-378d-2122-e985-fgh4596f0709',
      time: at('2020-07-15T20:19:29Z'),
      resources: ['arn:aws:ec2:us-west-2::image/ami-12b3456dfb7f8cf90'],
      restoreJobId: '1B234A56-789B-01CD-2A34-4567A08901FD',
      status: 'FAILED',
      resourceType: 'EC2',
      recoveryPointArn: 'arn:aws:ec2:us-west-2::image/ami-12b3456dfb7f8cf90',
      iamRoleArn: role('TestAWSBackupRole'),
      statusMessage:
        'AWS Backup does not permit attaching a new instance profile to an EC2 instance. Please restore using the backed up instance profile.',
      creationDate: at('2020-07-15T20:19:07.303Z'),
      percentDone: 0,
      backupSizeInBytes: 22548578304,
    },
  },
  {
    file: 'restore-job.running.json',
    expected: {
      kind: 'restore-job',
      id: 'ab32977c-378d-2122-e985-fgh4596f0709',
      time: at('2020-07-29T20:26:06Z'),
      resources: ['arn:aws:ec2:us-west-2::snapshot/snap-0fe123ca456cfad7c'],
      restoreJobId: '1B234A56-789B-01CD-2A34-4567A08901FD',
      status: 'RUNNING',
      resourceType: 'EBS',
      recoveryPointArn: 'arn:aws:ec2:us-west-2::snapshot/snap-0fe123ca456cfad7c',
      iamRoleArn: role('RestoreTestRole'),
      creationDate: at('2020-07-29T20:26:00.098Z'),
      percentDone: 0,
      backupSizeInBytes: 3221225472,
    },
  },
  {
    file: 'restore-job.completed.json',
    expected: {
      kind: 'restore-job',
      id: 'ab32977c-378d-2122-e985-fgh4596f0709',
      time: at('2020-07-15T03:14:58Z'),
      resources: [`arn:aws:rds:us-west-2:${ACCOUNT}:snapshot:awsbackup:job-1a2bcd34-567e-8901-23f4-5g6hijkl7890`],
      restoreJobId: 'AB123456-78C9-0123-456D-789012E34567',
      status: 'COMPLETED',
      resourceType: 'RDS',
      // The detail's recovery point wins over resources[0].
      recoveryPointArn: `arn:aws:backup:us-west-2:${ACCOUNT}:recovery-point:6f7fc1f8-2f2e-40ac-943b-8f8efa9ba99d`,
      createdResourceArn: `arn:aws:rds:us-west-2:${ACCOUNT}:db:testinginstance1a2bcd34-567e-8901-23f4-5g6hijkl7890`,
      iamRoleArn: role('RestoreTestRole'),
      creationDate: at('2020-07-15T03:10:01.742Z'),
      completionDate: at('2020-07-15T03:14:53.128Z'),
      percentDone: 0,
      backupSizeInBytes: 0,
    },
  },
  {
    file: 'restore-job.pending.json',
    expected: {
      kind: 'restore-job',
      id: 'ab32977c-378d-2122-e985-fgh4596f0709',
      time: at('2020-07-29T20:08:26Z'),
      resources: [`arn:aws:backup:us-west-2:${ACCOUNT}:recovery-point:42bb8260-92cd-46a2-ab8d-b29f4edb47b1`],
      restoreJobId: '123EA45F-C678-EFE9-0123-4D56FC0E789A',
      status: 'PENDING',
      resourceType: 'EC2',
      recoveryPointArn: `arn:aws:backup:us-west-2:${ACCOUNT}:recovery-point:42bb8260-92cd-46a2-ab8d-b29f4edb47b1`,
      iamRoleArn: role('RestoreTestRole'),
      creationDate: at('2020-07-29T20:08:21.083Z'),
      percentDone: 0,
      backupSizeInBytes: 36048,
    },
  },
  {
    file: 'restore-job.created.json',
    expected: {
      kind: 'restore-job',
      id: 'ab32977c-378d-2122-e985-fgh4596f0709',
      time: at('2020-06-22T18:50:49Z'),
      resources: [`arn:aws:backup:us-west-2:${ACCOUNT}:recovery-point:a6560b33-3660-494c-8d47-efgh939ij32k`],
      restoreJobId: '123EA45F-C678-EFE9-0123-4D56FC0E789A',
      // `state: CREATED` (not `status`) in AWS's sample.
      status: 'PENDING',
      recoveryPointArn: `arn:aws:backup:us-west-2:${ACCOUNT}:recovery-point:a6560b33-3660-494c-8d47-efgh939ij32k`,
      creationDate: at('2020-06-22T18:50:46.407Z'),
    },
  },
];

describe('facts of each published sample', () => {
  it.each(FACTS)('$file', ({ file, expected }) => {
    expect(parseBackupEvent(load(file))).toEqual({ account: ACCOUNT, region: 'us-west-2', ...expected });
  });

  it('the table covers every published sample', () => {
    expect(FACTS.map((f) => f.file).sort()).toEqual(PUBLISHED);
  });
});
