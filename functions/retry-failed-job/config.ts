import { type Config, type Env, EnvReader, readConfig } from '../../shared/config.js';
import { DIAGNOSIS_CATEGORIES } from '../../shared/diagnosis/index.js';

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

/** Allow and deny lists; an empty allow list allows everything. Deny wins. */
export interface Scope {
  readonly include: readonly string[];
  readonly exclude: readonly string[];
}

/** Settings of the retry function. */
export interface RetryConfig extends Config {
  readonly ledgerTableName: string;
  /** Whether FAILED copy jobs are retried too (RETRY_COPY_JOBS, default true). */
  readonly retryCopyJobs: boolean;
  /** Skip a plan job when the plan runs again within this many hours (RETRY_SKIP_IF_NEXT_RUN_WITHIN_HOURS). */
  readonly skipIfNextRunWithinHours: number;
  readonly resourceTypes: Scope;
  /** Vault name globs. */
  readonly vaults: Scope;
  readonly accounts: Scope;
  readonly mute: readonly MuteRule[];
  /** For jobs not created by a plan (RETRY_DEFAULT_START_WINDOW_MINUTES, at least 60). */
  readonly defaultStartWindowMinutes: number;
  /** For jobs not created by a plan (RETRY_DEFAULT_COMPLETE_WINDOW_MINUTES). */
  readonly defaultCompleteWindowMinutes: number;
  /** Sweep: how far back the first sweep looks (RETRY_SWEEP_LOOKBACK_HOURS, default 24). */
  readonly sweepLookbackHours: number;
  /** Sweep: overlap with the previous sweep (RETRY_SWEEP_OVERLAP_MINUTES, default 15). */
  readonly sweepOverlapMinutes: number;
  /** EventBridge Scheduler group for attempt schedules (SCHEDULER_GROUP_NAME). */
  readonly schedulerGroupName: string;
  /** Role EventBridge Scheduler assumes to invoke this function (SCHEDULER_ROLE_ARN). */
  readonly schedulerRoleArn: string;
  /** Where Scheduler sends an attempt it could not deliver (SCHEDULER_DEAD_LETTER_ARN, an SQS queue). */
  readonly schedulerDeadLetterArn?: string;
  /** Days ledger items are kept (LEDGER_TTL_DAYS, default 90). */
  readonly ledgerTtlDays: number;
}

const MUTE_KEYS = new Set(['categories', 'resourceArn', 'vault', 'accounts']);

/** Validates ALERT_MUTE's content, recording each problem with its index. */
const readMuteRules = (r: EnvReader, raw: unknown): MuteRule[] => {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    r.problem('ALERT_MUTE must be a JSON array of rules');
    return [];
  }
  const rules: MuteRule[] = [];
  raw.forEach((rule: unknown, i) => {
    const at = `ALERT_MUTE[${i}]`;
    if (rule === null || typeof rule !== 'object' || Array.isArray(rule)) {
      r.problem(`${at} must be an object`);
      return;
    }
    const o = rule as Record<string, unknown>;
    const unknown = Object.keys(o).filter((k) => !MUTE_KEYS.has(k));
    if (unknown.length > 0)
      r.problem(`${at} has unknown keys: ${unknown.join(', ')} (allowed: ${[...MUTE_KEYS].join(', ')})`);
    if (Object.keys(o).length === 0) r.problem(`${at} must set at least one of ${[...MUTE_KEYS].join(', ')}`);
    const strings = (key: string): string[] | undefined => {
      const v = o[key];
      if (v === undefined) return undefined;
      if (!Array.isArray(v) || !v.every((s) => typeof s === 'string' && s !== '')) {
        r.problem(`${at}.${key} must be an array of strings`);
        return undefined;
      }
      return v as string[];
    };
    const categories = strings('categories');
    for (const c of categories ?? []) {
      if (!(DIAGNOSIS_CATEGORIES as readonly string[]).includes(c))
        r.problem(`${at}.categories has unknown category ${c}`);
    }
    const accounts = strings('accounts');
    for (const a of accounts ?? [])
      if (!/^\d{12}$/.test(a)) r.problem(`${at}.accounts has ${a}, not a 12-digit account id`);
    for (const key of ['resourceArn', 'vault'] as const) {
      if (o[key] !== undefined && (typeof o[key] !== 'string' || o[key] === ''))
        r.problem(`${at}.${key} must be a string`);
    }
    rules.push({
      ...(categories ? { categories } : {}),
      ...(accounts ? { accounts } : {}),
      ...(typeof o.resourceArn === 'string' ? { resourceArn: o.resourceArn } : {}),
      ...(typeof o.vault === 'string' ? { vault: o.vault } : {}),
    });
  });
  return rules;
};

/**
 * Loads the retry function's settings (the shared ones plus its own) once per container, failing
 * with every problem listed.
 */
export const loadRetryConfig = (env: Env = process.env): RetryConfig => {
  const r = new EnvReader(env);
  const base = readConfig(r);
  const config: RetryConfig = {
    ...base,
    ledgerTableName: r.required('LEDGER_TABLE_NAME'),
    retryCopyJobs: r.bool('RETRY_COPY_JOBS', true),
    skipIfNextRunWithinHours: r.int('RETRY_SKIP_IF_NEXT_RUN_WITHIN_HOURS', 6, { min: 0, max: 168 }),
    resourceTypes: {
      include: r.list('RETRY_INCLUDE_RESOURCE_TYPES', []),
      exclude: r.list('RETRY_EXCLUDE_RESOURCE_TYPES', []),
    },
    vaults: { include: r.list('RETRY_INCLUDE_VAULTS', []), exclude: r.list('RETRY_EXCLUDE_VAULTS', []) },
    accounts: { include: r.list('RETRY_INCLUDE_ACCOUNTS', []), exclude: r.list('RETRY_EXCLUDE_ACCOUNTS', []) },
    mute: readMuteRules(r, r.json('ALERT_MUTE')),
    defaultStartWindowMinutes: r.int('RETRY_DEFAULT_START_WINDOW_MINUTES', 60, { min: 60, max: 43_200 }),
    defaultCompleteWindowMinutes: r.int('RETRY_DEFAULT_COMPLETE_WINDOW_MINUTES', 10_080, { min: 60, max: 143_998_560 }),
    sweepLookbackHours: r.int('RETRY_SWEEP_LOOKBACK_HOURS', 24, { min: 1, max: 29 * 24 }),
    sweepOverlapMinutes: r.int('RETRY_SWEEP_OVERLAP_MINUTES', 15, { min: 0, max: 1440 }),
    schedulerGroupName: r.required('SCHEDULER_GROUP_NAME'),
    schedulerRoleArn: r.arn('SCHEDULER_ROLE_ARN', 'iam', 'role/', true) ?? '',
    schedulerDeadLetterArn: r.arn('SCHEDULER_DEAD_LETTER_ARN', 'sqs'),
    ledgerTtlDays: r.int('LEDGER_TTL_DAYS', 90, { min: 1, max: 3650 }),
  };
  for (const a of [...config.accounts.include, ...config.accounts.exclude]) {
    if (!/^\d{12}$/.test(a))
      r.problem(`RETRY_INCLUDE_ACCOUNTS/RETRY_EXCLUDE_ACCOUNTS: ${a} is not a 12-digit account id`);
  }
  r.finish();
  return Object.freeze(config);
};
