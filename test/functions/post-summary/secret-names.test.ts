import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPostSummaryConfig, looksLikeUrlOrHost } from '../../../functions/post-summary/config.js';
import { resolveParameters } from '../../../sandbox/template/parameters.js';
import { readTemplate } from '../../../sandbox/template/parse.js';
import { ConfigError } from '../../../shared/errors.js';
import { redact } from '../../../shared/redact.js';

const TOPIC = 'arn:aws:sns:eu-west-1:111122223333:backup-autopilot';
const base = { AWS_REGION: 'eu-west-1', NOTIFY_TOPIC_ARN: TOPIC };

const problemsOf = (env: Record<string, string>): readonly string[] => {
  try {
    loadPostSummaryConfig({ ...base, ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

/** A webhook URL, or a part of one, where the secret's name belongs. */
const URL_LIKE = [
  'https://hooks.slack.com/services/T0/B0/XYZsecret',
  // Without the scheme: every character is legal in a Secrets Manager name.
  'hooks.slack.com/services/T0/B0/XYZsecret',
  '//hooks.slack.com/services/T0/B0/XYZsecret',
  'HOOKS.SLACK.COM/services/T0/B0/XYZsecret',
  'xyz.webhook.office.com/webhookb2/abc@def/IncomingWebhook/123',
  'prod-00.westus.logic.azure.com:443/workflows/abc/triggers/manual',
  'default1a.2b.environment.api.powerplatform.com/powerautomate/automations/direct',
  'chat.example.org/hooks/abcdef',
  'token@chat.example.net/hooks/abcdef',
  // A chat webhook host with no path, or later in the name.
  'hooks.slack.com',
  'team/hooks.slack.com/services/T0',
  // The SSM form.
  'ssm:/hooks.slack.com/services/T0/B0/XYZsecret',
  'ssm://hooks.slack.com/services/T0/B0/XYZsecret',
  'ssm:https://chat.example.org/x',
];

/**
 * Refused at cold start only: Java's regular expressions have no case-insensitive group that
 * JavaScript's share, so the template names the chat hosts in lower case.
 */
const COLD_START_ONLY = ['Hooks.Slack.com', 'team/HOOKS.SLACK.COM'];

/** Names that stay names: dots are fine after the first segment, or with no `/` after them. */
const NAMES = [
  'backup-autopilot/slack',
  'team/prod.v2/slack',
  'slack.webhook',
  'release.v2/slack',
  'a_b+c=d@e-f/g',
  'ssm:/backup-autopilot/teams',
  'ssm:/team/prod.v2/teams',
];

describe('looksLikeUrlOrHost', () => {
  it.each([...URL_LIKE, ...COLD_START_ONLY])('%s looks like a URL or host', (value) => {
    expect(looksLikeUrlOrHost(value)).toBe(true);
  });

  it.each(NAMES)('%s is a name', (value) => {
    expect(looksLikeUrlOrHost(value)).toBe(false);
  });

  it('takes linear time on a long hostile name', () => {
    const hostile = `${'a.'.repeat(16_000)}b`;
    const started = performance.now();
    expect(looksLikeUrlOrHost(hostile)).toBe(false);
    // A quadratic check of these 32,001 characters would take seconds; the bound leaves room for a
    // loaded CI machine (a guard, not a speed target).
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe('a webhook secret setting that looks like a URL fails the cold start', () => {
  it.each(
    [...URL_LIKE, ...COLD_START_ONLY].flatMap((value) => [
      { key: 'SLACK_WEBHOOK_SECRET', value },
      { key: 'TEAMS_WEBHOOK_SECRET', value },
    ]),
  )('$key=$value: named, quoted redacted only', ({ key, value }) => {
    const problems = problemsOf({ [key]: value });
    expect(problems).toEqual([
      `${key} looks like a URL or a host (got ${redact(value)}): store the webhook URL in a Secrets Manager secret (or an SSM SecureString parameter) and set ${key} to its name (or ssm:<parameter name>)`,
    ]);
    expect(problems.join(' ')).not.toContain(value);
    expect(problems.join(' ')).not.toContain('XYZsecret');
  });

  it.each(NAMES)('%s loads', (value) => {
    expect(problemsOf({ SLACK_WEBHOOK_SECRET: value })).toEqual([]);
  });

  it.each([
    { value: 'my secret name!', problem: 'must be a Secrets Manager secret name' },
    { value: 'ssm:/a b c d e f', problem: 'must be ssm:<parameter name>' },
  ])('quotes a bad name redacted as well: $value', ({ value, problem }) => {
    const [line] = problemsOf({ SLACK_WEBHOOK_SECRET: value });
    expect(line).toContain(`SLACK_WEBHOOK_SECRET ${problem}`);
    expect(line).toContain(`(got ${redact(value)})`);
    expect(line).not.toContain(value);
  });
});

describe('the template refuses the same values at deploy', () => {
  const template = readTemplate(readFileSync(join(import.meta.dirname, '../../../template.yaml'), 'utf8'));
  const declared = template.Parameters as Record<string, Record<string, unknown>>;
  const PARAMETERS = ['PostSummarySlackWebhookSecret', 'PostSummaryTeamsWebhookSecret'];
  // CloudFormation checks the pattern against the whole value; the sandbox does as CloudFormation does.
  const problemsFor = (name: string, value: string) =>
    resolveParameters({ [name]: declared[name] }, { [name]: value }).problems;

  it.each(URL_LIKE.flatMap((value) => PARAMETERS.map((name) => ({ name, value }))))(
    '$name refuses $value',
    ({ name, value }) => {
      expect(problemsFor(name, value)).toEqual([
        `Parameter '${name}' failed to satisfy constraint: ${String(declared[name]?.ConstraintDescription)} (got ${JSON.stringify(value)})`,
      ]);
    },
  );

  it.each(['', ...NAMES].flatMap((value) => PARAMETERS.map((name) => ({ name, value }))))(
    '$name accepts "$value"',
    ({ name, value }) => {
      expect(problemsFor(name, value)).toEqual([]);
    },
  );

  it('never refuses a name the cold start would take', () => {
    const samples = [...URL_LIKE, ...COLD_START_ONLY, ...NAMES];
    const starts = samples.filter((value) => problemsOf({ SLACK_WEBHOOK_SECRET: value }).length === 0);
    expect(starts).toEqual(NAMES);
    for (const value of starts) expect(problemsFor('PostSummarySlackWebhookSecret', value), value).toEqual([]);
  });
});
