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
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const text = (error as ConfigError).problems.join('\n');
    for (const expected of [
      'LEDGER_TABLE_NAME is required',
      'SCHEDULER_GROUP_NAME is required',
      'RETRY_MAX_ATTEMPTS',
      'SCHEDULER_ROLE_ARN',
      'ALERT_MUTE[0] has unknown keys: category',
      'ALERT_MUTE[1].categories has unknown category no-such-category',
      'ALERT_MUTE[2] must set at least one',
      '123 is not a 12-digit account id',
    ]) {
      expect(text).toContain(expected);
    }
  });
});
