import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  BackupClient,
  DescribeBackupJobCommand,
  DescribeRecoveryPointCommand,
  StartCopyJobCommand,
} from '@aws-sdk/client-backup';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type CopyClaimItem, claimCopy, copyKey } from '../../../functions/start-copy-job/claims.js';
import { copyToken } from '../../../functions/start-copy-job/decide.js';
import type { CopyRun } from '../../../functions/start-copy-job/deps.js';
import { ExactlyOnce } from '../../../shared/ledger/exactly-once.js';
import { LEASE_MS } from '../../../shared/ledger/policy.js';
import { aContext } from '../../fixtures/context.js';
import { type LedgerTable, startLedgerTable } from '../../support/ledger-table.js';

const SRC = '111122223333';
const DR = '222233334444';
const SAMPLE = '1112233445566'; // AWS's published samples carry a 13-digit account
const vault = (region: string, account: string, name: string) =>
  `arn:aws:backup:${region}:${account}:backup-vault:${name}`;
const ROLE = `arn:aws:iam::${SRC}:role/service-role/AWSBackupDefaultServiceRole`;
const SAMPLE_ROLE = `arn:aws:iam::${SAMPLE}:role/service-role/AWSBackupDefaultServiceRole`;
const LOCAL_DR = vault('us-west-2', SRC, 'local-dr');
const STAGING = vault('eu-west-1', SRC, 'staging');
const STAGING2 = vault('ap-southeast-2', SRC, 'staging-2');
const DR_EU = vault('eu-west-1', DR, 'dr');
const DR_AP = vault('ap-southeast-2', DR, 'dr-ap');
const RP = `arn:aws:backup:us-east-1:${SRC}:recovery-point:1EB3B5E7-9EB0-435A-A80B-108B488B0D45`;
const RP_STAGING = `arn:aws:backup:eu-west-1:${SRC}:recovery-point:0B7B3AB0-5C1F-4E4C-9B1B-7E2E4A3E5A11`;
const RP_STAGING2 = `arn:aws:backup:ap-southeast-2:${SRC}:recovery-point:2C8C4BC1-6D20-4F5D-AC2C-8F3F5B4F6B22`;
const SAMPLE_COPY_VAULT = vault('us-west-2', SAMPLE, '846869de-4589-45c3-ab60-4fbbabcdd3ec');
const SAMPLE_DR = vault('eu-west-1', SAMPLE, 'sample-dr');
const TOPIC = `arn:aws:sns:us-east-1:${SRC}:backup-autopilot`;

const RULES = [
  {
    name: 'prod-ebs',
    match: { sourceVault: 'prod-*', resourceTypes: ['EBS', 'RDS'], accounts: [SRC], regions: ['us-east-1'] },
    destinations: [
      { vaultArn: LOCAL_DR },
      { vaultArn: DR_EU, via: [STAGING], lifecycle: { moveToColdStorageAfterDays: 30, deleteAfterDays: 365 } },
      { vaultArn: DR_AP, via: [STAGING, STAGING2], lifecycle: { deleteAfterDays: 35 } },
    ],
  },
  {
    // Matches AWS's published backup sample (vault 9732c1b4-..., resource type "type").
    name: 'sample-backup',
    match: { sourceVault: '9732c1b4-*', accounts: [SAMPLE] },
    destinations: [{ vaultArn: SAMPLE_DR, iamRoleArn: SAMPLE_ROLE }],
  },
  {
    // AWS's published copy sample copies vault 846869de-... into itself: as hop 1 of this route it
    // makes hop 2 (into sample-dr) due, from the EC2 snapshot it names as destinationRecoveryPointArn.
    name: 'sample-copy',
    match: { sourceVault: '846869de-*', accounts: [SAMPLE] },
    destinations: [{ vaultArn: SAMPLE_DR, via: [SAMPLE_COPY_VAULT], iamRoleArn: SAMPLE_ROLE }],
  },
];

const eventsDir = join(import.meta.dirname, '..', '..', '..', 'events');
const load = (file: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(eventsDir, file), 'utf8')) as Record<string, unknown>;

const backup = mockClient(BackupClient);
const sns = mockClient(SNSClient);
let table: LedgerTable;
type Handler = (event: unknown, context: ReturnType<typeof aContext>) => Promise<CopyRun>;

const ENV_KEYS = [
  'LEDGER_TABLE_NAME',
  'COPY_RULES',
  'COPY_RULES_PARAMETER',
  'DEFAULT_COPY_ROLE_ARN',
  'NOTIFY_TOPIC_ARN',
  'DRY_RUN',
  'AWS_ENDPOINT_URL_DYNAMODB',
];

/** Imports a fresh copy of the handler module with this environment (its config is read at import). */
const loadHandler = async (env: Record<string, string>): Promise<Handler> => {
  for (const key of ENV_KEYS) delete process.env[key];
  Object.assign(process.env, env);
  vi.resetModules();
  const module = await import('../../../functions/start-copy-job/handler.js');
  return module.handler as unknown as Handler;
};

const items = async (): Promise<CopyClaimItem[]> =>
  ((await table.documentClient.send(new ScanCommand({ TableName: table.tableName }))).Items ?? []) as CopyClaimItem[];

/**
 * Records in the ledger, as this function's claim would, that the copy job of a COMPLETED copy
 * `event` was started as the hop `hop` of the routes through its vaults: only such a copy continues a route.
 */
const startedAs = async (event: Record<string, unknown>, hop: number): Promise<void> => {
  const detail = event.detail as Record<string, string>;
  const from = detail.sourceRecoveryPointArn ?? (event.resources as string[])[0];
  const token = copyToken(from as string, detail.destinationBackupVaultArn as string, hop);
  await table.documentClient.send(
    new PutCommand({
      TableName: table.tableName,
      Item: { pk: copyKey(token), copyJobId: detail.copyJobId, status: 'started', settled: 'completed', hop },
    }),
  );
};

const warmRecoveryPoint = { Status: 'COMPLETED', StorageClass: 'WARM', ResourceType: 'EBS' } as const;

/** The Region of the client each call was sent with. */
const regionsOf = (calls: readonly { thisValue: unknown }[]) =>
  Promise.all(calls.map((call) => (call.thisValue as BackupClient).config.region()));
const startRegions = () => regionsOf(backup.commandCalls(StartCopyJobCommand));

let handler: Handler;
const baseEnv = () => ({
  LEDGER_TABLE_NAME: table.tableName,
  AWS_ENDPOINT_URL_DYNAMODB: table.endpoint,
  DEFAULT_COPY_ROLE_ARN: ROLE,
  NOTIFY_TOPIC_ARN: TOPIC,
  COPY_RULES: JSON.stringify(RULES),
});

beforeAll(async () => {
  table = await startLedgerTable('copy-ledger');
  handler = await loadHandler(baseEnv());
});
afterAll(async () => {
  for (const key of ENV_KEYS) delete process.env[key];
  await table.stop();
});
beforeEach(() => {
  let n = 0;
  backup.reset();
  sns.reset();
  backup.on(DescribeRecoveryPointCommand).resolves(warmRecoveryPoint);
  backup.on(StartCopyJobCommand).callsFake(async () => ({ CopyJobId: `copy-job-${++n}`, CreationDate: new Date() }));
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
});
afterEach(async () => {
  for (const item of await items()) {
    await table.documentClient.send(new DeleteCommand({ TableName: table.tableName, Key: { pk: item.pk } }));
  }
});

describe('start-copy-job handler: backup COMPLETED', () => {
  it('starts hop 1 of every destination with the exact input, token included, and records each copy', async () => {
    const run = await handler(load('backup-job.completed.prod-ebs.json'), aContext());

    expect(backup).toHaveReceivedCommandWith(DescribeRecoveryPointCommand, {
      BackupVaultName: 'prod-daily',
      RecoveryPointArn: RP,
    });
    expect(backup.commandCalls(StartCopyJobCommand).map((c) => c.args[0].input)).toEqual([
      {
        RecoveryPointArn: RP,
        SourceBackupVaultName: 'prod-daily',
        DestinationBackupVaultArn: LOCAL_DR,
        IamRoleArn: ROLE,
        IdempotencyToken: copyToken(RP, LOCAL_DR, 1),
      },
      {
        RecoveryPointArn: RP,
        SourceBackupVaultName: 'prod-daily',
        DestinationBackupVaultArn: STAGING,
        IamRoleArn: ROLE,
        IdempotencyToken: copyToken(RP, STAGING, 1),
        // One copy into STAGING for the DR_EU route (cold after 30 days, deleted after 365) and the
        // DR_AP route (deleted after 35), kept as the longer asks.
        Lifecycle: { DeleteAfterDays: 365 },
      },
    ]);
    expect(await startRegions()).toEqual(['us-east-1', 'us-east-1']);
    expect(run.results.map((r) => r.outcome)).toEqual(['started', 'started']);
    expect(run.plan.skips.map((s) => [s.reason, s.destinationVaultArn])).toEqual([['duplicate-route', DR_AP]]);

    const recorded = (await items()).sort((a, b) => a.hops - b.hops);
    expect(recorded.map((i) => [i.finalDestinationVaultArn, i.destinationVaultArn, i.hop, i.hops, i.status])).toEqual([
      [LOCAL_DR, LOCAL_DR, 1, 1, 'started'],
      [DR_EU, STAGING, 1, 2, 'started'],
    ]);
    for (const item of recorded) {
      expect(item).toMatchObject({
        pk: `copy#${item.request.IdempotencyToken}`,
        kind: 'copy',
        accountId: SRC,
        region: 'us-east-1',
        sourceRecoveryPointArn: RP,
        ruleName: 'prod-ebs',
        copyJobId: expect.stringMatching(/^copy-job-\d$/),
        activityDay: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
        activityAt: expect.any(String),
        expiresAt: expect.any(Number),
      });
    }
  });

  it("AWS's published COMPLETED backup: recovery point from resources[0]", async () => {
    await handler(load('backup-job.completed.json'), aContext());
    const rp = 'arn:aws:backup:us-west-2:1112233445566:recovery-point:f1d966fe-a3bd-410b-b292-99f442d13b56';
    expect(backup).not.toHaveReceivedCommand(DescribeBackupJobCommand);
    expect(backup).toHaveReceivedCommandWith(DescribeRecoveryPointCommand, {
      BackupVaultName: '9732c1b4-1091-472a-9d9f-52e0565ee39a',
      RecoveryPointArn: rp,
    });
    expect(backup.commandCalls(StartCopyJobCommand).map((c) => c.args[0].input)).toEqual([
      {
        RecoveryPointArn: rp,
        SourceBackupVaultName: '9732c1b4-1091-472a-9d9f-52e0565ee39a',
        DestinationBackupVaultArn: SAMPLE_DR,
        IamRoleArn: SAMPLE_ROLE,
        IdempotencyToken: copyToken(rp, SAMPLE_DR, 1),
      },
    ]);
    expect(await startRegions()).toEqual(['us-west-2']);
  });

  it('falls back to DescribeBackupJob when the event names no recovery point', async () => {
    const event = structuredClone(load('backup-job.completed.prod-ebs.json'));
    event.resources = [];
    backup.on(DescribeBackupJobCommand).resolves({ RecoveryPointArn: RP, BackupVaultName: 'prod-daily' });
    await handler(event, aContext());
    expect(backup).toHaveReceivedCommandWith(DescribeBackupJobCommand, {
      BackupJobId: '7b0c3d2e-5f6a-4b8c-9d0e-1f2a3b4c5d6e',
    });
    expect(backup).toHaveReceivedCommandTimes(StartCopyJobCommand, 2);
  });

  it('skips a cold recovery point without any start or ledger write', async () => {
    backup.on(DescribeRecoveryPointCommand).resolves({ ...warmRecoveryPoint, StorageClass: 'COLD' });
    const run = await handler(load('backup-job.completed.prod-ebs.json'), aContext());
    expect(run.plan.skips.map((s) => s.reason)).toEqual([
      'cold-or-archive-tier',
      'cold-or-archive-tier',
      'cold-or-archive-tier',
    ]);
    expect(backup).not.toHaveReceivedCommand(StartCopyJobCommand);
    expect(await items()).toEqual([]);
  });

  it('makes no AWS call for a backup no rule matches', async () => {
    const event = structuredClone(load('backup-job.completed.prod-ebs.json'));
    (event.detail as Record<string, unknown>).backupVaultName = 'dev-daily';
    (event.detail as Record<string, unknown>).backupVaultArn = vault('us-east-1', SRC, 'dev-daily');
    const run = await handler(event, aContext());
    expect(run.plan.skips.map((s) => s.reason)).toEqual(['no-rule-matches']);
    expect(backup.calls()).toHaveLength(0);
  });

  it('makes no AWS call for an event of an account no rule names, or of another partition', async () => {
    const foreign = structuredClone(load('backup-job.completed.prod-ebs.json'));
    foreign.account = '999988887777';
    const run = await handler(foreign, aContext());
    expect(run.plan.skips).toEqual([
      { reason: 'out-of-scope', detail: expect.stringContaining('event of account 999988887777') },
    ]);
    const china = JSON.parse(
      JSON.stringify(load('backup-job.completed.prod-ebs.json')).replaceAll('arn:aws:', 'arn:aws-cn:'),
    );
    expect((await handler(china, aContext())).plan.skips.map((s) => s.reason)).toEqual(['out-of-scope']);
    expect(backup.calls()).toHaveLength(0);
    expect(await items()).toEqual([]);
  });

  it.each([
    { case: 'not an object', event: 'hello', field: '(event)' },
    { case: 'another source', event: { ...load('backup-job.completed.json'), source: 'aws.ec2' }, field: 'source' },
    {
      case: 'no job id',
      event: { ...load('backup-job.completed.json'), detail: { state: 'COMPLETED' } },
      field: 'detail.backupJobId',
    },
  ])('a malformed event ($case) fails naming the field and makes no AWS call', async ({ event, field }) => {
    await expect(handler(event, aContext())).rejects.toMatchObject({ name: 'EventParseError', field });
    expect(backup.calls()).toHaveLength(0);
    expect(sns.calls()).toHaveLength(0);
  });
});

describe('start-copy-job handler: copy COMPLETED continues routes', () => {
  it('hop 1 landed in staging (eu-west-1): starts hop 2 of both routes from eu-west-1', async () => {
    const event = load('copy-job.completed.hop-1-to-staging.json');
    await startedAs(event, 1);
    await handler(event, aContext());
    expect(backup).toHaveReceivedCommandWith(DescribeRecoveryPointCommand, {
      BackupVaultName: 'staging',
      RecoveryPointArn: RP_STAGING,
    });
    expect(backup.commandCalls(StartCopyJobCommand).map((c) => c.args[0].input)).toEqual([
      {
        RecoveryPointArn: RP_STAGING,
        SourceBackupVaultName: 'staging',
        DestinationBackupVaultArn: DR_EU,
        IamRoleArn: ROLE,
        IdempotencyToken: copyToken(RP_STAGING, DR_EU, 2),
        Lifecycle: { MoveToColdStorageAfterDays: 30, DeleteAfterDays: 365 },
      },
      {
        RecoveryPointArn: RP_STAGING,
        SourceBackupVaultName: 'staging',
        DestinationBackupVaultArn: STAGING2,
        IamRoleArn: ROLE,
        IdempotencyToken: copyToken(RP_STAGING, STAGING2, 2),
        Lifecycle: { DeleteAfterDays: 35 },
      },
    ]);
    // Both the describe and the starts ran on the eu-west-1 client.
    expect(await startRegions()).toEqual(['eu-west-1', 'eu-west-1']);
    expect(await regionsOf(backup.commandCalls(DescribeRecoveryPointCommand))).toEqual(['eu-west-1']);
  });

  it('hop 2 landed in staging-2 (ap-southeast-2): starts hop 3 into the other account from ap-southeast-2', async () => {
    const event = load('copy-job.completed.hop-2-to-staging-2.json');
    await startedAs(event, 2);
    const run = await handler(event, aContext());
    expect(backup.commandCalls(StartCopyJobCommand).map((c) => c.args[0].input)).toEqual([
      {
        RecoveryPointArn: RP_STAGING2,
        SourceBackupVaultName: 'staging-2',
        DestinationBackupVaultArn: DR_AP,
        IamRoleArn: ROLE,
        IdempotencyToken: copyToken(RP_STAGING2, DR_AP, 3),
        Lifecycle: { DeleteAfterDays: 35 },
      },
    ]);
    expect(await startRegions()).toEqual(['ap-southeast-2']);
    expect(run.results.map((r) => [r.outcome, r.copy.hop, r.copy.hops])).toEqual([['started', 3, 3]]);
  });

  it("AWS's published COMPLETED copy: hop 2 from the EC2 snapshot it made, in us-west-2", async () => {
    const snapshot = 'arn:aws:ec2:us-west-2::snapshot/snap-0726fe70935586180';
    const event = load('copy-job.completed.json');
    await startedAs(event, 1);
    await handler(event, aContext());
    expect(backup.commandCalls(StartCopyJobCommand).map((c) => c.args[0].input)).toEqual([
      {
        RecoveryPointArn: snapshot,
        SourceBackupVaultName: '846869de-4589-45c3-ab60-4fbbabcdd3ec',
        DestinationBackupVaultArn: SAMPLE_DR,
        IamRoleArn: SAMPLE_ROLE,
        IdempotencyToken: copyToken(snapshot, SAMPLE_DR, 2),
      },
    ]);
    expect(await startRegions()).toEqual(['us-west-2']);
  });

  it('a copy that reached its final destination ends the route: no call', async () => {
    const event = structuredClone(load('copy-job.completed.hop-1-to-staging.json'));
    const detail = event.detail as Record<string, unknown>;
    detail.sourceBackupVaultArn = STAGING;
    detail.destinationBackupVaultArn = DR_EU;
    detail.destinationRecoveryPointArn = `arn:aws:backup:eu-west-1:${DR}:recovery-point:ABC`;
    await startedAs(event, 2);
    const run = await handler(event, aContext());
    expect(run.plan.skips.map((s) => s.reason)).toEqual(['route-ended']);
    expect(backup.calls()).toHaveLength(0);
  });
});

describe('start-copy-job handler: exactly once per destination and hop', () => {
  it('the same event twice starts each copy once; the second delivery makes no StartCopyJob call', async () => {
    const event = load('backup-job.completed.prod-ebs.json');
    await handler(event, aContext());
    const second = await handler(structuredClone(event), aContext());
    expect(backup).toHaveReceivedCommandTimes(StartCopyJobCommand, 2);
    expect(second.results.map((r) => r.outcome)).toEqual(['duplicate', 'duplicate']);
    expect(second.results.map((r) => (r.outcome === 'duplicate' ? r.copyJobId : undefined))).toEqual([
      'copy-job-1',
      'copy-job-2',
    ]);
  });

  it('10 concurrent deliveries start each copy once (dynalite conditional puts)', async () => {
    const event = load('backup-job.completed.prod-ebs.json');
    backup.on(StartCopyJobCommand).callsFake(async (input: { IdempotencyToken: string }) => {
      await new Promise((r) => setTimeout(r, 20)); // keep the claim open while the others arrive
      return { CopyJobId: `job-${input.IdempotencyToken}` };
    });
    const runs = await Promise.allSettled(
      Array.from({ length: 10 }, () => handler(structuredClone(event), aContext())),
    );
    expect(backup).toHaveReceivedCommandTimes(StartCopyJobCommand, 2);
    const tokens = backup.commandCalls(StartCopyJobCommand).map((c) => c.args[0].input.IdempotencyToken);
    expect(new Set(tokens).size).toBe(2);
    // A delivery that met a claim still being answered is not told "done": it fails, so Lambda
    // delivers it again (a holder that died would otherwise lose the copy).
    for (const run of runs) {
      if (run.status === 'rejected') expect(run.reason).toMatchObject({ name: 'CopyInFlightError' });
    }
    // The redelivery after them all finds every copy answered: two duplicates, no call.
    const again = await handler(structuredClone(event), aContext());
    expect(again.results.map((r) => r.outcome)).toEqual(['duplicate', 'duplicate']);
    expect(backup).toHaveReceivedCommandTimes(StartCopyJobCommand, 2);
    expect((await items()).map((i) => i.copyJobId).sort()).toEqual(tokens.map((t) => `job-${t}`).sort());
  });

  const localDrCopy = {
    ruleName: 'prod-ebs',
    destinationVaultArn: LOCAL_DR,
    hop: 1,
    hops: 1,
    region: 'us-east-1',
    accountId: SRC,
    input: {
      RecoveryPointArn: RP,
      SourceBackupVaultName: 'prod-daily',
      DestinationBackupVaultArn: LOCAL_DR,
      IamRoleArn: ROLE,
      IdempotencyToken: copyToken(RP, LOCAL_DR, 1),
    },
  };

  it('a claim left without a job id by a dead container (lease over) is re-sent with the identical stored input', async () => {
    const ledger = new ExactlyOnce(table.documentClient, { tableName: table.tableName, ttlDays: 90 });
    const claim = await claimCopy(ledger, localDrCopy, { now: new Date(Date.now() - LEASE_MS - 60_000) });
    expect(claim.kind).toBe('claimed');

    const run = await handler(load('backup-job.completed.prod-ebs.json'), aContext());
    expect(run.results[0]).toMatchObject({ outcome: 'started', resent: true, copyJobId: 'copy-job-1' });
    expect(backup.commandCalls(StartCopyJobCommand)[0]?.args[0].input).toEqual(localDrCopy.input);
    expect(backup).toHaveReceivedCommandTimes(StartCopyJobCommand, 2);
    expect((await ledger.get<CopyClaimItem>(`copy#${localDrCopy.input.IdempotencyToken}`))?.copyJobId).toBe(
      'copy-job-1',
    );
  });

  it('a live claim gets no second call, and the delivery fails (CopyInFlightError) so it is delivered again', async () => {
    const ledger = new ExactlyOnce(table.documentClient, { tableName: table.tableName, ttlDays: 90 });
    await claimCopy(ledger, localDrCopy, { now: new Date() });

    await expect(handler(load('backup-job.completed.prod-ebs.json'), aContext())).rejects.toMatchObject({
      name: 'CopyInFlightError',
      message: expect.stringContaining('rule "prod-ebs" (hop 1) is claimed by another invocation until'),
    });
    // The other copies of the event were started all the same; only the held one waits.
    expect((await ledger.get<CopyClaimItem>(`copy#${localDrCopy.input.IdempotencyToken}`))?.status).toBe('claimed');
    expect(backup.commandCalls(StartCopyJobCommand).map((c) => c.args[0].input.DestinationBackupVaultArn)).toEqual([
      STAGING,
    ]);
  });

  it('a retryable failure releases the claim so the async retry re-sends only that copy, identically', async () => {
    const event = load('backup-job.completed.prod-ebs.json');
    backup
      .on(StartCopyJobCommand)
      .rejectsOnce(
        Object.assign(new Error('Service unavailable'), {
          name: 'ServiceUnavailableException',
          $metadata: { httpStatusCode: 503 },
        }),
      )
      .resolves({ CopyJobId: 'copy-job-ok' });
    // A long deadline: without the release the retry would wait for the lease.
    await expect(handler(event, aContext({ getRemainingTimeInMillis: () => 3_600_000 }))).rejects.toMatchObject({
      name: 'BackupApiError',
      retryable: true,
    });
    const first = backup.commandCalls(StartCopyJobCommand).map((c) => c.args[0].input);
    expect(first).toHaveLength(2);
    expect((await items()).filter((i) => i.copyJobId === undefined)).toHaveLength(1);

    backup.reset();
    backup.on(DescribeRecoveryPointCommand).resolves(warmRecoveryPoint);
    backup.on(StartCopyJobCommand).resolves({ CopyJobId: 'copy-job-ok' });
    const retry = await handler(structuredClone(event), aContext());
    expect(backup.commandCalls(StartCopyJobCommand).map((c) => c.args[0].input)).toEqual([first[0]]);
    expect(retry.results.map((r) => r.outcome)).toEqual(['started', 'duplicate']);
    expect(retry.results[0]).toMatchObject({ outcome: 'started', resent: true });
    expect(sns).not.toHaveReceivedCommand(PublishCommand);
  });
});

describe('start-copy-job handler: a refused start', () => {
  const accessDenied = () =>
    Object.assign(
      new Error(
        'User: arn:aws:sts::111122223333:assumed-role/AWSBackupDefaultServiceRole is not authorized to perform: backup:CopyIntoBackupVault on resource: arn:aws:backup:eu-west-1:222233334444:backup-vault:dr with an explicit deny in a resource-based policy',
      ),
      { name: 'AccessDeniedException', $fault: 'client', $metadata: { httpStatusCode: 403 } },
    );

  it('sends one alert naming rule, destination, cause and remedy, and never loops', async () => {
    const event = load('copy-job.completed.hop-1-to-staging.json');
    await startedAs(event, 1);
    backup
      .on(StartCopyJobCommand, { DestinationBackupVaultArn: DR_EU })
      .rejects(accessDenied())
      .on(StartCopyJobCommand, { DestinationBackupVaultArn: STAGING2 })
      .resolves({ CopyJobId: 'copy-job-ok' });

    const run = await handler(event, aContext());
    expect(run.results.map((r) => r.outcome)).toEqual(['failed-to-start', 'started']);
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    const publish = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(publish?.TopicArn).toBe(TOPIC);
    expect(publish?.Subject).toBe('Backup copy not started: prod-ebs -> dr (access-denied)');
    expect(publish?.Message).toContain('rule "prod-ebs", hop 2 of 2');
    expect(publish?.Message).toContain(`Destination: ${DR_EU}`);
    expect(publish?.Message).toContain('Cause: ');
    expect(publish?.Message).toContain('Remedy: ');
    expect(publish?.Message).toContain('backup:CopyIntoBackupVault');
    expect(publish?.MessageAttributes?.category).toEqual({ DataType: 'String', StringValue: 'access-denied' });
    const failed = (await items()).find((i) => i.destinationVaultArn === DR_EU);
    expect(failed).toMatchObject({
      status: 'failed-to-start',
      category: 'access-denied',
      alertedAt: expect.any(String),
    });

    // Redelivery: no StartCopyJob for the refused destination, no second alert.
    backup.resetHistory();
    sns.resetHistory();
    const again = await handler(structuredClone(event), aContext());
    expect(again.results.map((r) => r.outcome)).toEqual(['duplicate', 'duplicate']);
    expect(backup).not.toHaveReceivedCommand(StartCopyJobCommand);
    expect(sns).not.toHaveReceivedCommand(PublishCommand);
  });

  it('an alert that could not be published is sent by the retry, without a second StartCopyJob', async () => {
    const event = load('copy-job.completed.hop-1-to-staging.json');
    await startedAs(event, 1);
    backup
      .on(StartCopyJobCommand, { DestinationBackupVaultArn: DR_EU })
      .rejects(accessDenied())
      .on(StartCopyJobCommand, { DestinationBackupVaultArn: STAGING2 })
      .resolves({ CopyJobId: 'copy-job-ok' });
    sns
      .on(PublishCommand)
      .rejectsOnce(Object.assign(new Error('KMS throttled'), { name: 'KMSThrottlingException' }))
      .resolves({ MessageId: 'm-2' });

    await expect(handler(event, aContext())).rejects.toMatchObject({ name: 'KMSThrottlingException' });
    const retry = await handler(structuredClone(event), aContext());

    expect(retry.results.map((r) => r.outcome)).toEqual(['failed-to-start', 'duplicate']);
    expect(backup.commandCalls(StartCopyJobCommand, { DestinationBackupVaultArn: DR_EU })).toHaveLength(1);
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 2); // the failed publish, then the one alert
    expect(sns.commandCalls(PublishCommand)[1]?.args[0].input.Message).toContain('Remedy: ');
    const failed = (await items()).find((i) => i.destinationVaultArn === DR_EU);
    expect(failed).toMatchObject({ status: 'failed-to-start', alertedAt: expect.any(String) });
  });

  it('a DynamoDB failure right after a successful StartCopyJob is raised, never alerted as AWS refusing', async () => {
    // Prepare: every StartCopyJob succeeds; recording the first answer fails (after the SDK's retries).
    const dynamoDown = Object.assign(new Error('Internal server error'), {
      name: 'InternalServerError',
      $fault: 'server',
      $metadata: { httpStatusCode: 500 },
    });
    const send = DynamoDBDocumentClient.prototype.send;
    let failures = 1;
    const spy = vi.spyOn(DynamoDBDocumentClient.prototype, 'send').mockImplementation(function (
      this: DynamoDBDocumentClient,
      ...args: Parameters<DynamoDBDocumentClient['send']>
    ) {
      const [command] = args;
      if (command instanceof UpdateCommand && command.input.ExpressionAttributeValues?.[':settled'] === 'completed') {
        if (failures > 0) {
          failures -= 1;
          return Promise.reject(dynamoDown);
        }
      }
      return (send as (...a: unknown[]) => Promise<unknown>).apply(this, args);
    } as DynamoDBDocumentClient['send']);
    const event = load('copy-job.completed.hop-1-to-staging.json');
    await startedAs(event, 1);
    // Act
    await expect(handler(event, aContext())).rejects.toBe(dynamoDown);
    // Assess: no "AWS Backup refused to start a copy" alert, nothing recorded as failed-to-start.
    expect(sns).not.toHaveReceivedCommand(PublishCommand);
    expect((await items()).filter((i) => i.status === 'failed-to-start')).toEqual([]);
    const first = backup.commandCalls(StartCopyJobCommand).map((c) => c.args[0].input);
    expect(first).toHaveLength(2);
    // The redelivery re-sends only the unrecorded copy, identically (same token: AWS returns the same job).
    spy.mockRestore();
    backup.resetHistory();
    const retry = await handler(structuredClone(event), aContext());
    expect(backup.commandCalls(StartCopyJobCommand).map((c) => c.args[0].input)).toEqual([first[0]]);
    expect(retry.results.map((r) => r.outcome)).toEqual(['started', 'duplicate']);
    expect(sns).not.toHaveReceivedCommand(PublishCommand);
  });

  it('throttling after the SDK retries is rethrown for Lambda to retry, without an alert', async () => {
    backup
      .on(StartCopyJobCommand)
      .rejects(
        Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } }),
      );
    const event = load('copy-job.completed.hop-1-to-staging.json');
    await startedAs(event, 1);
    await expect(handler(event, aContext())).rejects.toMatchObject({
      name: 'BackupApiError',
      errorName: 'ThrottlingException',
    });
    expect(sns).not.toHaveReceivedCommand(PublishCommand);
    expect(backup).toHaveReceivedCommandTimes(StartCopyJobCommand, 2); // both destinations tried
  });
});

describe('start-copy-job handler: DRY_RUN', () => {
  let dryRun: Handler;
  beforeAll(async () => {
    dryRun = await loadHandler({ ...baseEnv(), DRY_RUN: 'true' });
  });
  afterAll(async () => {
    handler = await loadHandler(baseEnv());
  });

  it('plans and logs every StartCopyJob input; starts, writes and publishes nothing', async () => {
    const { logger } = await import('../../../shared/logger.js');
    const info = vi.spyOn(logger, 'info');
    const run = await dryRun(load('backup-job.completed.prod-ebs.json'), aContext());
    expect(run.results.map((r) => r.outcome)).toEqual(['dry-run', 'dry-run']);
    expect(backup).not.toHaveReceivedCommand(StartCopyJobCommand);
    expect(sns).not.toHaveReceivedCommand(PublishCommand);
    expect(await items()).toEqual([]);
    const logged = info.mock.calls.filter(([message]) => message === 'copy planned (dry run: not started)');
    expect(logged.map(([, data]) => (data as { input: { IdempotencyToken: string } }).input.IdempotencyToken)).toEqual([
      copyToken(RP, LOCAL_DR, 1),
      copyToken(RP, STAGING, 1),
    ]);
  });
});

describe('start-copy-job handler: cold start', () => {
  const ssm = mockClient(SSMClient);
  afterEach(() => ssm.reset());
  afterAll(async () => {
    handler = await loadHandler(baseEnv());
  });

  it('fails the first invocation listing every problem of the rules, before any AWS call, and again on the next', async () => {
    const bad = [
      { name: 'a', destinations: [{ vaultArn: 'arn:aws:backup:eu-west-1:111122223333:vault/x' }] },
      { name: 'a', match: { sourceVaults: 'prod-*' }, destinations: [{ vaultArn: DR_EU }] },
      // Route checks run on rules whose match parsed, so the bad route has a rule of its own.
      { name: 'b', destinations: [{ vaultArn: DR_EU, via: [DR_AP] }] },
    ];
    const broken = await loadHandler({ ...baseEnv(), COPY_RULES: JSON.stringify(bad) });
    const invoke = () => broken(load('backup-job.completed.prod-ebs.json'), aContext()).catch((e: unknown) => e);
    const error = await invoke();
    expect(error).toMatchObject({ name: 'ConfigError' });
    // A failed validation is not kept as the container's rules: the next invocation says it again.
    expect(await invoke()).toMatchObject({ name: 'ConfigError' });
    expect(backup.calls()).toHaveLength(0);
    expect((error as { problems: string[] }).problems).toEqual([
      expect.stringContaining('COPY_RULES[0] ("a").destinations[0].vaultArn: must be a backup vault ARN'),
      'COPY_RULES[1] ("a").name: duplicate rule name "a" (also [0])',
      expect.stringContaining('COPY_RULES[1] ("a").match: unknown key "sourceVaults"'),
      expect.stringContaining('COPY_RULES[2] ("b").destinations[0].via[0]: hop 1 of 2 goes into account 222233334444'),
    ]);
  });

  it('reads the rules from the SSM parameter once per container', async () => {
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: JSON.stringify(RULES) } });
    const env: Record<string, string> = { ...baseEnv(), COPY_RULES_PARAMETER: '/backup-autopilot/copy-rules' };
    delete env.COPY_RULES;
    const fromSsm = await loadHandler(env);
    await fromSsm(load('backup-job.completed.prod-ebs.json'), aContext());
    const copied = load('copy-job.completed.hop-1-to-staging.json');
    // The backup's hop-1 claims, as if AWS had named that copy job for them.
    await startedAs(copied, 1);
    await fromSsm(copied, aContext());
    expect(ssm).toHaveReceivedCommandTimes(GetParameterCommand, 1);
    // Hop 1: LOCAL_DR and the one copy into STAGING; hop 2 from it: DR_EU, and STAGING2 (DR_AP's route).
    expect(backup).toHaveReceivedCommandTimes(StartCopyJobCommand, 4);
  });
});
