import { inspect } from 'node:util';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { loadPostSummaryConfig } from '../../../functions/post-summary/config.js';
import { createSecretReader, WebhookSecretError } from '../../../functions/post-summary/secrets.js';
import { ConfigError } from '../../../shared/errors.js';

const TOPIC = 'arn:aws:sns:eu-west-1:111122223333:backup-autopilot';
const base = { AWS_REGION: 'eu-west-1', NOTIFY_TOPIC_ARN: TOPIC };

const problemsOf = (env: Record<string, string | undefined>): readonly string[] => {
  try {
    loadPostSummaryConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('loadPostSummaryConfig', () => {
  it('defaults to this Region, 25 listed, SNS only, 5 s and 3 retries per webhook', () => {
    expect(loadPostSummaryConfig(base)).toMatchObject({
      regions: ['eu-west-1'],
      maxListed: 25,
      channels: ['sns'],
      slackWebhookSecret: undefined,
      teamsWebhookSecret: undefined,
      webhookTimeoutMs: 5000,
      webhookRetries: 3,
      summaryWindowHours: 24,
      summaryScope: 'account',
      regionConcurrency: 4,
    });
  });

  it.each([
    {
      case: 'Slack and Teams secrets add their channels',
      env: { SLACK_WEBHOOK_SECRET: 'backup-autopilot/slack', TEAMS_WEBHOOK_SECRET: 'ssm:/backup-autopilot/teams' },
      expected: {
        channels: ['sns', 'slack', 'teams'],
        slackWebhookSecret: { store: 'secretsmanager', name: 'backup-autopilot/slack' },
        teamsWebhookSecret: { store: 'ssm', name: '/backup-autopilot/teams' },
      },
    },
    {
      case: 'explicit channels win',
      env: { SUMMARY_CHANNELS: 'json, slack', SLACK_WEBHOOK_SECRET: 'slack-url' },
      expected: { channels: ['json', 'slack'] },
    },
    {
      case: 'several Regions and settings',
      env: {
        SUMMARY_REGIONS: 'eu-west-1,us-east-1',
        SUMMARY_MAX_LISTED: '50',
        SUMMARY_WEBHOOK_TIMEOUT_MS: '10000',
        SUMMARY_WEBHOOK_RETRIES: '0',
        SUMMARY_SCOPE: 'organization',
        SUMMARY_REGION_CONCURRENCY: '16',
      },
      expected: {
        regionConcurrency: 16,
        regions: ['eu-west-1', 'us-east-1'],
        maxListed: 50,
        webhookTimeoutMs: 10000,
        webhookRetries: 0,
        summaryScope: 'organization',
      },
    },
  ])('$case', ({ env, expected }) => {
    const config = loadPostSummaryConfig({ ...base, ...env });
    expect(config).toMatchObject(expected);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it.each([
    {
      case: 'a Slack URL pasted into the secret setting',
      env: { SLACK_WEBHOOK_SECRET: 'https://hooks.slack.com/services/T0/B0/XYZ' },
      problem:
        'SLACK_WEBHOOK_SECRET looks like a URL or a host (got https://… (42 characters)): store the webhook URL in a Secrets Manager secret (or an SSM SecureString parameter) and set SLACK_WEBHOOK_SECRET to its name (or ssm:<parameter name>)',
    },
    {
      case: 'a Teams Workflows URL without its scheme',
      env: { TEAMS_WEBHOOK_SECRET: 'prod-00.westus.logic.azure.com:443/workflows/abc' },
      problem: 'TEAMS_WEBHOOK_SECRET looks like a URL',
    },
    {
      case: 'a bad secret name',
      env: { SLACK_WEBHOOK_SECRET: 'my secret!' },
      problem: 'SLACK_WEBHOOK_SECRET must be a Secrets Manager secret name',
    },
    {
      case: 'a bad parameter name',
      env: { TEAMS_WEBHOOK_SECRET: 'ssm:/a b' },
      problem: 'TEAMS_WEBHOOK_SECRET must be ssm:<parameter name>',
    },
    {
      case: 'slack without its secret',
      env: { SUMMARY_CHANNELS: 'sns,slack' },
      problem: 'SUMMARY_CHANNELS lists slack: set SLACK_WEBHOOK_SECRET',
    },
    {
      case: 'teams without its secret',
      env: { SUMMARY_CHANNELS: 'teams' },
      problem: 'SUMMARY_CHANNELS lists teams: set TEAMS_WEBHOOK_SECRET',
    },
    {
      case: 'an unknown channel',
      env: { SUMMARY_CHANNELS: 'sns,email' },
      problem: 'SUMMARY_CHANNELS may only contain sns, slack, teams, json (got "email")',
    },
    {
      case: 'an empty channel list',
      env: { SUMMARY_CHANNELS: ' , ' },
      problem: 'SUMMARY_CHANNELS must name at least one channel',
    },
    {
      case: 'SNS without a topic',
      env: { NOTIFY_TOPIC_ARN: '', SUMMARY_CHANNELS: 'sns,json' },
      problem: 'NOTIFY_TOPIC_ARN is required for SUMMARY_CHANNELS sns,json',
    },
    {
      case: 'a bad Region',
      env: { SUMMARY_REGIONS: 'eu-west-1,Ireland' },
      problem: 'SUMMARY_REGIONS must list Region codes (got "Ireland")',
    },
    {
      case: 'no Region at all',
      env: { AWS_REGION: '' },
      problem: 'SUMMARY_REGIONS is required when AWS_REGION is not set',
    },
    {
      case: 'too many listed',
      env: { SUMMARY_MAX_LISTED: '500' },
      problem: 'SUMMARY_MAX_LISTED must be an integer from 1 to 200 (got "500")',
    },
    {
      case: 'a tiny timeout',
      env: { SUMMARY_WEBHOOK_TIMEOUT_MS: '10' },
      problem: 'SUMMARY_WEBHOOK_TIMEOUT_MS must be an integer from 500 to 60000 (got "10")',
    },
    {
      case: 'no Region at a time',
      env: { SUMMARY_REGION_CONCURRENCY: '0' },
      problem: 'SUMMARY_REGION_CONCURRENCY must be an integer from 1 to 16 (got "0")',
    },
    {
      case: 'too many Regions at a time',
      env: { SUMMARY_REGION_CONCURRENCY: '32' },
      problem: 'SUMMARY_REGION_CONCURRENCY must be an integer from 1 to 16 (got "32")',
    },
    {
      case: 'too many retries',
      env: { SUMMARY_WEBHOOK_RETRIES: '20' },
      problem: 'SUMMARY_WEBHOOK_RETRIES must be an integer from 0 to 8 (got "20")',
    },
  ])('rejects $case', ({ env, problem }) => {
    const problems = problemsOf({ ...base, ...env });
    expect(problems.some((p) => p.startsWith(problem))).toBe(true);
  });

  // A Region listed twice would be listed twice and double every count of the summary (issue 19).
  it.each([
    {
      setting: 'SUMMARY_REGIONS',
      value: 'us-east-1,eu-west-1, us-east-1',
      problems: ['SUMMARY_REGIONS lists "us-east-1" twice'],
    },
    {
      setting: 'SUMMARY_CHANNELS',
      value: 'json,sns,json,sns,json',
      problems: ['SUMMARY_CHANNELS lists "json" 3 times', 'SUMMARY_CHANNELS lists "sns" twice'],
    },
  ])('refuses $setting with an item listed twice, naming the item', ({ setting, value, problems }) => {
    expect(problemsOf({ ...base, [setting]: value })).toEqual(problems);
  });

  it('never quotes a pasted webhook URL in its error', () => {
    const problems = problemsOf({ ...base, SLACK_WEBHOOK_SECRET: 'https://hooks.slack.com/services/T0/B0/XYZ' });
    expect(problems.join(' ')).not.toContain('XYZ');
  });

  it('lists every problem at once', () => {
    expect(
      problemsOf({ ...base, SUMMARY_MAX_LISTED: '0', SUMMARY_CHANNELS: 'slack', SUMMARY_SCOPE: 'galaxy' }),
    ).toHaveLength(3);
  });
});

describe('createSecretReader', () => {
  const secrets = mockClient(SecretsManagerClient);
  afterEach(() => secrets.reset());

  it.each([
    {
      case: 'a plain URL',
      value: 'https://hooks.slack.com/services/T0/B0/XYZ',
      url: 'https://hooks.slack.com/services/T0/B0/XYZ',
    },
    {
      case: 'JSON with url',
      value: '{"url":"https://example.webhook.office.com/x"}',
      url: 'https://example.webhook.office.com/x',
    },
    {
      case: 'JSON with webhookUrl',
      value: '{"webhookUrl":" https://hooks.slack.com/a "}',
      url: 'https://hooks.slack.com/a',
    },
  ])('reads $case', async ({ value, url }) => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: value });
    const read = createSecretReader({ secrets: new SecretsManagerClient({}), ssm: new SSMClient({}) });
    expect(await read({ store: 'secretsmanager', name: 's' })).toBe(url);
  });

  it.each([
    { case: 'plain http to another host', value: 'http://hooks.example.com/x', reason: 'must hold an https URL' },
    { case: 'not a URL', value: 'xoxb-token', reason: 'does not hold a URL' },
    { case: 'broken JSON', value: '{"url":', reason: 'holds text starting with { that is not JSON' },
    { case: 'JSON without url', value: '{"hook":"https://a"}', reason: 'does not hold a URL' },
  ])('rejects $case without quoting it', async ({ value, reason }) => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: value });
    const read = createSecretReader({ secrets: new SecretsManagerClient({}), ssm: new SSMClient({}) });
    const error = await read({ store: 'secretsmanager', name: 'team/slack' }).catch((e: unknown) => e as Error);
    expect((error as Error).message).toContain(`webhook secret secretsmanager:team/… (10 characters) ${reason}`);
    expect((error as Error).message).not.toContain(value);
  });

  it('keeps neither the full name nor the SDK message in a read error, not even as its cause', async () => {
    secrets.on(GetSecretValueCommand).rejects(
      Object.assign(new Error('not authorized to perform: secretsmanager:GetSecretValue on resource: team/slack-url'), {
        name: 'AccessDeniedException',
      }),
    );
    const read = createSecretReader({ secrets: new SecretsManagerClient({}), ssm: new SSMClient({}) });
    const error = await read({ store: 'secretsmanager', name: 'team/slack-url' }).catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(WebhookSecretError);
    expect((error as Error).message).toBe(
      'webhook secret secretsmanager:team/sl… (14 characters) could not be read (AccessDeniedException)',
    );
    // What a logger would print of it, cause chain included.
    expect(inspect(error, { depth: 10 })).not.toContain('team/slack-url');
  });

  it('caches a value for its TTL, then reads it again', async () => {
    secrets
      .on(GetSecretValueCommand)
      .resolvesOnce({ SecretString: 'https://a.example/1' })
      .resolves({ SecretString: 'https://a.example/2' });
    let now = 0;
    const read = createSecretReader({
      secrets: new SecretsManagerClient({}),
      ssm: new SSMClient({}),
      ttlMs: 1_000,
      now: () => now,
    });
    const ref = { store: 'secretsmanager', name: 's' } as const;
    expect(await read(ref)).toBe('https://a.example/1');
    now = 999;
    expect(await read(ref)).toBe('https://a.example/1');
    now = 1_000;
    expect(await read(ref)).toBe('https://a.example/2');
    expect(secrets).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
  });
});
