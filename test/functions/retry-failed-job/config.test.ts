import { describe, expect, it } from 'vitest';
import { loadRetryConfig } from '../../../functions/retry-failed-job/config.js';
import { ConfigError } from '../../../shared/errors.js';
import { ENV } from './builders.js';

describe('loadRetryConfig', () => {
  it('applies defaults', () => {
    expect(loadRetryConfig(ENV)).toMatchObject({
      retryMaxAttempts: 3,
      retryStates: ['FAILED', 'EXPIRED'],
      retryBackoffMinutes: 30,
      skipIfNextRunWithinHours: 6,
      retryCopyJobs: true,
      mute: [],
      defaultStartWindowMinutes: 60,
      sweepOverlapMinutes: 15,
    });
  });

  it('reads its own settings', () => {
    expect(
      loadRetryConfig({
        ...ENV,
        RETRY_MAX_ATTEMPTS: '5',
        RETRY_STATES: 'FAILED, ABORTED',
        RETRY_BACKOFF_MINUTES: '15',
      }),
    ).toMatchObject({ retryMaxAttempts: 5, retryStates: ['FAILED', 'ABORTED'], retryBackoffMinutes: 15 });
  });

  it('reads ALERT_MUTE rules', () => {
    const config = loadRetryConfig({
      ...ENV,
      ALERT_MUTE: JSON.stringify([
        { categories: ['marketplace-ami'] },
        { resourceArn: 'arn:aws:ec2:*:*:instance/*', accounts: ['111122223333'] },
      ]),
    });
    expect(config.mute).toEqual([
      { categories: ['marketplace-ami'] },
      { resourceArn: 'arn:aws:ec2:*:*:instance/*', accounts: ['111122223333'] },
    ]);
  });

  it('reports every problem at once, naming each setting', () => {
    let error: unknown;
    try {
      loadRetryConfig({
        RETRY_MAX_ATTEMPTS: 'lots',
        SCHEDULER_ROLE_ARN: 'not-an-arn',
        ALERT_MUTE: JSON.stringify([{ category: ['x'] }, { categories: ['no-such-category'] }, {}]),
        RETRY_INCLUDE_ACCOUNTS: '123',
        RETRY_STATES: 'FAILED,RUNNING',
        RETRY_BACKOFF_MINUTES: '0',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const text = (error as ConfigError).problems.join('\n');
    for (const expected of [
      'LEDGER_TABLE_NAME is required',
      'SCHEDULER_GROUP_NAME is required',
      'RETRY_MAX_ATTEMPTS must be an integer from 0 to 10 (got "lots")',
      'RETRY_STATES may only contain FAILED, EXPIRED, ABORTED, PARTIAL (got "RUNNING")',
      'RETRY_BACKOFF_MINUTES must be an integer from 1 to 1440 (got "0")',
      'SCHEDULER_ROLE_ARN must be an IAM role ARN',
      'ALERT_MUTE[0]: unknown key "category"',
      'ALERT_MUTE[1].categories[0]: must be a diagnosis category',
      'ALERT_MUTE[2]: must set at least one',
      'RETRY_INCLUDE_ACCOUNTS must list 12-digit account ids (got "123")',
    ]) {
      expect(text).toContain(expected);
    }
  });
});
