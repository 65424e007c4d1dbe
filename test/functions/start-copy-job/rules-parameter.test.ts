import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { readCopyRulesParameter, readParameterFromSsm } from '../../../functions/start-copy-job/rules-parameter.js';
import { ConfigError } from '../../../shared/errors.js';

const ssm = mockClient(SSMClient);
afterEach(() => ssm.reset());

const ROLE = 'arn:aws:iam::111122223333:role/copy';
const ctx = { accountId: '111122223333', defaultRoleArn: ROLE };
const rules = [{ name: 'r', destinations: [{ vaultArn: 'arn:aws:backup:us-west-2:111122223333:backup-vault:dr' }] }];

describe('readCopyRulesParameter', () => {
  it('reads the parameter (decrypted) and validates the rules', async () => {
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: JSON.stringify(rules) } });
    const parsed = await readCopyRulesParameter(readParameterFromSsm, '/backup/copy-rules', ctx);
    expect(parsed[0]?.destinations[0]?.iamRoleArn).toBe(ROLE);
    expect(ssm).toHaveReceivedCommandWith(GetParameterCommand, { Name: '/backup/copy-rules', WithDecryption: true });
  });

  it.each([
    {
      case: 'not JSON',
      value: '[{',
      problems: [expect.stringMatching(/^COPY_RULES_PARAMETER \/backup\/copy-rules is not valid JSON/)],
    },
    {
      case: 'invalid rules, every problem listed',
      value: JSON.stringify([{ name: 'r', destinations: [{ vaultArn: 'x', via: 'y' }] }]),
      problems: [
        expect.stringMatching(
          /^COPY_RULES_PARAMETER \/backup\/copy-rules\[0\] \("r"\)\.destinations\[0\]\.vaultArn: must be/,
        ),
        expect.stringMatching(
          /^COPY_RULES_PARAMETER \/backup\/copy-rules\[0\] \("r"\)\.destinations\[0\]\.via: must be an array/,
        ),
      ],
    },
  ])('rejects $case', async ({ value, problems }) => {
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: value } });
    const error = await readCopyRulesParameter(readParameterFromSsm, '/backup/copy-rules', ctx).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual(problems);
  });

  it('names the setting and the parameter when it cannot be read', async () => {
    ssm.on(GetParameterCommand).rejects(Object.assign(new Error('UnknownError'), { name: 'ParameterNotFound' }));
    const error = await readCopyRulesParameter(readParameterFromSsm, '/backup/copy-rules', ctx).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'COPY_RULES_PARAMETER /backup/copy-rules could not be read (ParameterNotFound)',
    ]);
  });
});
