import { describe, expect, it } from 'vitest';
import { type Env, EnvReader, readConfig } from '../../shared/config.js';
import { ConfigError } from '../../shared/errors.js';

/** What each function's loader does with the shared settings: read them, then report every problem. */
const loadConfig = (env: Env) => {
  const reader = new EnvReader(env);
  const config = readConfig(reader);
  reader.finish();
  return config;
};

describe('readConfig', () => {
  it('applies the documented defaults', () => {
    // Act
    const config = loadConfig({});
    // Assess
    expect(config).toEqual({
      dryRun: false,
      ledgerTableName: undefined,
      notifyTopicArn: undefined,
      deployment: { mode: 'account', memberRoleName: 'backup-autopilot-member', organizationId: undefined },
    });
  });

  it('reads every shared setting', () => {
    const config = loadConfig({
      DRY_RUN: 'true',
      LEDGER_TABLE_NAME: 'ledger',
      NOTIFY_TOPIC_ARN: 'arn:aws:sns:us-east-1:111122223333:alerts',
    });
    expect(config).toEqual({
      dryRun: true,
      ledgerTableName: 'ledger',
      notifyTopicArn: 'arn:aws:sns:us-east-1:111122223333:alerts',
      deployment: { mode: 'account', memberRoleName: 'backup-autopilot-member', organizationId: undefined },
    });
  });

  it('reads the central deployment: mode, member role and organization', () => {
    const config = loadConfig({
      DEPLOYMENT_MODE: 'central',
      MEMBER_ROLE_NAME: 'autopilot-member',
      ORGANIZATION_ID: 'o-a1b2c3d4e5',
    });
    expect(config.deployment).toEqual({
      mode: 'central',
      memberRoleName: 'autopilot-member',
      organizationId: 'o-a1b2c3d4e5',
    });
  });

  it.each([
    [{ DEPLOYMENT_MODE: 'org' }, 'DEPLOYMENT_MODE must be one of account, central'],
    [{ DEPLOYMENT_MODE: 'central' }, 'ORGANIZATION_ID is required when DEPLOYMENT_MODE is central'],
    [{ DEPLOYMENT_MODE: 'central', ORGANIZATION_ID: 'r-abcd' }, 'ORGANIZATION_ID must be an organization id'],
    [{ MEMBER_ROLE_NAME: 'path/role' }, 'MEMBER_ROLE_NAME must be an IAM role name'],
  ])('refuses %j, naming the setting and the value', (env, says) => {
    expect(() => loadConfig(env)).toThrow(says);
  });

  it('reports every problem at once, naming each setting and value', () => {
    // Act
    let error: unknown;
    try {
      loadConfig({ DRY_RUN: 'maybe', NOTIFY_TOPIC_ARN: 'alerts' });
    } catch (e) {
      error = e;
    }
    // Assess
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'DRY_RUN must be true or false (got "maybe")',
      'NOTIFY_TOPIC_ARN must be an SNS topic ARN arn:aws:sns:<region>:<account>:<topic> (got "alerts")',
    ]);
  });
});
