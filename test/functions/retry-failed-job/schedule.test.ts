import { ConflictException, CreateScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { classifyInput } from '../../../functions/retry-failed-job/parse.js';
import {
  type AttemptPayload,
  atExpression,
  type ScheduleTarget,
  scheduleAttempt,
  scheduleName,
} from '../../../functions/retry-failed-job/schedule.js';
import { sampleEvent } from '../../support/events.js';
import { ENV } from './builders.js';

const scheduler = mockClient(SchedulerClient);
const client = new SchedulerClient({ region: 'us-east-1' });

const payload = sampleEvent('retry-failed-job.attempt.json') as unknown as AttemptPayload;
const target: ScheduleTarget = {
  groupName: ENV.SCHEDULER_GROUP_NAME,
  roleArn: ENV.SCHEDULER_ROLE_ARN,
  functionArn: 'arn:aws:lambda:us-east-1:111122223333:function:backup-autopilot-retry-failed-job',
};
const WHEN = new Date('2026-11-24T03:20:00.789Z');

beforeEach(() => {
  scheduler.reset();
  scheduler
    .on(CreateScheduleCommand)
    .resolves({ ScheduleArn: 'arn:aws:scheduler:us-east-1:111122223333:schedule/g/n' });
});

describe('scheduleName', () => {
  it('is the same for the same attempt, and within Scheduler 64 characters of [0-9a-zA-Z-_.]', () => {
    const name = scheduleName(payload.logicalKey, 10);
    expect(name).toBe(`retry-${payload.logicalKey}-a10`);
    expect(name).toMatch(/^[0-9a-zA-Z\-_.]{1,64}$/);
    expect(scheduleName(payload.logicalKey, 2)).not.toBe(scheduleName(payload.logicalKey, 3));
  });

  it('names each look again of an attempt on its own, within the 64 characters', () => {
    // A look again is created while the schedule that fired it may still exist (deleted after it
    // fires): the same name would read as "already scheduled" and drop the wait.
    const longest = scheduleName(payload.logicalKey, 10, 24);
    expect(longest).toBe(`retry-${payload.logicalKey}-a10-w24`);
    expect(longest).toMatch(/^[0-9a-zA-Z\-_.]{1,64}$/);
    expect(scheduleName(payload.logicalKey, 1, 1)).not.toBe(scheduleName(payload.logicalKey, 1));
    expect(scheduleName(payload.logicalKey, 1, 1)).not.toBe(scheduleName(payload.logicalKey, 1, 2));
  });
});

describe('atExpression', () => {
  it("writes Scheduler's one-time expression to the second", () => {
    expect(atExpression(WHEN)).toBe('at(2026-11-24T03:20:00)');
  });
});

describe('scheduleAttempt', () => {
  it('creates a one-time UTC schedule that invokes the function with the payload, and deletes itself', async () => {
    await expect(scheduleAttempt(client, target, payload, WHEN)).resolves.toBe(true);
    expect(scheduler.commandCalls(CreateScheduleCommand).map((c) => c.args[0].input)).toEqual([
      {
        Name: scheduleName(payload.logicalKey, 1),
        GroupName: 'backup-autopilot',
        ScheduleExpression: 'at(2026-11-24T03:20:00)',
        ScheduleExpressionTimezone: 'UTC',
        FlexibleTimeWindow: { Mode: 'OFF' },
        ActionAfterCompletion: 'DELETE',
        Description: `backup-autopilot retry attempt 1 of job ${payload.jobId}`,
        Target: {
          Arn: target.functionArn,
          RoleArn: target.roleArn,
          Input: JSON.stringify(payload),
          RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 21_600 },
        },
      },
    ]);
  });

  it('sends an input the function reads back as the same attempt', async () => {
    await scheduleAttempt(client, target, payload, WHEN);
    const input = scheduler.commandCalls(CreateScheduleCommand)[0]?.args[0].input.Target?.Input ?? '';
    expect(classifyInput(JSON.parse(input))).toEqual(classifyInput(payload));
  });

  it('sends what Scheduler cannot deliver to the dead-letter queue when one is set', async () => {
    const deadLetterArn = 'arn:aws:sqs:us-east-1:111122223333:backup-autopilot-events-dlq';
    await scheduleAttempt(client, { ...target, deadLetterArn }, payload, WHEN);
    expect(scheduler.commandCalls(CreateScheduleCommand)[0]?.args[0].input.Target?.DeadLetterConfig).toEqual({
      Arn: deadLetterArn,
    });
  });

  it('keeps the description within 512 characters for a long job id', async () => {
    await scheduleAttempt(client, target, { ...payload, jobId: 'j'.repeat(1024) }, WHEN);
    expect(scheduler.commandCalls(CreateScheduleCommand)[0]?.args[0].input.Description).toHaveLength(512);
  });

  it('answers false when the schedule already exists: a duplicate delivery, not an error', async () => {
    scheduler.on(CreateScheduleCommand).rejects(
      new ConflictException({
        message: 'Schedule already exists',
        Message: 'Schedule already exists',
        $metadata: {},
      }),
    );
    await expect(scheduleAttempt(client, target, payload, WHEN)).resolves.toBe(false);
  });

  it('raises any other error', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    scheduler.on(CreateScheduleCommand).rejects(throttled);
    await expect(scheduleAttempt(client, target, payload, WHEN)).rejects.toThrow('Rate exceeded');
  });

  it('passes the invocation abort signal to the call', async () => {
    const controller = new AbortController();
    controller.abort();
    await scheduleAttempt(client, target, payload, WHEN, controller.signal);
    // The mock records send's options beside the command, though its type names the command only.
    const [call] = scheduler.commandCalls(CreateScheduleCommand);
    expect((call?.args as unknown[] | undefined)?.[1]).toEqual({ abortSignal: controller.signal });
  });
});
