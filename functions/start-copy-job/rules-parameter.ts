import { ConfigError } from '../../shared/errors.js';
import { importSideBundle } from '../../shared/side-bundle.js';
import { type CopyRule, parseCopyRules, type RuleContext } from './rules.js';

// Why not Powertools Parameters (`getParameter(name, { decrypt: true, transform: 'json' })`): no
// 2.36.0 is published to match our Powertools logger and metrics (2.35.0 is the latest, pinning a
// second commons), it adds 10.6 KiB, and this is one call read once per container; its JSON
// errors would still need rewording to name the setting. See post-summary/secrets.ts.

/** Reads a parameter's text (decrypted); SDK errors propagate. */
export type ParameterTextReader = (name: string) => Promise<string | undefined>;

/** The function's reader: the SSM client lives in the side bundle ssm-reader.mjs, loaded on the first read. */
export const readParameterFromSsm: ParameterTextReader = async (name) => {
  const reader = await importSideBundle<typeof import('./ssm-reader.js')>(import.meta.url, 'ssm-reader');
  return reader.readRulesParameterText(name);
};

/**
 * Reads the copy rules from an SSM parameter (String or SecureString) and validates them, for rule
 * sets larger than Lambda's 4 KB of environment variables. Called once per container, and only
 * when COPY_RULES_PARAMETER is set: a function configured with COPY_RULES never loads the SSM client.
 *
 * @throws ConfigError when the parameter cannot be read, is not JSON, or the rules are invalid (every problem listed)
 */
export async function readCopyRulesParameter(
  read: ParameterTextReader,
  name: string,
  ctx: RuleContext,
): Promise<readonly CopyRule[]> {
  let text: string;
  try {
    text = (await read(name)) ?? '';
  } catch (error) {
    // The SDK's own message for a missing parameter is "UnknownError": name the setting and the parameter.
    const reason = (error as { name?: string }).name ?? 'Error';
    throw new ConfigError([`COPY_RULES_PARAMETER ${name} could not be read (${reason})`]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError([`COPY_RULES_PARAMETER ${name} is not valid JSON: ${(error as Error).message}`]);
  }
  return parseCopyRules(json, ctx, `COPY_RULES_PARAMETER ${name}`);
}
