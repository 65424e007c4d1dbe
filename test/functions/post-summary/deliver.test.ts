import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PublishCommand, type PublishCommandInput, SNSClient } from '@aws-sdk/client-sns';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import Ajv2020 from 'ajv/dist/2020.js';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SummaryChannel } from '../../../functions/post-summary/config.js';
import { type DeliverySettings, deliverSummary } from '../../../functions/post-summary/deliver.js';
import { SNS_MAX_BYTES } from '../../../functions/post-summary/fit-sns.js';
import { renderJson } from '../../../functions/post-summary/render-json.js';
import type { SummaryReport } from '../../../functions/post-summary/report.js';
import schema from '../../../functions/post-summary/schemas/summary.schema.json' with { type: 'json' };
import { createSecretReader } from '../../../functions/post-summary/secrets.js';
import { startWebhookServer } from './http-server.js';
import { badDayReport, hugeReport, largeOrganizationReport } from './report-fixtures.js';

const ajv = new Ajv2020({ allErrors: true, strict: true });
ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
ajv.addFormat('date', /^\d{4}-\d{2}-\d{2}$/);
const validateSummary = ajv.compile(schema);

const TOPIC = 'arn:aws:sns:eu-west-1:111122223333:backup-autopilot';
// The secret part of a Slack webhook URL is its path: it must never reach a log line.
const SLACK_PATH = '/services/T0000/B0000/SECRETslack';
const TEAMS_PATH = '/workflows/teams/SECRETteams';

const sns = mockClient(SNSClient);
const secrets = mockClient(SecretsManagerClient);
const ssm = mockClient(SSMClient);
type Server = Awaited<ReturnType<typeof startWebhookServer>>;
let server: Server;
let slackBehaviour: 'ok' | 'gone' = 'ok';

beforeAll(async () => {
  server = await startWebhookServer({
    [SLACK_PATH]: (res) =>
      slackBehaviour === 'ok' ? res.writeHead(200).end('ok') : res.writeHead(404).end('no_service'),
    [TEAMS_PATH]: (res) => res.writeHead(202).end(),
    '/always-500': (res) => res.writeHead(500).end('down'),
  });
});
afterAll(() => server.stop());
afterEach(() => {
  sns.reset();
  secrets.reset();
  ssm.reset();
  slackBehaviour = 'ok';
  server.received.length = 0;
});

const settings = (channels: SummaryChannel[], overrides: Partial<DeliverySettings> = {}): DeliverySettings => ({
  channels,
  notifyTopicArn: TOPIC,
  slackWebhookSecret: { store: 'secretsmanager', name: 'backup-autopilot/slack' },
  teamsWebhookSecret: { store: 'ssm', name: '/backup-autopilot/teams' },
  webhookTimeoutMs: 1_000,
  webhookRetries: 2,
  webhookBaseDelayMs: 10,
  dryRun: false,
  ...overrides,
});

const deps = () => {
  const logger = { debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() };
  const metrics = { addMetric: vi.fn() };
  const readSecret = createSecretReader({ secrets: new SecretsManagerClient({}), ssm: new SSMClient({}) });
  return { sns: new SNSClient({}), readSecret, logger, metrics };
};

const givenSecrets = (slackPath = SLACK_PATH, teamsPath = TEAMS_PATH): void => {
  secrets
    .on(GetSecretValueCommand, { SecretId: 'backup-autopilot/slack' })
    .resolves({ SecretString: server.url(slackPath) });
  ssm
    .on(GetParameterCommand, { Name: '/backup-autopilot/teams', WithDecryption: true })
    .resolves({ Parameter: { Value: JSON.stringify({ url: server.url(teamsPath) }) } });
};

describe('deliverSummary', () => {
  it('sends every channel: SNS text and JSON, Slack and Teams over HTTP', async () => {
    givenSecrets();
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    const d = deps();
    const results = await deliverSummary(d, settings(['sns', 'json', 'slack', 'teams']), badDayReport());
    expect(results.map((r) => [r.channel, r.ok])).toEqual([
      ['sns', true],
      ['json', true],
      ['slack', true],
      ['teams', true],
    ]);
    expect(sns).toHaveReceivedCommandWith(PublishCommand, {
      TopicArn: TOPIC,
      Subject: 'Backups 2026-11-24 [111122223333 eu-west-1]: 10 failed, 2 missed, 2 not copied, 3 with issues',
      Message: expect.stringMatching(/^Needs attention: 10 jobs failed/),
      MessageAttributes: {
        kind: { DataType: 'String', StringValue: 'summary' },
        verdict: { DataType: 'String', StringValue: 'attention' },
        format: { DataType: 'String', StringValue: 'text' },
      },
    });
    const json = sns
      .commandCalls(PublishCommand)
      .find((c) => c.args[0].input.MessageAttributes?.format?.StringValue === 'json');
    expect(JSON.parse(json?.args[0].input.Message ?? '{}')).toMatchObject({ schemaVersion: '1.2', complete: true });
    const slack = JSON.parse(server.hits(SLACK_PATH)[0]?.body ?? '{}') as { text: string; blocks: unknown[] };
    expect(slack.text).toMatch(/^Needs attention: /);
    const teams = JSON.parse(server.hits(TEAMS_PATH)[0]?.body ?? '{}') as { type: string };
    expect(teams.type).toBe('message');
    expect(d.metrics.addMetric).toHaveBeenCalledTimes(4);
    expect(d.metrics.addMetric).toHaveBeenCalledWith('SummaryDeliveries', 'Count', 1);
  });

  it('publishes to SNS although Slack fails permanently and Teams keeps failing', async () => {
    givenSecrets(SLACK_PATH, '/always-500');
    slackBehaviour = 'gone';
    sns.on(PublishCommand).resolves({ MessageId: 'm-2' });
    const d = deps();
    const results = await deliverSummary(d, settings(['slack', 'teams', 'sns']), badDayReport());
    expect(results).toEqual([
      expect.objectContaining({ channel: 'slack', ok: false, status: 404, attempts: 1, error: 'HTTP 404 no_service' }),
      expect.objectContaining({ channel: 'teams', ok: false, status: 500, attempts: 3, error: 'HTTP 500 down' }),
      expect.objectContaining({ channel: 'sns', ok: true, messageId: 'm-2' }),
    ]);
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    expect(server.hits('/always-500')).toHaveLength(3);
    expect(d.metrics.addMetric).toHaveBeenCalledWith('SummaryDeliveryFailures', 'Count', 1);
    expect(d.logger.error).toHaveBeenCalledWith(
      'summary delivery failed',
      expect.objectContaining({ channel: 'slack' }),
    );
    const logged = JSON.stringify([d.logger.info.mock.calls, d.logger.error.mock.calls]);
    expect(logged).not.toContain('SECRET');
    expect(logged).not.toContain('127.0.0.1');
  });

  it('delivers to Slack when SNS fails, and names the failing channel', async () => {
    givenSecrets();
    sns
      .on(PublishCommand)
      .rejects(Object.assign(new Error('Topic is encrypted'), { name: 'KMSAccessDeniedException' }));
    const results = await deliverSummary(deps(), settings(['sns', 'slack']), badDayReport());
    expect(results).toEqual([
      expect.objectContaining({ channel: 'sns', ok: false, error: 'KMSAccessDeniedException: Topic is encrypted' }),
      expect.objectContaining({ channel: 'slack', ok: true }),
    ]);
  });

  it('names the secret redacted, never in full nor its value, when it cannot be read', async () => {
    // IAM's wording names the resource: the SDK error's message must not reach the log.
    const denied = Object.assign(
      new Error(
        'User: arn:aws:sts::111122223333:assumed-role/r/f is not authorized to perform: secretsmanager:GetSecretValue on resource: backup-autopilot/slack',
      ),
      { name: 'AccessDeniedException', $metadata: { requestId: 'req-1' } },
    );
    secrets.on(GetSecretValueCommand).rejects(denied);
    sns.on(PublishCommand).resolves({});
    const d = deps();
    const results = await deliverSummary(d, settings(['slack', 'sns']), badDayReport());
    expect(results[0]).toMatchObject({
      channel: 'slack',
      ok: false,
      error:
        'WebhookSecretError: webhook secret secretsmanager:backup-a… (22 characters) could not be read (AccessDeniedException, request req-1)',
    });
    expect(results[1]).toMatchObject({ channel: 'sns', ok: true });
    expect(d.logger.error).toHaveBeenCalledWith(
      'summary delivery failed',
      expect.objectContaining({ channel: 'slack' }),
    );
    const logged = JSON.stringify([d.logger.info.mock.calls, d.logger.error.mock.calls]);
    expect(logged).not.toContain('backup-autopilot/slack');
  });

  it('sends nothing and reads no secret in a dry run', async () => {
    const d = deps();
    const results = await deliverSummary(
      d,
      settings(['sns', 'json', 'slack', 'teams'], { dryRun: true }),
      badDayReport(),
    );
    expect(results.every((r) => r.ok && r.dryRun)).toBe(true);
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 0);
    expect(secrets).toHaveReceivedCommandTimes(GetSecretValueCommand, 0);
    expect(server.received).toHaveLength(0);
    expect(d.logger.info).toHaveBeenCalledWith(
      'dry run: would post summary',
      expect.objectContaining({ channel: 'slack', secret: 'secretsmanager:backup-a… (22 characters)' }),
    );
  });

  /** What SNS weighs against its 256 KiB: the body and every attribute's name, type and value (SNS API). */
  const publishedBytes = (input: PublishCommandInput): number =>
    Buffer.byteLength(input.Message ?? '') +
    Object.entries(input.MessageAttributes ?? {}).reduce(
      (sum, [name, value]) =>
        sum + Buffer.byteLength(name) + (value.DataType ?? '').length + Buffer.byteLength(value.StringValue ?? ''),
      0,
    );

  it('publishes the JSON of a report over 256 KiB with shorter lists, saying what was left out', async () => {
    // SUMMARY_MAX_LISTED 200 (the most it takes) over 2,000 accounts: about 430 KB as is.
    const report = largeOrganizationReport(2000);
    expect(Buffer.byteLength(renderJson(report))).toBeGreaterThan(SNS_MAX_BYTES);
    sns.on(PublishCommand).resolves({ MessageId: 'm-json' });
    const results = await deliverSummary(deps(), settings(['json']), report);
    expect(results[0]).toMatchObject({ channel: 'json', ok: true, messageId: 'm-json' });
    const input = sns.commandCalls(PublishCommand)[0]?.args[0].input as PublishCommandInput;
    expect(publishedBytes(input)).toBeLessThanOrEqual(SNS_MAX_BYTES);
    const json = JSON.parse(input.Message ?? '{}') as SummaryReport;
    expect(validateSummary(json), JSON.stringify(validateSummary.errors)).toBe(true);
    expect(json.trimmed).toMatchObject({
      limitBytes: SNS_MAX_BYTES,
      leftOut: { 'backup.byAccount': expect.any(Number) },
    });
    const kept = json.trimmed?.maxItems ?? -1;
    expect(kept).toBeGreaterThan(0);
    // Nothing is lost from the counts: what a list no longer holds, its `more` counts.
    expect(json.problemJobs.items.length + json.problemJobs.more).toBe(
      report.problemJobs.items.length + report.problemJobs.more,
    );
    expect(json.problemJobs.items).toHaveLength(Math.min(kept, 200));
    expect(Object.keys(json.backup.byAccount).length + (json.trimmed?.leftOut['backup.byAccount'] ?? 0)).toBe(2000);
    expect(json.backup.total).toBe(report.backup.total);
  });

  it('publishes an email over 256 KiB with shorter lists instead of refusing it', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-text' });
    const report = hugeReport(1000);
    const results = await deliverSummary(deps(), settings(['sns'], { maxItems: 1000 }), report);
    expect(results[0]).toMatchObject({ channel: 'sns', ok: true, messageId: 'm-text' });
    const input = sns.commandCalls(PublishCommand)[0]?.args[0].input as PublishCommandInput;
    expect(publishedBytes(input)).toBeLessThanOrEqual(SNS_MAX_BYTES);
    expect(input.Message).toMatch(/^- and \d+ more reasons$/m);
    expect(input.Message).toMatch(/^FAILED JOBS \(11000\)$/m);
  });
});
