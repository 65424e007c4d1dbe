import * as v from 'valibot';
import { type Config, type Env, EnvReader, readConfig } from '../../shared/config.js';
import type { FunctionIdentity } from '../../shared/function-identity.js';
import { type SweepConfig, sweepSettings } from '../../shared/sweep/settings.js';
import { isSsmParameterName } from '../../shared/validate/identifiers.js';
import { ROLE_ARN } from '../../shared/validate/schemas.js';
import { json, optionalArn, optionalMatching, requiredText } from '../../shared/validate/settings.js';
import { type CopyRule, parseCopyRules } from './rules.js';
import { readCopyRulesParameter, readParameterFromSsm } from './rules-parameter.js';

/** Settings of the start-copy-job function. */
export interface StartCopyJobConfig extends Config {
  readonly ledgerTableName: string;
  /** DEFAULT_COPY_ROLE_ARN: the role of destinations without `iamRoleArn`. */
  readonly defaultCopyRoleArn: string | undefined;
  /**
   * COPY_RULES as parsed JSON; undefined when the rules come from COPY_RULES_PARAMETER. Validated as
   * rules by {@link loadCopyRules} on the first invocation: some checks need the function's account,
   * which only the invocation's context carries.
   */
  readonly copyRulesJson: unknown;
  /** COPY_RULES_PARAMETER: an SSM parameter holding the rules JSON (for rule sets beyond the 4 KB of Lambda's environment). */
  readonly copyRulesParameter: string | undefined;
  /** COPY_SWEEP_LOOKBACK_HOURS (1), COPY_SWEEP_OVERLAP_MINUTES (15), COPY_SWEEP_SET_ASIDE_AFTER (3). */
  readonly sweep: SweepConfig;
}

/** The copy function's own settings, by environment variable. */
export const COPY_SETTINGS = {
  LEDGER_TABLE_NAME: requiredText(),
  DEFAULT_COPY_ROLE_ARN: optionalArn(ROLE_ARN),
  COPY_RULES_PARAMETER: optionalMatching(
    isSsmParameterName,
    'must be an SSM parameter name (letters, digits and _.-/)',
  ),
  COPY_RULES: json(v.unknown()),
  // A first copy sweep looks back one hour only: deploying the toolkit must not copy every backup
  // of the day before it (the retry sweep's 24 hours retry failures, which is what a user wants).
  ...sweepSettings('COPY', 1),
};

/**
 * Loads and validates the function's settings, COPY_RULES included, listing every problem at once.
 *
 * @throws ConfigError
 */
export function loadStartCopyJobConfig(env: Env = process.env): StartCopyJobConfig {
  const r = new EnvReader(env);
  const base = readConfig(r);
  const s = r.read(COPY_SETTINGS);
  const rulesGiven = r.text('COPY_RULES') !== undefined;
  if (rulesGiven && s.COPY_RULES_PARAMETER !== undefined) {
    r.problem('set COPY_RULES or COPY_RULES_PARAMETER, not both');
  } else if (!rulesGiven && s.COPY_RULES_PARAMETER === undefined && !r.failed('COPY_RULES_PARAMETER')) {
    r.problem('COPY_RULES (JSON) or COPY_RULES_PARAMETER (an SSM parameter name) is required');
  }
  r.finish();
  return Object.freeze({
    ...base,
    ledgerTableName: s.LEDGER_TABLE_NAME,
    defaultCopyRoleArn: s.DEFAULT_COPY_ROLE_ARN,
    copyRulesJson: s.COPY_RULES,
    copyRulesParameter: s.COPY_RULES_PARAMETER,
    sweep: {
      sweepLookbackHours: s.COPY_SWEEP_LOOKBACK_HOURS,
      sweepOverlapMinutes: s.COPY_SWEEP_OVERLAP_MINUTES,
      sweepSetAsideAfter: s.COPY_SWEEP_SET_ASIDE_AFTER,
    },
  });
}

/**
 * The copy rules, validated for the account and partition the function runs in (its identity): from COPY_RULES,
 * or read from the COPY_RULES_PARAMETER parameter (the SSM client is a side bundle loaded only then,
 * so a function configured with COPY_RULES never loads it). Called once per container by the
 * handler, on the first invocation.
 *
 * @throws ConfigError listing every problem of the rules, or naming the parameter that cannot be read
 */
export async function loadCopyRules(
  config: StartCopyJobConfig,
  identity: Pick<FunctionIdentity, 'accountId' | 'partition' | 'region'>,
): Promise<readonly CopyRule[]> {
  const ctx = {
    accountId: identity.accountId,
    partition: identity.partition,
    region: identity.region,
    defaultRoleArn: config.defaultCopyRoleArn,
  };
  if (config.copyRulesParameter === undefined) return parseCopyRules(config.copyRulesJson, ctx);
  return readCopyRulesParameter(readParameterFromSsm, config.copyRulesParameter, ctx);
}
