import * as v from 'valibot';
import { DIAGNOSIS_CATEGORIES, type Diagnosis } from '../../shared/diagnosis/index.js';
import { matchesGlob } from '../../shared/glob.js';
import { accountIdSchema, exactObject, globSchema, listOf } from '../../shared/validate/schemas.js';
import type { FailedJob } from './facts.js';

/** One ALERT_MUTE rule: every field given must match for the alert to be muted. */
export interface MuteRule {
  /** Diagnosis categories (e.g. `marketplace-ami`). */
  readonly categories?: readonly string[];
  /** Resource ARN glob (`*` spans `/` and `:`). */
  readonly resourceArn?: string;
  /** Vault name glob. */
  readonly vault?: string;
  /** 12-digit account ids. */
  readonly accounts?: readonly string[];
}

const MUTE_KEYS = ['categories', 'resourceArn', 'vault', 'accounts'];

const category = v.picklist(DIAGNOSIS_CATEGORIES, 'must be a diagnosis category (see the table in docs/diagnosis.md)');

/**
 * ALERT_MUTE: a JSON array of rules. A rule with no field would mute every alert, which is never
 * what a person meant, so it is refused.
 */
export const muteRulesSchema = v.pipe(
  v.array(
    v.pipe(
      exactObject({
        categories: v.optional(listOf(category, 'must be a non-empty array of diagnosis categories')),
        resourceArn: v.optional(globSchema('an ARN glob')),
        vault: v.optional(globSchema('a vault name glob')),
        accounts: v.optional(listOf(accountIdSchema, 'must be a non-empty array of 12-digit account ids')),
      }),
      v.check(
        (rule) => Object.keys(rule).length > 0,
        `must set at least one of ${MUTE_KEYS.join(', ')} (a rule without one would mute every alert)`,
      ),
    ),
    'must be a JSON array of rules',
  ),
  v.maxLength(200, 'must hold at most 200 rules'),
  v.transform((rules): MuteRule[] => rules),
);

/** Whether an ALERT_MUTE rule silences this alert (every field the rule sets must match). */
export function isMuted(
  rules: readonly MuteRule[],
  job: Pick<FailedJob, 'resourceArn' | 'vaultName' | 'accountId'>,
  diagnosis: Diagnosis,
): MuteRule | undefined {
  return rules.find(
    (rule) =>
      (!rule.categories || rule.categories.includes(diagnosis.category)) &&
      (!rule.resourceArn || matchesGlob(rule.resourceArn, job.resourceArn)) &&
      (!rule.vault || matchesGlob(rule.vault, job.vaultName)) &&
      (!rule.accounts || rule.accounts.includes(job.accountId)),
  );
}
