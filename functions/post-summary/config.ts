import { type Config, type Env, EnvReader, readConfig } from '../../shared/config.js';

/** Where a summary can go (SUMMARY_CHANNELS). */
export const SUMMARY_CHANNELS = ['sns', 'slack', 'teams', 'json'] as const;
export type SummaryChannel = (typeof SUMMARY_CHANNELS)[number];

/** Where a webhook URL is stored: its name, never the URL itself. */
export type SecretRef =
  | { readonly store: 'secretsmanager'; readonly name: string }
  | { readonly store: 'ssm'; readonly name: string };

/** Settings of the post-summary function. */
export interface PostSummaryConfig extends Config {
  /** SUMMARY_REGIONS: the Regions summarised into one message (default: the function's Region). */
  readonly regions: readonly string[];
  /** SUMMARY_MAX_LISTED: length of each listed part (problem jobs, silent misses, uncopied points). */
  readonly maxListed: number;
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

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
// Secrets Manager names: letters, digits and /_+=.@- (CreateSecret API); SSM names: letters, digits and _.-/.
const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
const SSM_NAME = /^[A-Za-z0-9_.\-/]{1,2048}$/;
// A scheme (https://, http://) or a webhook host: the URL was pasted where its secret's name belongs.
const LOOKS_LIKE_URL = /^[a-z][a-z0-9+.-]*:\/\/|hooks\.slack\.com|\.webhook\.office\.com|logic\.azure\.com/i;

/**
 * Parses a webhook secret setting. Problems never quote the value: it may be the URL itself, which
 * is a credential (anyone holding a Slack or Teams webhook URL can post to the channel).
 */
export const parseSecretRef = (key: string, value: string): { ref?: SecretRef; problem?: string } => {
  if (LOOKS_LIKE_URL.test(value)) {
    return {
      problem: `${key} looks like a URL: store the webhook URL in a Secrets Manager secret (or an SSM SecureString parameter) and set ${key} to its name (or ssm:<parameter name>)`,
    };
  }
  if (value.startsWith('ssm:')) {
    const name = value.slice('ssm:'.length);
    return SSM_NAME.test(name)
      ? { ref: { store: 'ssm', name } }
      : { problem: `${key} must be ssm:<parameter name> with letters, digits and _.-/ only` };
  }
  return SECRET_NAME.test(value)
    ? { ref: { store: 'secretsmanager', name: value } }
    : { problem: `${key} must be a Secrets Manager secret name (letters, digits and /_+=.@-) or ssm:<parameter name>` };
};

/**
 * Loads and validates the function's settings, listing every problem at once.
 *
 * SUMMARY_CHANNELS defaults to `sns`, plus `slack` and `teams` when their secrets are set. A channel
 * listed explicitly must be usable: `slack` needs SLACK_WEBHOOK_SECRET, `sns` and `json` need
 * NOTIFY_TOPIC_ARN.
 *
 * @throws ConfigError
 */
export const loadPostSummaryConfig = (env: Env = process.env): PostSummaryConfig => {
  const r = new EnvReader(env);
  const base = readConfig(r);
  const regions = r.list('SUMMARY_REGIONS', env.AWS_REGION ? [env.AWS_REGION] : []);
  if (regions.length === 0) r.problem('SUMMARY_REGIONS is required when AWS_REGION is not set');
  const badRegions = regions.filter((region) => !REGION.test(region));
  if (badRegions.length > 0) r.problem(`SUMMARY_REGIONS must list Region codes (got "${badRegions.join(',')}")`);
  const maxListed = r.int('SUMMARY_MAX_LISTED', 25, { min: 1, max: 200 });
  const webhookTimeoutMs = r.int('SUMMARY_WEBHOOK_TIMEOUT_MS', 5000, { min: 500, max: 60_000 });
  const webhookRetries = r.int('SUMMARY_WEBHOOK_RETRIES', 3, { min: 0, max: 8 });

  const secret = (key: string): SecretRef | undefined => {
    const value = r.optional(key);
    if (value === undefined) return undefined;
    const { ref, problem } = parseSecretRef(key, value);
    if (problem) r.problem(problem);
    return ref;
  };
  const slackWebhookSecret = secret('SLACK_WEBHOOK_SECRET');
  const teamsWebhookSecret = secret('TEAMS_WEBHOOK_SECRET');

  const implicit: SummaryChannel[] = ['sns'];
  if (env.SLACK_WEBHOOK_SECRET?.trim()) implicit.push('slack');
  if (env.TEAMS_WEBHOOK_SECRET?.trim()) implicit.push('teams');
  const channels = [...new Set(r.list<SummaryChannel>('SUMMARY_CHANNELS', implicit, SUMMARY_CHANNELS))];
  if (channels.length === 0) r.problem('SUMMARY_CHANNELS must name at least one channel');
  const needsTopic = channels.filter((c) => c === 'sns' || c === 'json');
  if (needsTopic.length > 0 && base.notifyTopicArn === undefined && !env.NOTIFY_TOPIC_ARN?.trim()) {
    r.problem(`NOTIFY_TOPIC_ARN is required for SUMMARY_CHANNELS ${needsTopic.join(',')}`);
  }
  if (channels.includes('slack') && !env.SLACK_WEBHOOK_SECRET?.trim()) {
    r.problem('SUMMARY_CHANNELS lists slack: set SLACK_WEBHOOK_SECRET');
  }
  if (channels.includes('teams') && !env.TEAMS_WEBHOOK_SECRET?.trim()) {
    r.problem('SUMMARY_CHANNELS lists teams: set TEAMS_WEBHOOK_SECRET');
  }
  r.finish();
  return Object.freeze({
    ...base,
    regions: Object.freeze(regions),
    maxListed,
    channels: Object.freeze(channels),
    slackWebhookSecret,
    teamsWebhookSecret,
    webhookTimeoutMs,
    webhookRetries,
  });
};
