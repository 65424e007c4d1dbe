import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BackupServiceError, createBackupProtocol } from '../../../sandbox/backup/rest-json.js';
import { type Operation, type RunningStandIn, startStandIn } from '../../../sandbox/http/stand-in.js';
import { services } from './helpers.js';

// Raw HTTP, for what the SDK never sends: bodies that are not JSON, epoch-second query timestamps, stray members.
const received: unknown[] = [];
const operations: Record<string, Operation> = {
  ListBackupJobs: (input: never) => {
    received.push(input);
    return {};
  },
  StartBackupJob: (input: never) => {
    received.push(input);
    return { BackupJobId: 'job-1', CreationDate: new Date(Date.UTC(2026, 2, 1, 10, 0, 0, 250)) };
  },
  DescribeBackupJob: () => {
    throw new BackupServiceError('ResourceNotFoundException', 'Cannot find job', 400, {
      type: 'User',
      context: 'job-1',
    });
  },
  ListCopyJobs: () => ({ CopyJobs: [], Stray: 1 }),
  DeleteBackupVault: () => undefined,
  CancelLegalHold: (input: never) => {
    received.push(input);
    return {};
  },
};

const shared = services(0);

let standIn: RunningStandIn;
let authorization: string;

beforeAll(async () => {
  standIn = await startStandIn({ service: 'backup', protocol: createBackupProtocol(), operations, shared });
  const { accessKeyId } = shared.principals.issue('111122223333', 'raw');
  authorization = `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20260301/us-east-1/backup/aws4_request, SignedHeaders=host, Signature=0`;
});

afterAll(() => standIn.close());

beforeEach(() => {
  received.length = 0;
});

const call = (method: string, path: string, body?: string) =>
  fetch(`${standIn.url}${path}`, { method, headers: { authorization, 'content-type': 'application/json' }, body });

/** StartBackupJob's PUT with its three required members and `extra`. */
const startBackupJob = (extra: Record<string, unknown>) =>
  call(
    'PUT',
    '/backup-jobs',
    JSON.stringify({ BackupVaultName: 'vault', ResourceArn: 'a', IamRoleArn: 'r', ...extra }),
  );

describe('the Backup protocol on the wire', () => {
  it('answers SerializationException 400 for a body that is not JSON', async () => {
    // Act
    const response = await call('PUT', '/backup-jobs', '{"BackupVaultName": "v",');
    // Assess
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe('SerializationException');
    expect(await response.json()).toEqual({
      __type: 'SerializationException',
      message: 'The request body is not valid JSON.',
      Message: 'The request body is not valid JSON.',
    });
    expect(received).toEqual([]);
  });

  it('answers SerializationException for a member of the wrong JSON type', async () => {
    // Act
    const response = await startBackupJob({ Lifecycle: { DeleteAfterDays: '7' } });
    // Assess
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toBe(
      'Expected an integer at \'Lifecycle.DeleteAfterDays\' but found "7"',
    );
  });

  it('ignores body members the model does not have, and accepts ISO body timestamps', async () => {
    // Act
    const response = await startBackupJob({ NotAMember: true, IdempotencyToken: null });
    // Assess
    expect(response.status).toBe(200);
    expect(received).toEqual([{ BackupVaultName: 'vault', ResourceArn: 'a', IamRoleArn: 'r' }]);
    // Output timestamps are epoch seconds with the milliseconds as a fraction.
    expect(await response.json()).toEqual({ BackupJobId: 'job-1', CreationDate: 1772359200.25 });
  });

  it('accepts epoch seconds for a query timestamp, and repeats are read once for a scalar', async () => {
    // Act
    const response = await call('GET', '/backup-jobs/?createdAfter=1772359200&maxResults=10&maxResults=20');
    // Assess
    expect(response.status).toBe(200);
    expect(received).toEqual([{ ByCreatedAfter: new Date('2026-03-01T10:00:00Z'), MaxResults: 10 }]);
  });

  it('refuses a query integer that is not one', async () => {
    // Act
    const response = await call('GET', '/backup-jobs?maxResults=ten');
    // Assess
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe('SerializationException');
  });

  it('answers UnknownOperationException 404 for a route the model does not have', async () => {
    // Act
    const response = await call('GET', '/no-such-thing');
    // Assess
    expect(response.status).toBe(404);
    expect(response.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
  });

  it('writes Code, Type and Context for an error shape that has them', async () => {
    // Act
    const response = await call('GET', '/backup-jobs/job-1');
    // Assess
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({
      __type: 'ResourceNotFoundException',
      message: 'Cannot find job',
      Message: 'Cannot find job',
      Code: 'ResourceNotFoundException',
      Type: 'User',
      Context: 'job-1',
    });
  });

  it('answers 500 for an output member the shape does not have (a stand-in bug is never dropped)', async () => {
    // Act
    const response = await call('GET', '/copy-jobs/');
    // Assess
    expect(response.status).toBe(500);
    expect(((await response.json()) as { message: string }).message).toContain('Stray is not a member of');
  });

  it('answers an empty body for an operation without output', async () => {
    // Act
    const response = await call('DELETE', '/backup-vaults/vault');
    // Assess
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
  });

  it("answers with the operation's responseCode (CancelLegalHold: 201) and reads a long from the query", async () => {
    // Act
    const response = await call('DELETE', '/legal-holds/lh-1?cancelDescription=done&retainRecordInDays=30');
    // Assess
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({});
    expect(received).toEqual([{ LegalHoldId: 'lh-1', CancelDescription: 'done', RetainRecordInDays: 30 }]);
  });
});
