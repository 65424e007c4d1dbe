import {
  BackupClient,
  BackupServiceException,
  DescribeBackupJobCommand,
  DescribeCopyJobCommand,
  GetBackupPlanCommand,
  InvalidParameterValueException,
  ListBackupJobsCommand,
  ListCopyJobsCommand,
  ResourceNotFoundException,
  StartBackupJobCommand,
  TagResourceCommand,
} from '@aws-sdk/client-backup';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createBackupProtocol } from '../../../sandbox/backup/rest-json.js';
import { type Operation, type RunningStandIn, ServiceError, startStandIn } from '../../../sandbox/http/stand-in.js';
import { services } from './helpers.js';

const created = new Date('2026-03-01T10:00:00.250Z');
const completed = new Date('2026-03-01T11:30:00.000Z');

/** The one job ListBackupJobs answers with. */
const listedJob = {
  BackupJobId: 'job-1',
  State: 'COMPLETED',
  CreationDate: created,
  CompletionDate: completed,
  BackupSizeInBytes: 1024,
  CreatedBy: { BackupPlanId: 'plan-1', BackupRuleName: 'daily' },
};

const received: { operation: string; input: unknown }[] = [];
const capture =
  (operation: string, output: unknown = {}): Operation =>
  (input: never) => {
    received.push({ operation, input });
    return output;
  };

const operations: Record<string, Operation> = {
  ListBackupJobs: capture('ListBackupJobs', {
    BackupJobs: [listedJob],
    NextToken: 'page-2',
  }),
  ListCopyJobs: capture('ListCopyJobs', { CopyJobs: [] }),
  StartBackupJob: capture('StartBackupJob', { BackupJobId: 'job-2', CreationDate: created, IsParent: false }),
  GetBackupPlan: capture('GetBackupPlan', { BackupPlanId: 'plan-1', VersionId: 'v2', CreationDate: created }),
  TagResource: capture('TagResource'),
  DescribeBackupJob: () => {
    throw new ServiceError('ResourceNotFoundException', 'Cannot find backup job job-404', 400);
  },
  DescribeCopyJob: () => {
    throw new ServiceError('InvalidParameterValueException', 'Invalid copy job id', 400);
  },
};

const shared = services(Date.parse('2026-03-01T12:00:00Z'));

let standIn: RunningStandIn;
let client: BackupClient;

beforeAll(async () => {
  standIn = await startStandIn({ service: 'backup', protocol: createBackupProtocol(), operations, shared });
  const { accessKeyId } = shared.principals.issue('111122223333', 'test');
  client = new BackupClient({
    endpoint: standIn.url,
    region: 'us-east-1',
    credentials: { accessKeyId, secretAccessKey: 'sandbox' },
  });
});

afterAll(async () => {
  client.destroy();
  await standIn.close();
});

beforeEach(() => {
  received.length = 0;
  shared.faults.clear();
  shared.calls.clear();
});

const lastInput = () => received.at(-1)?.input;

describe('requests the real SDK sends are decoded under the model member names', () => {
  it('ListBackupJobs with every filter arrives typed, timestamps as Dates', async () => {
    // Prepare
    const everyFilter = {
      NextToken: 'tok/en+1=',
      MaxResults: 1000,
      ByResourceArn: 'arn:aws:ec2:us-east-1:111122223333:volume/vol-1',
      ByState: 'FAILED',
      ByBackupVaultName: 'aws/backup/AutomatedBackupVaultDel2',
      ByCreatedBefore: new Date('2026-03-02T00:00:00Z'),
      ByCreatedAfter: new Date('2026-02-28T00:00:00.123Z'),
      ByResourceType: 'Storage Gateway',
      ByAccountId: '*',
      ByCompleteAfter: new Date('2026-02-28T01:00:00Z'),
      ByCompleteBefore: new Date('2026-03-01T01:00:00Z'),
      ByParentJobId: 'parent-1',
      ByMessageCategory: 'ACCESS_DENIED',
    } as const;
    // Act
    await client.send(new ListBackupJobsCommand(structuredClone(everyFilter)));
    // Assess
    expect(received).toEqual([
      {
        operation: 'ListBackupJobs',
        input: everyFilter,
      },
    ]);
    expect(shared.calls.list({ operation: 'ListBackupJobs' })).toMatchObject([
      { account: '111122223333', status: 200 },
    ]);
  });

  it('StartBackupJob body arrives with its nested Lifecycle and RecoveryPointTags map', async () => {
    // Prepare
    const start = {
      BackupVaultName: 'prod-daily',
      ResourceArn: 'arn:aws:dynamodb:us-east-1:111122223333:table/orders',
      IamRoleArn: 'arn:aws:iam::111122223333:role/backup',
      IdempotencyToken: 'retry-job-1-attempt-2',
      StartWindowMinutes: 60,
      CompleteWindowMinutes: 480,
      Lifecycle: { DeleteAfterDays: 35, MoveToColdStorageAfterDays: 7, OptInToArchiveForSupportedResources: false },
      RecoveryPointTags: { team: 'payments', 'backup-autopilot:attempt': '2' },
      BackupOptions: { WindowsVSS: 'enabled' },
    };
    // Act
    await client.send(new StartBackupJobCommand(structuredClone(start)));
    // Assess
    expect(lastInput()).toEqual(start);
  });

  it('GetBackupPlan reads BackupPlanId from the path and VersionId from the query', async () => {
    // Act
    await client.send(new GetBackupPlanCommand({ BackupPlanId: 'plan/with space', VersionId: 'v2' }));
    // Assess
    expect(lastInput()).toEqual({ BackupPlanId: 'plan/with space', VersionId: 'v2' });
  });

  it('TagResource reads a greedy-free ARN label and a body map', async () => {
    // Prepare
    const tagging = {
      ResourceArn: 'arn:aws:backup:us-east-1:111122223333:recovery-point:rp-1',
      Tags: { owner: 'ops' },
    };
    // Act
    await client.send(new TagResourceCommand(structuredClone(tagging)));
    // Assess
    expect(lastInput()).toEqual(tagging);
  });
});

describe('requests AWS would refuse on shape', () => {
  it('refuses MaxResults 5000 naming maxResults, which the SDK itself lets through', async () => {
    // Act
    const error = await client.send(new ListBackupJobsCommand({ MaxResults: 5000 })).catch((e: unknown) => e);
    // Assess
    expect(error).toBeInstanceOf(BackupServiceException);
    expect(error).toMatchObject({
      name: 'ValidationException',
      message:
        "1 validation error detected: Value '5000' at 'maxResults' failed to satisfy constraint: " +
        'Member must have value less than or equal to 1000',
      $metadata: { httpStatusCode: 400 },
    });
    expect(received).toEqual([]);
  });

  it('refuses an unknown enum value', async () => {
    // Act
    const error = await client.send(new ListBackupJobsCommand({ ByState: 'DONE' as never })).catch((e: unknown) => e);
    // Assess
    expect((error as Error).name).toBe('ValidationException');
    expect((error as Error).message).toMatch(
      /^1 validation error detected: Value 'DONE' at 'state' failed to satisfy constraint: Member must satisfy enum value set: \[CREATED, PENDING, RUNNING, ABORTING, ABORTED, COMPLETED, FAILED, EXPIRED, PARTIAL\]$/,
    );
  });

  it('reports every problem at once, in the nested body too', async () => {
    // Act
    const error = await client
      .send(
        new StartBackupJobCommand({
          BackupVaultName: 'x',
          ResourceArn: undefined as never,
          IamRoleArn: 'arn:aws:iam::111122223333:role/backup',
          Lifecycle: { DeleteAfterEvent: 'NEVER' as never },
        }),
      )
      .catch((e: unknown) => e);
    // Assess
    expect((error as Error).message).toBe(
      '3 validation errors detected: ' +
        "Value 'x' at 'backupVaultName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9\\-\\_/]{2,50}$; " +
        "Value null at 'resourceArn' failed to satisfy constraint: Member must not be null; " +
        "Value 'NEVER' at 'lifecycle.deleteAfterEvent' failed to satisfy constraint: Member must satisfy enum value set: [DELETE_AFTER_COPY]",
    );
  });
});

describe('answers the SDK reads back', () => {
  it('round-trips output timestamps as Dates, millisecond-exact, and nested structures', async () => {
    // Act
    const page = await client.send(new ListBackupJobsCommand({}));
    // Assess
    expect(page.NextToken).toBe('page-2');
    expect(page.BackupJobs).toEqual([listedJob]);
    expect(page.$metadata.httpStatusCode).toBe(200);
  });

  it('GetBackupPlan and StartBackupJob outputs reach the SDK', async () => {
    // Act
    const plan = await client.send(new GetBackupPlanCommand({ BackupPlanId: 'plan-1' }));
    const job = await client.send(
      new StartBackupJobCommand({
        BackupVaultName: 'prod-daily',
        ResourceArn: 'arn:aws:dynamodb:us-east-1:111122223333:table/orders',
        IamRoleArn: 'arn:aws:iam::111122223333:role/backup',
        IdempotencyToken: 't-1',
      }),
    );
    // Assess
    expect(plan).toMatchObject({ BackupPlanId: 'plan-1', VersionId: 'v2', CreationDate: created });
    expect(job).toMatchObject({ BackupJobId: 'job-2', CreationDate: created, IsParent: false });
  });

  it('maps modeled errors to the SDK exception classes with message and status', async () => {
    // Act
    const notFound = await client.send(new DescribeBackupJobCommand({ BackupJobId: 'job-404' })).catch((e) => e);
    const invalid = await client.send(new DescribeCopyJobCommand({ CopyJobId: 'bad' })).catch((e) => e);
    // Assess
    expect(notFound).toBeInstanceOf(ResourceNotFoundException);
    expect(notFound).toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'Cannot find backup job job-404',
      Code: 'ResourceNotFoundException',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
    });
    expect(invalid).toBeInstanceOf(InvalidParameterValueException);
    expect(invalid).toMatchObject({ message: 'Invalid copy job id', $metadata: { httpStatusCode: 400 } });
  });

  it('a ThrottlingException is retried by the SDK, then succeeds', async () => {
    // Prepare
    shared.faults.add({ service: 'backup', operation: 'ListCopyJobs', fault: { kind: 'throttle' }, times: 1 });
    // Act
    const page = await client.send(new ListCopyJobsCommand({}));
    // Assess
    expect(page.$metadata.attempts).toBe(2);
    expect(shared.calls.list({ operation: 'ListCopyJobs' }).map((c) => [c.status, c.error])).toEqual([
      [400, 'ThrottlingException'],
      [200, undefined],
    ]);
  });
});
