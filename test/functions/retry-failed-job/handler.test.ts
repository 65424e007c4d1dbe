import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  BackupClient,
  DescribeBackupJobCommand,
  ListBackupJobsCommand,
  ListCopyJobsCommand,
} from '@aws-sdk/client-backup';
import { CreateScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EventParseError } from '../../../shared/errors.js';
import { aContext } from '../../fixtures/context.js';
import { type LedgerTable, startLedgerTable } from '../../support/ledger-table.js';
import { ENV, RESOURCE, ROLE } from './builders.js';

const backup = mockClient(BackupClient);
const scheduler = mockClient(SchedulerClient);
const load = (name: string): unknown =>
  JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', '..', 'events', name), 'utf8'));

let table: LedgerTable;
let handler: (event: unknown, context: ReturnType<typeof aContext>) => Promise<unknown>;

beforeAll(async () => {
  table = await startLedgerTable('retry-handler-test');
  // Set directly, not with vi.stubEnv: the config unstubs envs before each test, and the SDK reads
  // its endpoint at the first call, not when the client is built.
  Object.assign(process.env, { ...ENV, LEDGER_TABLE_NAME: table.tableName, AWS_ENDPOINT_URL_DYNAMODB: table.endpoint });
  ({ handler } = (await import('../../../functions/retry-failed-job/handler.js')) as unknown as {
    handler: typeof handler;
  });
});
afterAll(async () => {
  for (const key of [...Object.keys(ENV), 'LEDGER_TABLE_NAME', 'AWS_ENDPOINT_URL_DYNAMODB']) delete process.env[key];
  await table.stop();
});
beforeEach(() => {
  backup.reset();
  scheduler.reset();
  backup.on(ListBackupJobsCommand).resolves({ BackupJobs: [] });
  backup.on(ListCopyJobsCommand).resolves({ CopyJobs: [] });
  scheduler.on(CreateScheduleCommand).resolves({});
});

describe('retry-failed-job handler', () => {
  it("wires AWS's published FAILED event through to a decision", async () => {
    backup.on(DescribeBackupJobCommand).resolves({
      BackupJobId: '34176239-e96d-4e1d-9fad-529dbb3c3556',
      AccountId: '111122223333',
      State: 'FAILED',
      ResourceArn: RESOURCE,
      BackupVaultName: 'prod',
      IamRoleArn: ROLE,
      CreationDate: new Date(Date.now() - 3_600_000),
      CompletionDate: new Date(),
      StatusMessage: 'An internal error occurred.',
    });
    const result = await handler(load('backup-job.failed.json'), aContext());
    expect(result).toMatchObject({ result: 'scheduled', attempt: 1 });
    expect(backup).toHaveReceivedCommandWith(DescribeBackupJobCommand, {
      BackupJobId: '34176239-e96d-4e1d-9fad-529dbb3c3556',
    });
    // The schedule targets the invoked function itself.
    expect(scheduler.commandCalls(CreateScheduleCommand)[0]?.args[0].input.Target?.Arn).toBe(
      aContext().invokedFunctionArn,
    );
  });

  it('skips a state RETRY_STATES does not name without any AWS call', async () => {
    await expect(handler(load('backup-job.aborted.json'), aContext())).resolves.toMatchObject({
      reason: 'state-not-configured',
    });
    expect(backup.calls()).toHaveLength(0);
  });

  it.each([
    ['a restore event', load('restore-job.failed.json'), 'detail-type'],
    ['an unknown action', { source: 'backup-autopilot', action: 'explode' }, 'action'],
    [
      'an attempt without a key',
      { source: 'backup-autopilot', action: 'retry-attempt', attempt: 1, kind: 'backup', jobId: 'j' },
      'logicalKey',
    ],
    ['an attempt number of 0', { ...(load('retry-failed-job.attempt.json') as object), attempt: 0 }, 'attempt'],
    ['null', null, '(event)'],
    ['a backup event without detail', { ...(load('backup-job.failed.json') as object), detail: undefined }, 'detail'],
  ])('rejects %s naming %s, making no AWS call', async (_name, event, field) => {
    const error = await handler(event, aContext()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EventParseError);
    expect((error as EventParseError).field).toBe(field);
    expect(backup.calls()).toHaveLength(0);
  });

  it('runs the sweep from its schedule payload', async () => {
    await expect(handler(load('retry-failed-job.sweep.json'), aContext())).resolves.toMatchObject({ seen: 0 });
    expect(backup).toHaveReceivedCommandWith(ListBackupJobsCommand, { ByState: 'FAILED' });
    expect(backup).toHaveReceivedCommandWith(ListBackupJobsCommand, { ByState: 'EXPIRED' });
  });
});
