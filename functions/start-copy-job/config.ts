import { type Config, type Env, EnvReader, readConfig } from '../../shared/config.js';
import { type CopyRule, collectCopyRules, prefixProblem } from './rules.js';

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

const SSM_NAME = /^\/?[a-zA-Z0-9_.\-/]{1,2048}$/;

/**
 * Loads and validates the function's settings, COPY_RULES included, listing every problem at once.
 *
 * @throws ConfigError
 */
export const loadStartCopyJobConfig = (env: Env = process.env): StartCopyJobConfig => {
  const r = new EnvReader(env);
  const base = readConfig(r);
  const ledgerTableName = r.required('LEDGER_TABLE_NAME');
  const accountId = r.required('ACCOUNT_ID');
  const accountValid = /^\d{12,13}$/.test(accountId);
  if (accountId !== '' && !accountValid) r.problem(`ACCOUNT_ID must be an account id (got "${accountId}")`);
  const defaultCopyRoleArn = r.arn('DEFAULT_COPY_ROLE_ARN', 'iam', 'role/');
  const copyRulesParameter = r.optional('COPY_RULES_PARAMETER');
  if (copyRulesParameter !== undefined && !SSM_NAME.test(copyRulesParameter)) {
    r.problem(`COPY_RULES_PARAMETER must be an SSM parameter name (got "${copyRulesParameter}")`);
  }
  const rulesSet = env.COPY_RULES !== undefined && env.COPY_RULES.trim() !== '';
  if (rulesSet && copyRulesParameter !== undefined) {
    r.problem('set COPY_RULES or COPY_RULES_PARAMETER, not both');
  } else if (!rulesSet && copyRulesParameter === undefined) {
    r.problem('COPY_RULES (JSON) or COPY_RULES_PARAMETER (an SSM parameter name) is required');
  }
  let copyRules: readonly CopyRule[] | undefined;
  if (rulesSet && base.copyRulesJson !== undefined) {
    const { rules, problems } = collectCopyRules(base.copyRulesJson, {
      accountId: accountValid ? accountId : '',
      defaultRoleArn: defaultCopyRoleArn,
    });
    for (const problem of problems) r.problem(prefixProblem('COPY_RULES', problem));
    copyRules = Object.freeze(rules);
  }
  r.finish();
  return Object.freeze({
    ...base,
    ledgerTableName,
    accountId,
    defaultCopyRoleArn,
    copyRules,
    copyRulesParameter,
  });
};
