import { type Config, type Env, EnvReader, readConfig } from '../../shared/config.js';
import { isAwsAccountId, isSsmParameterName } from '../../shared/validate/identifiers.js';
import { ROLE_ARN } from '../../shared/validate/schemas.js';
import { json, optionalArn, optionalMatching, requiredMatching, requiredText } from '../../shared/validate/settings.js';
import { type CopyRule, copyRulesSchema } from './rules.js';

/** Settings of the start-copy-job function. */
export interface StartCopyJobConfig extends Config {
  readonly ledgerTableName: string;
  /** ACCOUNT_ID: the account the function runs in (template: `!Ref AWS::AccountId`); the source account of rules without `match.accounts`. */
  readonly accountId: string;
  /** DEFAULT_COPY_ROLE_ARN: the role of destinations without `iamRoleArn`. */
  readonly defaultCopyRoleArn: string | undefined;
  /** COPY_RULES, validated; undefined when the rules come from COPY_RULES_PARAMETER. */
  readonly copyRules: readonly CopyRule[] | undefined;
  /** COPY_RULES_PARAMETER: an SSM parameter holding the rules JSON (for rule sets beyond the 4 KB of Lambda's environment). */
  readonly copyRulesParameter: string | undefined;
}

/** The copy function's own settings, by environment variable (COPY_RULES is read after them: it needs ACCOUNT_ID). */
export const COPY_SETTINGS = {
  LEDGER_TABLE_NAME: requiredText(),
  // Set by the template from AWS::AccountId, so as lenient as AWS's own events (shared/validate/identifiers.ts).
  ACCOUNT_ID: requiredMatching(isAwsAccountId, "must be an account id (12 digits, or 13 as in AWS's sample events)"),
  DEFAULT_COPY_ROLE_ARN: optionalArn(ROLE_ARN),
  COPY_RULES_PARAMETER: optionalMatching(
    isSsmParameterName,
    'must be an SSM parameter name (letters, digits and _.-/)',
  ),
};

/**
 * Loads and validates the function's settings, COPY_RULES included, listing every problem at once.
 *
 * @throws ConfigError
 */
export const loadStartCopyJobConfig = (env: Env = process.env): StartCopyJobConfig => {
  const r = new EnvReader(env);
  const base = readConfig(r);
  const s = r.read(COPY_SETTINGS);
  const rulesText = r.text('COPY_RULES');
  if (rulesText !== undefined && s.COPY_RULES_PARAMETER !== undefined) {
    r.problem('set COPY_RULES or COPY_RULES_PARAMETER, not both');
  } else if (rulesText === undefined && s.COPY_RULES_PARAMETER === undefined && !r.failed('COPY_RULES_PARAMETER')) {
    r.problem('COPY_RULES (JSON) or COPY_RULES_PARAMETER (an SSM parameter name) is required');
  }
  let copyRules: readonly CopyRule[] | undefined;
  if (rulesText !== undefined) {
    const ctx = {
      accountId: r.failed('ACCOUNT_ID') ? '' : s.ACCOUNT_ID,
      defaultRoleArn: r.failed('DEFAULT_COPY_ROLE_ARN') ? undefined : s.DEFAULT_COPY_ROLE_ARN,
    };
    const { COPY_RULES } = r.read({ COPY_RULES: json(copyRulesSchema(ctx)) });
    copyRules = COPY_RULES && Object.freeze(COPY_RULES);
  }
  r.finish();
  return Object.freeze({
    ...base,
    ledgerTableName: s.LEDGER_TABLE_NAME,
    accountId: s.ACCOUNT_ID,
    defaultCopyRoleArn: s.DEFAULT_COPY_ROLE_ARN,
    copyRules,
    copyRulesParameter: s.COPY_RULES_PARAMETER,
  });
};
