import {
  ConflictException,
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  GetScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
  ValidationException,
} from '@aws-sdk/client-scheduler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AttemptPayload, scheduleAttempt } from '../../../functions/retry-failed-job/schedule.js';
import { dueAtOf, type RunningScheduler, startScheduler } from '../../../sandbox/services/scheduler.js';
import { clientConfig, HOME, sandboxServices } from './sandbox-services.js';

const GROUP = 'backup-autopilot-retries';
const FUNCTION = 'arn:aws:lambda:us-east-1:111122223333:function:retry-failed-job';
const TARGET = { groupName: GROUP, roleArn: 'arn:aws:iam::111122223333:role/scheduler-invoke', functionArn: FUNCTION };
const payload = (logicalKey: string, attempt = 1): AttemptPayload => ({
  source: 'backup-autopilot',
  action: 'retry-attempt',
  logicalKey,
  attempt,
  kind: 'backup',
  jobId: `job-${logicalKey}`,
});
const schedule = (
  name: string,
  at: string,
  more: Partial<CreateScheduleCommandInput> = {},
): CreateScheduleCommandInput => ({
  Name: name,
  GroupName: GROUP,
  ScheduleExpression: `at(${at})`,
  FlexibleTimeWindow: { Mode: 'OFF' },
  Target: { Arn: FUNCTION, RoleArn: TARGET.roleArn, Input: JSON.stringify({ name }) },
  ...more,
});

describe('EventBridge Scheduler stand-in', () => {
  const { shared } = sandboxServices(Date.UTC(2025, 5, 1, 12));
  let scheduler: RunningScheduler;
  let client: SchedulerClient;

  beforeAll(async () => {
    scheduler = await startScheduler(shared, { home: HOME });
    scheduler.createGroup(GROUP);
    client = new SchedulerClient({ ...clientConfig(shared, scheduler.url, 'RetryFailedJobFunction'), maxAttempts: 1 });
  });
  afterAll(async () => {
    client.destroy();
    await scheduler.close();
  });

  it('answers a duplicate (group, name) with ConflictException, which the toolkit takes as already scheduled', async () => {
    const when = new Date(Date.UTC(2025, 5, 1, 13));
    await expect(scheduleAttempt(client, TARGET, payload('dup'), when)).resolves.toBe(true);
    await expect(scheduleAttempt(client, TARGET, payload('dup'), when)).resolves.toBe(false);

    const error = await client
      .send(new CreateScheduleCommand(schedule('retry-dup-a1', '2025-06-01T13:00:00')))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictException);
    expect(error).toMatchObject({
      message: 'Schedule retry-dup-a1 already exists.',
      $metadata: { httpStatusCode: 409 },
    });
    const stored = scheduler.schedules().find((s) => s.name === 'retry-dup-a1');
    expect(stored).toMatchObject({
      arn: `arn:aws:scheduler:us-east-1:111122223333:schedule/${GROUP}/retry-dup-a1`,
      dueAt: when.getTime(),
      actionAfterCompletion: 'DELETE',
      target: { Arn: FUNCTION, RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 21_600 } },
    });
  });

  it('treats an SDK retry with the same ClientToken after a lost answer as the same request', async () => {
    const retrying = new SchedulerClient({
      ...clientConfig(shared, scheduler.url, 'RetryFailedJobFunction'),
      maxAttempts: 2,
    });
    shared.faults.add({ service: 'scheduler', operation: 'CreateSchedule', fault: { kind: 'drop-after-effect' } });
    const out = await retrying.send(new CreateScheduleCommand(schedule('lost-answer', '2025-06-01T13:00:00')));
    expect(out.ScheduleArn).toBe(`arn:aws:scheduler:us-east-1:111122223333:schedule/${GROUP}/lost-answer`);
    const calls = shared.calls
      .list({ service: 'scheduler' })
      .filter((c) => (c.input as { Name?: string }).Name === 'lost-answer');
    expect(calls.map((c) => c.status)).toEqual([0, 200]);
    const [first, second] = calls.map((c) => (c.input as { ClientToken?: string }).ClientToken);
    expect(first).toBeDefined();
    expect(second).toBe(first);
    retrying.destroy();
  });

  it('answers ResourceNotFoundException for a group that does not exist', async () => {
    const error = await client
      .send(new CreateScheduleCommand(schedule('x', '2025-06-01T13:00:00', { GroupName: 'missing' })))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect(error).toMatchObject({ $metadata: { httpStatusCode: 404 } });
  });

  it.each([
    { case: 'a name over 64 characters', input: schedule('n'.repeat(65), '2025-06-01T13:00:00') },
    { case: 'a name with a slash-free but invalid character', input: schedule('retry#1', '2025-06-01T13:00:00') },
    { case: 'an expression that is not at/rate/cron', input: schedule('bad-expr', '2025-06-01 13:00') },
    {
      case: 'a retry policy out of range',
      input: schedule('bad-retry', '2025-06-01T13:00:00', {
        Target: { Arn: FUNCTION, RoleArn: TARGET.roleArn, RetryPolicy: { MaximumRetryAttempts: 186 } },
      }),
    },
    {
      case: 'a role that is not an IAM role ARN',
      input: schedule('bad-role', '2025-06-01T13:00:00', { Target: { Arn: FUNCTION, RoleArn: FUNCTION } }),
    },
  ])('refuses $case with ValidationException', async ({ input }) => {
    await expect(client.send(new CreateScheduleCommand(input))).rejects.toBeInstanceOf(ValidationException);
  });

  it('reads at(...) in the schedule time zone', () => {
    expect(dueAtOf('at(2025-06-01T14:00:00)', 'Europe/Berlin')).toBe(Date.UTC(2025, 5, 1, 12));
    expect(dueAtOf('at(2025-01-01T14:00:00)', 'Europe/Berlin')).toBe(Date.UTC(2025, 0, 1, 13));
    expect(dueAtOf('at(2025-06-01T14:00:00)')).toBe(Date.UTC(2025, 5, 1, 14));
    expect(dueAtOf('rate(5 minutes)')).toBeUndefined();
  });

  it('hands out due one-time schedules in time then name order, deleting those that say DELETE', async () => {
    for (const s of scheduler.schedules()) scheduler.dueBy(s.dueAt ?? 0); // drain what earlier tests left
    await client.send(
      new CreateScheduleCommand(schedule('b-later', '2025-06-01T15:00:00', { ActionAfterCompletion: 'DELETE' })),
    );
    await client.send(
      new CreateScheduleCommand(schedule('z-first', '2025-06-01T14:00:00', { ActionAfterCompletion: 'DELETE' })),
    );
    await client.send(new CreateScheduleCommand(schedule('a-later', '2025-06-01T15:00:00')));
    await client.send(
      new CreateScheduleCommand(
        schedule('berlin', '2025-06-01T17:30:00', { ScheduleExpressionTimezone: 'Europe/Berlin' }),
      ),
    );
    await client.send(new CreateScheduleCommand(schedule('off', '2025-06-01T14:00:00', { State: 'DISABLED' })));

    expect(scheduler.dueBy(Date.UTC(2025, 5, 1, 13, 59, 59))).toEqual([]);
    const due = scheduler.dueBy(Date.UTC(2025, 5, 1, 15));
    expect(due.map((d) => [d.name, new Date(d.dueAt).toISOString()])).toEqual([
      ['z-first', '2025-06-01T14:00:00.000Z'],
      ['a-later', '2025-06-01T15:00:00.000Z'],
      ['b-later', '2025-06-01T15:00:00.000Z'],
    ]);
    expect(due[0]).toMatchObject({ targetArn: FUNCTION, input: JSON.stringify({ name: 'z-first' }) });
    // Fired once only; DELETE removed, NONE kept.
    expect(scheduler.dueBy(Date.UTC(2025, 5, 1, 15))).toEqual([]);
    const names = scheduler.schedules().map((s) => s.name);
    expect(names).toContain('a-later');
    expect(names).not.toContain('z-first');
    expect(names).not.toContain('b-later');
    expect(scheduler.dueBy(Date.UTC(2025, 5, 1, 15, 29, 59))).toEqual([]);
    expect(scheduler.dueBy(Date.UTC(2025, 5, 1, 15, 30)).map((d) => d.name)).toEqual(['berlin']);
  });

  it('answers an operation the toolkit never calls as unknown', async () => {
    await expect(client.send(new GetScheduleCommand({ Name: 'a-later', GroupName: GROUP }))).rejects.toMatchObject({
      name: 'UnknownOperationException',
    });
  });
});
