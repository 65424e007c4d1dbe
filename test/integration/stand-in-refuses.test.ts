import {
  BackupClient,
  ListBackupJobsCommand,
  type ListBackupJobsCommandInput,
  StartBackupJobCommand,
} from '@aws-sdk/client-backup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupJobsOf, sandboxPerFile, seedResource } from './support.js';

const sandbox = sandboxPerFile();
let client: BackupClient;

beforeAll(() => {
  // The real SDK client, over real HTTP: serialization, signing and error parsing are the SDK's own.
  client = new BackupClient({
    ...sandbox().clientConfig('refuses-test'),
    endpoint: sandbox().endpoints.backup,
    maxAttempts: 1,
  });
});
afterAll(() => client?.destroy());

/** The error the SDK raised for a call the stand-in refused (never a success). */
const refusal = async (send: Promise<unknown>) => {
  const error = await send.then(
    () => undefined,
    (e: unknown) => e as Error & { $metadata?: { httpStatusCode?: number }; $fault?: string },
  );
  expect(error, 'the stand-in answered with success').toBeDefined();
  return error as Error & { $metadata: { httpStatusCode?: number }; $fault?: string };
};

describe('the Backup stand-in refuses what AWS would refuse', () => {
  it('ListBackupJobs with MaxResults 5000: ValidationException naming maxResults (the model allows 1..1000)', async () => {
    const error = await refusal(client.send(new ListBackupJobsCommand({ MaxResults: 5000 })));
    expect(error.name).toBe('ValidationException');
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.$fault).toBe('client');
    expect(error.message).toContain("Value '5000' at 'maxResults' failed to satisfy constraint");
    expect(error.message).toContain('less than or equal to 1000');
  });

  it('ListBackupJobs with an unknown state: ValidationException naming the enum', async () => {
    const input = { ByState: 'DONE' } as unknown as ListBackupJobsCommandInput;
    const error = await refusal(client.send(new ListBackupJobsCommand(input)));
    expect(error.name).toBe('ValidationException');
    expect(error.message).toContain("Value 'DONE' at 'state' failed to satisfy constraint: Member must satisfy enum");
    expect(error.message).toContain('COMPLETED');
  });

  it('the same calls within the model succeed (the refusals above come from the values)', async () => {
    const output = await client.send(new ListBackupJobsCommand({ MaxResults: 1000, ByState: 'FAILED' }));
    expect(output.BackupJobs).toEqual([]);
  });

  it('StartBackupJob with an empty IdempotencyToken is refused, and no job is created', async () => {
    const seeded = seedResource(sandbox(), 'refuses-0001');
    const error = await refusal(
      client.send(
        new StartBackupJobCommand({
          BackupVaultName: seeded.vaultName,
          ResourceArn: seeded.arn,
          IamRoleArn: `arn:aws:iam::${seeded.account}:role/service-role/AWSBackupDefaultServiceRole`,
          IdempotencyToken: '',
        }),
      ),
    );
    expect(error.name).toBe('InvalidParameterValueException');
    expect(error.message).toContain('IdempotencyToken');
    expect(backupJobsOf(sandbox(), seeded.arn)).toEqual([]);
  });

  it('StartBackupJob sent without a token at all (a signed raw request, no SDK to fill one in) is refused', async () => {
    const seeded = seedResource(sandbox(), 'refuses-0002');
    const { accessKeyId } = sandbox().clientConfig('refuses-raw').credentials;
    // StartBackupJob is PUT /backup-jobs with a JSON body (the model's requestUri).
    const response = await fetch(`${sandbox().endpoints.backup}/backup-jobs`, {
      method: 'PUT',
      headers: {
        'content-type': 'application/json',
        authorization: `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20261130/us-east-1/backup/aws4_request, SignedHeaders=host, Signature=0`,
      },
      body: JSON.stringify({
        BackupVaultName: seeded.vaultName,
        ResourceArn: seeded.arn,
        IamRoleArn: `arn:aws:iam::${seeded.account}:role/service-role/AWSBackupDefaultServiceRole`,
      }),
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toMatch(/^InvalidParameterValueException/);
    const body = (await response.json()) as { message?: string; Message?: string };
    expect(body.message ?? body.Message).toContain('IdempotencyToken');
    expect(backupJobsOf(sandbox(), seeded.arn)).toEqual([]);
    expect(sandbox().calls.list({ caller: 'refuses-raw' })).toEqual([
      expect.objectContaining({ operation: 'StartBackupJob', status: 400, error: 'InvalidParameterValueException' }),
    ]);
  });

  it('an unsigned request is refused before any operation runs', async () => {
    const response = await fetch(`${sandbox().endpoints.backup}/backup-jobs/`, { method: 'GET' });
    expect(response.status).toBe(403);
    expect(response.headers.get('x-amzn-errortype')).toMatch(/^UnrecognizedClientException/);
  });
});
