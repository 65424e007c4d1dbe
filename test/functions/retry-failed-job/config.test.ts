import { describe, expect, it } from 'vitest';
import { loadRetryConfig } from '../../../functions/retry-failed-job/config.js';
import { ConfigError } from '../../../shared/errors.js';
import { MAX_GLOB_LENGTH } from '../../../shared/glob.js';
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
      sweepOrganization: false,
    });
  });

  it('reads RETRY_SWEEP_ORGANIZATION in central mode, and refuses it in account mode', () => {
    const central = { ...ENV, DEPLOYMENT_MODE: 'central', ORGANIZATION_ID: 'o-a1b2c3d4e5' };
    expect(loadRetryConfig({ ...central, RETRY_SWEEP_ORGANIZATION: 'true' }).sweepOrganization).toBe(true);
    expect(loadRetryConfig({ ...central, RETRY_SWEEP_ORGANIZATION: 'false' }).sweepOrganization).toBe(false);
    expect(() => loadRetryConfig({ ...ENV, RETRY_SWEEP_ORGANIZATION: 'true' })).toThrow(
      new ConfigError(['RETRY_SWEEP_ORGANIZATION=true needs DEPLOYMENT_MODE central (DEPLOYMENT_MODE is account)']),
    );
    // A bad DEPLOYMENT_MODE is its own problem, not a second one here.
    expect(() => loadRetryConfig({ ...ENV, DEPLOYMENT_MODE: 'centre', RETRY_SWEEP_ORGANIZATION: 'true' })).toThrow(
      new ConfigError(['DEPLOYMENT_MODE must be one of account, central (got "centre")']),
    );
  });

  it('refuses a backoff whose last attempt would come after the ledger forgot the chain', () => {
    // 1440 x 2^9 minutes = 512 days, against the default 90 days of LEDGER_TTL_DAYS.
    expect(() => loadRetryConfig({ ...ENV, RETRY_BACKOFF_MINUTES: '1440', RETRY_MAX_ATTEMPTS: '10' })).toThrow(
      new ConfigError([
        'RETRY_BACKOFF_MINUTES=1440 with RETRY_MAX_ATTEMPTS=10 waits 512.0 days before attempt 10, not less than ' +
          'LEDGER_TTL_DAYS=90: the ledger would forget the chain before it ends; lower one of them or raise LEDGER_TTL_DAYS',
      ]),
    );
    // The same backoff within a longer TTL, and one day short of it, are fine.
    expect(
      loadRetryConfig({ ...ENV, RETRY_BACKOFF_MINUTES: '1440', RETRY_MAX_ATTEMPTS: '10', LEDGER_TTL_DAYS: '513' }),
    ).toMatchObject({ retryMaxAttempts: 10 });
    expect(
      loadRetryConfig({ ...ENV, RETRY_BACKOFF_MINUTES: '1440', RETRY_MAX_ATTEMPTS: '3', LEDGER_TTL_DAYS: '5' }),
    ).toMatchObject({ retryMaxAttempts: 3 });
    expect(() =>
      loadRetryConfig({ ...ENV, RETRY_BACKOFF_MINUTES: '1440', RETRY_MAX_ATTEMPTS: '3', LEDGER_TTL_DAYS: '4' }),
    ).toThrow(/waits 4\.0 days before attempt 3/);
    // A setting already refused is not judged again here.
    expect(() => loadRetryConfig({ ...ENV, RETRY_BACKOFF_MINUTES: '99999', RETRY_MAX_ATTEMPTS: '10' })).toThrow(
      new ConfigError(['RETRY_BACKOFF_MINUTES must be an integer from 1 to 1440 (got "99999")']),
    );
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

  it.each([
    {
      case: 'an account listed twice',
      rules: [{ vault: 'dev-*' }, { accounts: ['111122223333', '444455556666', '111122223333'] }],
      problem: 'ALERT_MUTE[1].accounts[2]: "111122223333" is already listed at [0]',
    },
    {
      case: 'a category listed twice',
      rules: [{ categories: ['marketplace-ami', 'marketplace-ami'] }],
      problem: 'ALERT_MUTE[0].categories[1]: "marketplace-ami" is already listed at [0]',
    },
    {
      case: 'a resource ARN glob longer than the longest ARN',
      rules: [{ resourceArn: `arn:aws:ec2:*:${'x'.repeat(MAX_GLOB_LENGTH)}` }],
      problem: `ALERT_MUTE[0].resourceArn: must be an ARN glob of at most ${MAX_GLOB_LENGTH} characters (got "arn:aws:ec2:*:xxx`,
    },
    {
      case: 'a vault glob with a lone surrogate',
      rules: [{ vault: 'dev-\ud83d*' }],
      problem: 'ALERT_MUTE[0].vault: must be well-formed Unicode (no lone surrogate)',
    },
    {
      case: 'an empty vault glob',
      rules: [{ vault: ' ' }],
      problem: 'ALERT_MUTE[0].vault: must be a non-empty string (a vault name glob) (got " ")',
    },
  ])('refuses ALERT_MUTE with $case', ({ rules, problem }) => {
    let error: unknown;
    try {
      loadRetryConfig({ ...ENV, ALERT_MUTE: JSON.stringify(rules) });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(problem);
  });

  it('accepts a mute rule naming a resource by its literal ARN of the longest length', () => {
    const prefix = 'arn:aws:ec2:us-east-1:111122223333:volume/vol-';
    const arn = prefix + 'a'.repeat(MAX_GLOB_LENGTH - prefix.length);
    expect(loadRetryConfig({ ...ENV, ALERT_MUTE: JSON.stringify([{ resourceArn: arn }]) }).mute).toEqual([
      { resourceArn: arn },
    ]);
  });

  it('reads the include and exclude lists', () => {
    expect(
      loadRetryConfig({
        ...ENV,
        RETRY_INCLUDE_RESOURCE_TYPES: 'EBS,RDS',
        RETRY_EXCLUDE_VAULTS: 'dev-*,test-?',
        RETRY_INCLUDE_ACCOUNTS: '111122223333,444455556666',
      }),
    ).toMatchObject({
      resourceTypes: { include: ['EBS', 'RDS'], exclude: [] },
      vaults: { include: [], exclude: ['dev-*', 'test-?'] },
      accounts: { include: ['111122223333', '444455556666'], exclude: [] },
    });
  });

  // Every list setting is a set: each kind of list (fixed values, account ids, globs, free names).
  it.each([
    ['RETRY_STATES', 'FAILED,EXPIRED,FAILED', 'RETRY_STATES lists "FAILED" twice'],
    ['RETRY_INCLUDE_RESOURCE_TYPES', 'EBS, RDS,EBS', 'RETRY_INCLUDE_RESOURCE_TYPES lists "EBS" twice'],
    ['RETRY_EXCLUDE_RESOURCE_TYPES', 'EFS,EFS,EFS', 'RETRY_EXCLUDE_RESOURCE_TYPES lists "EFS" 3 times'],
    ['RETRY_INCLUDE_VAULTS', 'prod-*,prod-*', 'RETRY_INCLUDE_VAULTS lists "prod-*" twice'],
    ['RETRY_EXCLUDE_VAULTS', 'dev,test,dev', 'RETRY_EXCLUDE_VAULTS lists "dev" twice'],
    [
      'RETRY_INCLUDE_ACCOUNTS',
      '111122223333,444455556666,111122223333',
      'RETRY_INCLUDE_ACCOUNTS lists "111122223333" twice',
    ],
    ['RETRY_EXCLUDE_ACCOUNTS', '111122223333,111122223333', 'RETRY_EXCLUDE_ACCOUNTS lists "111122223333" twice'],
  ])('refuses %s with an item listed twice', (setting, value, problem) => {
    expect(() => loadRetryConfig({ ...ENV, [setting]: value })).toThrow(new ConfigError([problem]));
  });

  it('refuses vault globs longer than the glob bound or ill-formed, naming the setting and the bound', () => {
    const long = `prod-${'x'.repeat(MAX_GLOB_LENGTH)}`;
    expect(() => loadRetryConfig({ ...ENV, RETRY_INCLUDE_VAULTS: `prod-*,${long}` })).toThrow(
      `RETRY_INCLUDE_VAULTS must list vault name globs of at most ${MAX_GLOB_LENGTH} characters each, in well-formed Unicode (got "prod-xxx`,
    );
    // A lone surrogate (half a character) is refused too: `?` matches whole code points.
    expect(() => loadRetryConfig({ ...ENV, RETRY_EXCLUDE_VAULTS: 'dev-\ud800' })).toThrow(
      'RETRY_EXCLUDE_VAULTS must list vault name globs',
    );
    const exact = 'x'.repeat(MAX_GLOB_LENGTH);
    expect(loadRetryConfig({ ...ENV, RETRY_INCLUDE_VAULTS: exact }).vaults.include).toEqual([exact]);
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

describe('RETRY_SWEEP_OVERLAP_MINUTES', () => {
  it("is at least the ledger's lease (6 minutes): a job met in flight is listed again once its claim is resumed", () => {
    expect(loadRetryConfig({ ...ENV, RETRY_SWEEP_OVERLAP_MINUTES: '6' }).sweepOverlapMinutes).toBe(6);
    expect(() => loadRetryConfig({ ...ENV, RETRY_SWEEP_OVERLAP_MINUTES: '5' })).toThrow(
      'RETRY_SWEEP_OVERLAP_MINUTES must be an integer from 6 to 1440 (got "5")',
    );
  });
});

describe('RETRY_DEFAULT_COMPLETE_WINDOW_MINUTES', () => {
  it('accepts up to the 100 years StartBackupJob allows (52,560,000 minutes) and refuses more', () => {
    expect(
      loadRetryConfig({ ...ENV, RETRY_DEFAULT_COMPLETE_WINDOW_MINUTES: '52560000' }).defaultCompleteWindowMinutes,
    ).toBe(52_560_000);
    expect(() => loadRetryConfig({ ...ENV, RETRY_DEFAULT_COMPLETE_WINDOW_MINUTES: '52560001' })).toThrow(
      'RETRY_DEFAULT_COMPLETE_WINDOW_MINUTES must be an integer from 60 to 52560000 (got "52560001")',
    );
  });
});
