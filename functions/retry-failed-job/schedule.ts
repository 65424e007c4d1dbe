import { ConflictException, CreateScheduleCommand, type SchedulerClient } from '@aws-sdk/client-scheduler';

/** What an attempt schedule sends back to this function when it fires. */
export interface AttemptPayload {
  readonly source: 'backup-autopilot';
  readonly action: 'retry-attempt';
  readonly logicalKey: string;
  readonly attempt: number;
  /**
   * Set when the schedule looks again for an attempt that waits for a job running for the resource
   * (decide.ts): how many times it has waited. Each wait is its own schedule, named for it.
   */
  readonly wait?: number;
  readonly kind: 'backup' | 'copy';
  /** The failed job whose failure scheduled this attempt: re-described when the schedule fires. */
  readonly jobId: string;
  /**
   * The failed job's account and Region, where it is re-described and retried (central mode acts in
   * the member's). Schedules made before these were added carry neither: the function's own.
   */
  readonly account?: string;
  readonly region?: string;
}

/**
 * The schedule's name: deterministic, so a duplicate create fails with ConflictException instead of
 * scheduling twice. Scheduler names are at most 64 characters of [0-9a-zA-Z-_.].
 */
export function scheduleName(logicalKey: string, attempt: number, wait?: number): string {
  return `retry-${logicalKey.slice(0, 40)}-a${attempt}${wait === undefined ? '' : `-w${wait}`}`;
}

/** Scheduler's one-time expression: `at(yyyy-mm-ddThh:mm:ss)`, seconds precision, in the given zone (UTC). */
export function atExpression(when: Date): string {
  return `at(${when.toISOString().slice(0, 19)})`;
}

/** Where attempt schedules go and what they invoke. */
export interface ScheduleTarget {
  readonly groupName: string;
  readonly roleArn: string;
  readonly functionArn: string;
  /** SQS queue for an attempt Scheduler could not deliver after its retries. */
  readonly deadLetterArn?: string;
}

/**
 * Creates the one-time schedule of an attempt (EventBridge Scheduler, not a Lambda sleep and not
 * SQS, whose DelaySeconds stops at 900 s). It deletes itself after it fires. Returns `false` when it
 * already existed (a duplicate delivery), which is success.
 */
export async function scheduleAttempt(
  client: SchedulerClient,
  target: ScheduleTarget,
  payload: AttemptPayload,
  when: Date,
  signal?: AbortSignal,
): Promise<boolean> {
  const look = payload.wait === undefined ? '' : ` (look again ${payload.wait})`;
  try {
    await client.send(
      new CreateScheduleCommand({
        Name: scheduleName(payload.logicalKey, payload.attempt, payload.wait),
        GroupName: target.groupName,
        ScheduleExpression: atExpression(when),
        ScheduleExpressionTimezone: 'UTC',
        FlexibleTimeWindow: { Mode: 'OFF' },
        ActionAfterCompletion: 'DELETE',
        Description: `backup-autopilot retry attempt ${payload.attempt}${look} of job ${payload.jobId}`.slice(0, 512),
        Target: {
          Arn: target.functionArn,
          RoleArn: target.roleArn,
          Input: JSON.stringify(payload),
          // Scheduler retries delivery failures only (the function's own errors get Lambda's async
          // retries and its OnFailure queue); what it cannot deliver lands in the queue, not nowhere.
          RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 21_600 },
          ...(target.deadLetterArn ? { DeadLetterConfig: { Arn: target.deadLetterArn } } : {}),
        },
      }),
      { abortSignal: signal },
    );
    return true;
  } catch (error) {
    if (error instanceof ConflictException || (error as Error).name === 'ConflictException') return false;
    throw error;
  }
}
