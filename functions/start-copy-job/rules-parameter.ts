import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { ConfigError } from '../../shared/errors.js';
import { type CopyRule, parseCopyRules, type RuleContext } from './rules.js';

/**
 * Reads the copy rules from an SSM parameter (String or SecureString) and validates them, for rule
 * sets larger than Lambda's 4 KB of environment variables. Called once per container.
 *
 * @throws ConfigError when the parameter is not JSON or the rules are invalid (every problem listed)
 */
export const readCopyRulesParameter = async (
  ssm: SSMClient,
  name: string,
  ctx: RuleContext,
): Promise<readonly CopyRule[]> => {
  const out = await ssm.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
  const text = out.Parameter?.Value ?? '';
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError([`COPY_RULES_PARAMETER ${name} is not valid JSON: ${(error as Error).message}`]);
  }
  return parseCopyRules(json, ctx, `COPY_RULES_PARAMETER ${name}`);
};
