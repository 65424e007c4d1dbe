import { describe, expect, it } from 'vitest';
import { loadCopyRules, loadStartCopyJobConfig } from '../../../functions/start-copy-job/config.js';
import { ConfigError } from '../../../shared/errors.js';
import { DR, issueExample, LOCAL_DR, rule, SRC } from './builders.js';

describe('loadStartCopyJobConfig', () => {
  const env = {
    LEDGER_TABLE_NAME: 'ledger',
    COPY_RULES: JSON.stringify(issueExample),
  };

  it('loads valid settings, the rules as JSON for loadCopyRules', () => {
    const config = loadStartCopyJobConfig(env);
    expect(config.copyRulesJson).toEqual(issueExample);
    expect(config.copyRulesParameter).toBeUndefined();
  });

  it("refuses a COPY_SWEEP_OVERLAP_MINUTES shorter than the ledger's lease: the sweep would miss a copy met in flight", () => {
    expect(loadStartCopyJobConfig({ ...env, COPY_SWEEP_OVERLAP_MINUTES: '6' }).sweep.sweepOverlapMinutes).toBe(6);
    expect(() => loadStartCopyJobConfig({ ...env, COPY_SWEEP_OVERLAP_MINUTES: '0' })).toThrow(
      'COPY_SWEEP_OVERLAP_MINUTES must be an integer from 6 to 1440 (got "0")',
    );
  });

  it('lists every setting problem together, the JSON syntax of COPY_RULES included', () => {
    let thrown: unknown;
    try {
      loadStartCopyJobConfig({ COPY_RULES: '[{"name": 1', COPY_RULES_PARAMETER: '/rules' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    // The parser's own words differ between Node versions; the setting and the verdict do not.
    expect((thrown as ConfigError).problems).toEqual([
      'LEDGER_TABLE_NAME is required',
      expect.stringMatching(/^COPY_RULES is not valid JSON: ./),
      'set COPY_RULES or COPY_RULES_PARAMETER, not both',
    ]);
  });

  it('requires one source of rules', () => {
    expect(() => loadStartCopyJobConfig({ LEDGER_TABLE_NAME: 'l' })).toThrow(
      'COPY_RULES (JSON) or COPY_RULES_PARAMETER (an SSM parameter name) is required',
    );
  });

  it('accepts an SSM parameter name instead of rules', () => {
    const config = loadStartCopyJobConfig({
      LEDGER_TABLE_NAME: 'l',
      COPY_RULES_PARAMETER: '/backup/rules',
    });
    expect(config.copyRulesJson).toBeUndefined();
    expect(config.copyRulesParameter).toBe('/backup/rules');
  });
});

describe('loadCopyRules', () => {
  it('validates the rules for the account the function runs in: a rule without match.accounts copies from it', async () => {
    const config = loadStartCopyJobConfig({ LEDGER_TABLE_NAME: 'l', COPY_RULES: JSON.stringify([rule()]) });
    const [only] = await loadCopyRules(config, { accountId: SRC, partition: 'aws', region: 'us-east-1' });
    expect(only?.name).toBe('r');
    // A role of another account than the function's cannot be passed there.
    await expect(loadCopyRules(config, { accountId: DR, partition: 'aws', region: 'us-east-1' })).rejects.toThrow(
      `COPY_RULES[0] ("r").destinations[0].iamRoleArn: must be a role in the source account ${DR}, where the copy job runs (got account ${SRC})`,
    );
  });

  it('lists every problem of the rules at once', async () => {
    const config = loadStartCopyJobConfig({
      LEDGER_TABLE_NAME: 'l',
      COPY_RULES: JSON.stringify([rule({ name: 1 }), rule({ name: 'x', match: 'all' })]),
    });
    await expect(loadCopyRules(config, { accountId: SRC, partition: 'aws', region: 'us-east-1' })).rejects.toThrow(
      new ConfigError([
        'COPY_RULES[0].name: must be a non-empty string (got 1)',
        'COPY_RULES[1] ("x").match: must be an object (got "all")',
      ]),
    );
  });

  it('refuses a DEFAULT_COPY_ROLE_ARN in another partition than the function', async () => {
    const config = loadStartCopyJobConfig({
      LEDGER_TABLE_NAME: 'l',
      DEFAULT_COPY_ROLE_ARN: 'arn:aws-cn:iam::111122223333:role/copier',
      COPY_RULES: JSON.stringify([{ name: 'r', destinations: [{ vaultArn: LOCAL_DR }] }]),
    });
    await expect(loadCopyRules(config, { accountId: SRC, partition: 'aws', region: 'us-east-1' })).rejects.toThrow(
      new ConfigError([
        'DEFAULT_COPY_ROLE_ARN is in partition aws-cn, but this function runs in aws: AWS Backup copies within a partition only (got "arn:aws-cn:iam::111122223333:role/copier")',
      ]),
    );
  });

  it('refuses a destination, hop or role in another partition than the function', async () => {
    const cn = 'arn:aws-cn:backup:cn-north-1:111122223333:backup-vault:dr';
    const config = loadStartCopyJobConfig({
      LEDGER_TABLE_NAME: 'l',
      COPY_RULES: JSON.stringify([rule({}, { vaultArn: cn })]),
    });
    await expect(loadCopyRules(config, { accountId: SRC, partition: 'aws', region: 'us-east-1' })).rejects.toThrow(
      'COPY_RULES[0] ("r").destinations[0].vaultArn: is in partition aws-cn, but this function runs in aws: AWS Backup copies within a partition only',
    );
  });
});
