import { type Config, type Env, EnvReader, readConfig } from '../../shared/config.js';
import { redact } from '../../shared/redact.js';
import { isRegion, isSecretName, isSsmParameterName } from '../../shared/validate/identifiers.js';
import { integer, itemsOf, list, oneOf, optionalText } from '../../shared/validate/settings.js';
import { DEFAULT_REGION_CONCURRENCY, MAX_REGION_CONCURRENCY } from './regions.js';

/** Where a summary can go (SUMMARY_CHANNELS). */
export const SUMMARY_CHANNELS = ['sns', 'slack', 'teams', 'json'] as const;
export type SummaryChannel = (typeof SUMMARY_CHANNELS)[number];

/** Where the summary lists backup jobs from (SUMMARY_SCOPE). */
export const SUMMARY_SCOPES = ['account', 'organization'] as const;
export type SummaryScope = (typeof SUMMARY_SCOPES)[number];

/** Where a webhook URL is stored: its name, never the URL itself. */
export type SecretRef =
  | { readonly store: 'secretsmanager'; readonly name: string }
  | { readonly store: 'ssm'; readonly name: string };

/** Settings of the post-summary function. */
export interface PostSummaryConfig extends Config {
  /** SUMMARY_WINDOW_HOURS: the scheduled summary's window (default 24, at most 720 = 30 days). */
  readonly summaryWindowHours: number;
  /** SUMMARY_SCOPE: `account` or `organization` (ListBackupJobs with ByAccountId `*`). */
  readonly summaryScope: SummaryScope;
  /** SUMMARY_REGIONS: the Regions summarised into one message (default: the function's Region). */
  readonly regions: readonly string[];
  /** SUMMARY_MAX_LISTED: length of each listed part (problem jobs, silent misses, uncopied points). */
  readonly maxListed: number;
  /** SUMMARY_REGION_CONCURRENCY: Regions listed at once (default 4, 1 to 16). */
  readonly regionConcurrency: number;
  /** SUMMARY_CHANNELS: where the summary goes. */
  readonly channels: readonly SummaryChannel[];
  /** SLACK_WEBHOOK_SECRET: the secret (or `ssm:` parameter) holding the Slack incoming-webhook URL. */
  readonly slackWebhookSecret: SecretRef | undefined;
  /** TEAMS_WEBHOOK_SECRET: the secret (or `ssm:` parameter) holding the Teams Workflows webhook URL. */
  readonly teamsWebhookSecret: SecretRef | undefined;
  /** SUMMARY_WEBHOOK_TIMEOUT_MS: each webhook attempt's timeout. */
  readonly webhookTimeoutMs: number;
  /** SUMMARY_WEBHOOK_RETRIES: retries after the first webhook attempt (429, 5xx, network errors, timeouts). */
  readonly webhookRetries: number;
}

/**
 * Hosts of chat webhook URLs: Slack (and GovSlack) incoming webhooks, Teams Office 365 connectors,
 * and Teams Workflows (Logic Apps and Power Platform trigger URLs). Found anywhere in a setting,
 * they mean the URL was pasted where its secret's name belongs.
 */
const WEBHOOK_HOSTS = [
  'hooks.slack.com',
  'hooks.slack-gov.com',
  'webhook.office.com',
  'logic.azure.com',
  'powerplatform.com',
];

/**
 * A first path segment shaped like a host name (anything, a dot, a top-level domain of 2 to 63
 * letters) followed by `/`: `hooks.slack.com/services/...` without its scheme. Every character of
 * that is legal in a Secrets Manager name, so the rule is one of shape; a name such as
 * `team.prod/slack` is refused with it (name it `team-prod/slack`). Linear: `[^/]*` stops at the
 * first `/` and each of its backtracking steps tries at most 65 characters. The template's
 * AllowedPattern on PostSummarySlackWebhookSecret and PostSummaryTeamsWebhookSecret says the same.
 */
const HOST_THEN_PATH = /^\/*[^/]*\.[a-z]{2,63}\//i;

/**
 * True when a webhook secret setting looks like a URL or a host rather than a name: it has a
 * scheme (`://` anywhere), names a chat webhook host, or starts (after `ssm:` and any `/`) with a
 * host name followed by a path.
 */
export function looksLikeUrlOrHost(value: string): boolean {
  const lower = value.toLowerCase();
  const name = lower.startsWith('ssm:') ? lower.slice('ssm:'.length) : lower;
  return lower.includes('://') || WEBHOOK_HOSTS.some((host) => lower.includes(host)) || HOST_THEN_PATH.test(name);
}

/**
 * Parses a webhook secret setting. Problems quote the value redacted only (its first characters):
 * it may be the URL itself, which is a credential (anyone holding a Slack or Teams webhook URL can
 * post to the channel).
 */
export function parseSecretRef(key: string, value: string): { ref?: SecretRef; problem?: string } {
  const got = `(got ${redact(value)})`;
  if (looksLikeUrlOrHost(value)) {
    return {
      problem: `${key} looks like a URL or a host ${got}: store the webhook URL in a Secrets Manager secret (or an SSM SecureString parameter) and set ${key} to its name (or ssm:<parameter name>)`,
    };
  }
  if (value.startsWith('ssm:')) {
    const name = value.slice('ssm:'.length);
    return isSsmParameterName(name)
      ? { ref: { store: 'ssm', name } }
      : { problem: `${key} must be ssm:<parameter name> with letters, digits and _.-/ only ${got}` };
  }
  return isSecretName(value)
    ? { ref: { store: 'secretsmanager', name: value } }
    : {
        problem: `${key} must be a Secrets Manager secret name (letters, digits and /_+=.@-) or ssm:<parameter name> ${got}`,
      };
}

/** The post-summary function's own settings, by environment variable (the Regions' default is the function's). */
export function summarySettings(env: Env) {
  return {
    // ListBackupJobs reaches back 30 days only: 720 hours.
    SUMMARY_WINDOW_HOURS: integer(24, 1, 720),
    SUMMARY_SCOPE: oneOf(SUMMARY_SCOPES, 'account'),
    SUMMARY_REGIONS: list(env.AWS_REGION?.trim() ? [env.AWS_REGION.trim()] : [], {
      test: isRegion,
      expected: 'must list Region codes',
    }),
    SUMMARY_MAX_LISTED: integer(25, 1, 200),
    SUMMARY_REGION_CONCURRENCY: integer(DEFAULT_REGION_CONCURRENCY, 1, MAX_REGION_CONCURRENCY),
    SUMMARY_WEBHOOK_TIMEOUT_MS: integer(5000, 500, 60_000),
    SUMMARY_WEBHOOK_RETRIES: integer(3, 0, 8),
    // Checked by parseSecretRef below, which quotes the value redacted only.
    SLACK_WEBHOOK_SECRET: optionalText(),
    TEAMS_WEBHOOK_SECRET: optionalText(),
  };
}

/**
 * Loads and validates the function's settings, listing every problem at once.
 *
 * SUMMARY_CHANNELS defaults to `sns`, plus `slack` and `teams` when their secrets are set. A channel
 * listed explicitly must be usable: `slack` needs SLACK_WEBHOOK_SECRET, `sns` and `json` need
 * NOTIFY_TOPIC_ARN.
 *
 * @throws ConfigError
 */
export function loadPostSummaryConfig(env: Env = process.env): PostSummaryConfig {
  const r = new EnvReader(env);
  const base = readConfig(r);
  const s = r.read(summarySettings(env));
  if (!r.failed('SUMMARY_REGIONS') && s.SUMMARY_REGIONS.length === 0) {
    r.problem('SUMMARY_REGIONS is required when AWS_REGION is not set');
  }
  const secret = (key: string, value: string | undefined): SecretRef | undefined => {
    if (value === undefined) return undefined;
    const { ref, problem } = parseSecretRef(key, value);
    if (problem) r.problem(problem);
    return ref;
  };
  const slackWebhookSecret = secret('SLACK_WEBHOOK_SECRET', s.SLACK_WEBHOOK_SECRET);
  const teamsWebhookSecret = secret('TEAMS_WEBHOOK_SECRET', s.TEAMS_WEBHOOK_SECRET);

  const implicit: SummaryChannel[] = ['sns'];
  if (s.SLACK_WEBHOOK_SECRET !== undefined) implicit.push('slack');
  if (s.TEAMS_WEBHOOK_SECRET !== undefined) implicit.push('teams');
  // A channel listed twice is refused by list(), so each channel is sent to once.
  const listed = r.read({ SUMMARY_CHANNELS: list<SummaryChannel>(implicit, itemsOf(SUMMARY_CHANNELS)) });
  const channels = listed.SUMMARY_CHANNELS ?? [];
  if (!r.failed('SUMMARY_CHANNELS')) {
    if (channels.length === 0) r.problem('SUMMARY_CHANNELS must name at least one channel');
    const needsTopic = channels.filter((c) => c === 'sns' || c === 'json');
    if (needsTopic.length > 0 && base.notifyTopicArn === undefined && !r.failed('NOTIFY_TOPIC_ARN')) {
      r.problem(`NOTIFY_TOPIC_ARN is required for SUMMARY_CHANNELS ${needsTopic.join(',')}`);
    }
    if (channels.includes('slack') && s.SLACK_WEBHOOK_SECRET === undefined) {
      r.problem('SUMMARY_CHANNELS lists slack: set SLACK_WEBHOOK_SECRET');
    }
    if (channels.includes('teams') && s.TEAMS_WEBHOOK_SECRET === undefined) {
      r.problem('SUMMARY_CHANNELS lists teams: set TEAMS_WEBHOOK_SECRET');
    }
  }
  r.finish();
  return Object.freeze({
    ...base,
    summaryWindowHours: s.SUMMARY_WINDOW_HOURS,
    summaryScope: s.SUMMARY_SCOPE,
    regions: Object.freeze(s.SUMMARY_REGIONS),
    maxListed: s.SUMMARY_MAX_LISTED,
    regionConcurrency: s.SUMMARY_REGION_CONCURRENCY,
    channels: Object.freeze(channels),
    slackWebhookSecret,
    teamsWebhookSecret,
    webhookTimeoutMs: s.SUMMARY_WEBHOOK_TIMEOUT_MS,
    webhookRetries: s.SUMMARY_WEBHOOK_RETRIES,
  });
}
