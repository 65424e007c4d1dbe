import {
  BackupClient,
  DescribeBackupJobCommand,
  GetBackupPlanCommand,
  paginateListBackupJobs,
  StartBackupJobCommand,
} from '@aws-sdk/client-backup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackupStandIn } from '../../../sandbox/backup/index.js';
import { createBackupProtocol } from '../../../sandbox/backup/rest-json.js';
import { type RunningStandIn, startStandIn } from '../../../sandbox/http/stand-in.js';
import { ACCOUNT, MINUTE, REGION, services, volume } from './helpers.js';

describe('the Backup stand-in over HTTP with the real SDK client', () => {
  const shared = services();
  const backup = createBackupStandIn(shared);
  let server: RunningStandIn;
  let client: BackupClient;

  beforeAll(async () => {
    server = await startStandIn({
      service: 'backup',
      protocol: createBackupProtocol(),
      operations: backup.operations,
      shared,
    });
    const principal = shared.principals.issue(ACCOUNT, 'test');
    client = new BackupClient({
      region: REGION,
      endpoint: server.url,
      credentials: { accessKeyId: principal.accessKeyId, secretAccessKey: 'sandbox' },
      maxAttempts: 1,
    });
    backup.store.addVault({ account: ACCOUNT, region: REGION, name: 'main' });
    const plan = backup.store.addPlan({
      account: ACCOUNT,
      region: REGION,
      name: 'daily',
      rules: [{ RuleName: 'daily', TargetBackupVaultName: 'main', StartWindowMinutes: 60 }],
    });
    for (let n = 0; n < 5; n++) {
      backup.store.createBackupJob({
        account: ACCOUNT,
        region: REGION,
        resourceArn: volume(n),
        plan: { planId: plan.planId },
      });
    }
  });
  afterAll(async () => {
    client?.destroy();
    await server?.close();
  });

  it('starts a job once per token, describes it, pages the list and reads the plan', async () => {
    const input = {
      BackupVaultName: 'main',
      ResourceArn: volume(1),
      IamRoleArn: `arn:aws:iam::${ACCOUNT}:role/backup`,
      IdempotencyToken: '6f1c1f5e-8d1c-4f0e-9a55-0c7f2b1d3e4a',
    };
    const first = await client.send(new StartBackupJobCommand(input));
    const again = await client.send(new StartBackupJobCommand(input));
    expect(again.BackupJobId).toBe(first.BackupJobId);
    expect(first.CreationDate).toBeInstanceOf(Date);

    backup.engine.advanceBy(10 * MINUTE);
    const described = await client.send(new DescribeBackupJobCommand({ BackupJobId: first.BackupJobId }));
    expect(described.ResourceType).toBe('EBS');
    // One job per resource: of this job and the plan's job of the same volume, one runs, one waits.
    const planJob = backup.store
      .jobs()
      .find((j) => j.kind === 'backup' && j.job.ResourceArn === volume(1) && j.job.BackupJobId !== first.BackupJobId);
    expect([described.State, planJob?.kind === 'backup' ? planJob.job.State : ''].sort()).toEqual([
      'CREATED',
      'RUNNING',
    ]);

    const ids: string[] = [];
    for await (const page of paginateListBackupJobs({ client, pageSize: 2 }, {})) {
      expect((page.BackupJobs ?? []).length).toBeLessThanOrEqual(2);
      ids.push(...(page.BackupJobs ?? []).map((j) => j.BackupJobId ?? ''));
    }
    expect(new Set(ids).size).toBe(6);

    const job = backup.store.jobs().find((j) => j.kind === 'backup' && j.job.CreatedBy);
    const plan = await client.send(
      new GetBackupPlanCommand({
        BackupPlanId: job?.kind === 'backup' ? job.job.CreatedBy?.BackupPlanId : '',
        VersionId: job?.kind === 'backup' ? job.job.CreatedBy?.BackupPlanVersion : '',
      }),
    );
    expect(plan.BackupPlan?.Rules?.[0]?.StartWindowMinutes).toBe(60);
  });

  it('answers a Start without a token as AWS shapes an error', async () => {
    const { IdempotencyToken: _t, ...noToken } = {
      BackupVaultName: 'main',
      ResourceArn: volume(2),
      IamRoleArn: `arn:aws:iam::${ACCOUNT}:role/backup`,
      IdempotencyToken: '',
    };
    // The SDK fills a random token when the member is absent, so an empty one stands for "none" here.
    const error = await client.send(new StartBackupJobCommand({ ...noToken, IdempotencyToken: '' })).catch((e) => e);
    expect(error.name).toBe('InvalidParameterValueException');
    expect(String(error.message)).toMatch(/IdempotencyToken/);
  });
});
