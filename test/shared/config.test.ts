import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../shared/config.js';
import { ConfigError } from '../../shared/errors.js';

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    // Act
    const config = loadConfig({});
    // Assess
    expect(config).toEqual({
      dryRun: false,
      ledgerTableName: undefined,
      notifyTopicArn: undefined,
      retryMaxAttempts: 3,
      retryStates: ['FAILED', 'EXPIRED'],
      retryBackoffMinutes: 30,
      copyRulesJson: undefined,
      summaryWindowHours: 24,
      summaryScope: 'account',
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads every setting', () => {
    const config = loadConfig({
      DRY_RUN: 'true',
      LEDGER_TABLE_NAME: 'ledger',
      NOTIFY_TOPIC_ARN: 'arn:aws:sns:us-east-1:111122223333:alerts',
      RETRY_MAX_ATTEMPTS: '5',
      RETRY_STATES: 'FAILED, ABORTED',
      RETRY_BACKOFF_MINUTES: '15',
      COPY_RULES: '[{"name":"a"}]',
      SUMMARY_WINDOW_HOURS: '6',
      SUMMARY_SCOPE: 'organization',
    });
    expect(config).toMatchObject({
      dryRun: true,
      ledgerTableName: 'ledger',
      notifyTopicArn: 'arn:aws:sns:us-east-1:111122223333:alerts',
      retryMaxAttempts: 5,
      retryStates: ['FAILED', 'ABORTED'],
      retryBackoffMinutes: 15,
      copyRulesJson: [{ name: 'a' }],
      summaryWindowHours: 6,
      summaryScope: 'organization',
    });
  });

  it('reports every problem at once, naming each setting and value', () => {
    // Act
    let error: unknown;
    try {
      loadConfig({
        DRY_RUN: 'maybe',
        NOTIFY_TOPIC_ARN: 'alerts',
        RETRY_MAX_ATTEMPTS: 'three',
        RETRY_STATES: 'FAILED,RUNNING',
        RETRY_BACKOFF_MINUTES: '0',
        COPY_RULES: '[{',
        SUMMARY_WINDOW_HOURS: '721',
        SUMMARY_SCOPE: 'world',
      });
    } catch (e) {
      error = e;
    }
    // Assess
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(8);
    expect(problems.join('\n')).toMatch(/DRY_RUN must be true or false \(got "maybe"\)/);
    expect(problems.join('\n')).toMatch(/NOTIFY_TOPIC_ARN must be an sns ARN \(got "alerts"\)/);
    expect(problems.join('\n')).toMatch(/RETRY_MAX_ATTEMPTS must be an integer from 0 to 10 \(got "three"\)/);
    expect(problems.join('\n')).toMatch(/RETRY_STATES may only contain .* \(got "RUNNING"\)/);
    expect(problems.join('\n')).toMatch(/RETRY_BACKOFF_MINUTES must be an integer from 1 to 1440 \(got "0"\)/);
    expect(problems.join('\n')).toMatch(/COPY_RULES is not valid JSON/);
    expect(problems.join('\n')).toMatch(/SUMMARY_WINDOW_HOURS must be an integer from 1 to 720 \(got "721"\)/);
    expect(problems.join('\n')).toMatch(/SUMMARY_SCOPE must be one of account, organization \(got "world"\)/);
  });
});
