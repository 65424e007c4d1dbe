/**
 * Take-once per (summary window, channel) on a real ledger table (dynalite): a retried or repeated
 * summary of one window sends only the channels that have not got it, and a channel that failed is
 * given back for the retry. SNS and Secrets Manager are mocked; the webhook is a real HTTP server.
 */
import { BackupClient } from '@aws-sdk/client-backup';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadPostSummaryConfig } from '../../../functions/post-summary/config.js';
import { deliverSummary } from '../../../functions/post-summary/deliver.js';
import { channelOnce, DELIVERED_FLAG, summaryDeliveryKey } from '../../../functions/post-summary/deliver-once.js';
import { type RunDeps, runSummary } from '../../../functions/post-summary/run.js';
import { createSecretReader } from '../../../functions/post-summary/secrets.js';
import { ACCOUNT_DEPLOYMENT } from '../../../shared/accounts/deployment.js';
import { ExactlyOnce } from '../../../shared/ledger/exactly-once.js';
import { type LedgerTable, startLedgerTable } from '../../support/ledger-table.js';
import { startWebhookServer } from './http-server.js';
import { badDayReport } from './report-fixtures.js';

const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';
const TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT}:backup-autopilot`;
const FUNCTION_ARN = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:backup-autopilot-post-summary`;
const IDENTITY = { functionArn: FUNCTION_ARN, accountId: ACCOUNT, region: REGION, partition: 'aws' };
const SLACK_PATH = '/services/T0000/B0000/once';
const NOW = new Date('2026-11-24T08:00:05.000Z');
const HOUR = 3_600_000;

const sns = mockClient(SNSClient);
const secrets = mockClient(SecretsManagerClient);
const backup = mockClient(BackupClient);
let table: LedgerTable;
let server: Awaited<ReturnType<typeof startWebhookServer>>;
/** What the Slack webhook answers next. */
let slackUp = true;

beforeAll(async () => {
  table = await startLedgerTable('summary-once');
  server = await startWebhookServer({
    [SLACK_PATH]: (res) => (slackUp ? res.writeHead(200).end('ok') : res.writeHead(503).end('down')),
  });
});
afterAll(async () => {
  await server.stop();
  await table.stop();
});
beforeEach(() => {
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
  secrets.on(GetSecretValueCommand).resolves({ SecretString: server.url(SLACK_PATH) });
  // An empty account: every list answers one empty page.
  backup.onAnyCommand().resolves({});
});
afterEach(() => {
  sns.reset();
  secrets.reset();
  backup.reset();
  slackUp = true;
  server.received.length = 0;
});

/** A scheduled summary due `hoursAgo` hours before NOW: each test takes a window of its own. */
let hoursAgo = 0;
const nextScheduledEvent = () => {
  hoursAgo += 1;
  const due = new Date(Date.parse('2026-11-24T08:00:00Z') - hoursAgo * HOUR);
  return { source: 'backup-autopilot', action: 'summary', scheduledTime: due.toISOString() };
};

const configOf = (env: Record<string, string> = {}) =>
  loadPostSummaryConfig({
    AWS_REGION: REGION,
    NOTIFY_TOPIC_ARN: TOPIC,
    SUMMARY_CHANNELS: 'sns,slack',
    SLACK_WEBHOOK_SECRET: 'backup-autopilot/slack',
    SUMMARY_WEBHOOK_RETRIES: '0',
    LEDGER_TABLE_NAME: table.tableName,
    ...env,
  });

const runDeps = (env: Record<string, string> = {}): RunDeps => {
  const config = configOf(env);
  return {
    backupClientFor: () => new BackupClient({ region: REGION }),
    deployment: ACCOUNT_DEPLOYMENT,
    sns: new SNSClient({}),
    logger: { debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() },
    metrics: { addMetric: vi.fn() },
    now: () => NOW,
    identity: IDENTITY,
    // A fresh reader per invocation, as a new container would have (no cached URL).
    readSecret: createSecretReader({ secrets: new SecretsManagerClient({}), ssm: new SSMClient({}) }),
    documentClient: config.ledgerTableName === undefined ? undefined : table.documentClient,
    config,
  };
};

const snsPublishes = () => sns.commandCalls(PublishCommand).length;
const slackPosts = () => server.hits(SLACK_PATH).length;

/** The summary items of the ledger whose window ends at `until`. */
const itemsOf = async (until: string) => {
  const out = await table.documentClient.send(new ScanCommand({ TableName: table.tableName }));
  return (out.Items ?? []).filter((item) => String(item.pk).startsWith('summary#') && item.summaryUntil === until);
};

describe('summaryDeliveryKey', () => {
  const intent = {
    identity: IDENTITY,
    since: new Date('2026-11-23T08:00:00Z'),
    until: new Date('2026-11-24T08:00:00Z'),
  };

  it('names the deployment (account, Region, function), the window and the channel', () => {
    expect(summaryDeliveryKey(intent, 'slack')).toBe(
      'summary#111122223333#eu-west-1#backup-autopilot-post-summary#2026-11-23T08:00:00.000Z#2026-11-24T08:00:00.000Z#slack',
    );
  });

  it('is the same through an alias or version, and differs for another stack or window', () => {
    const key = summaryDeliveryKey(intent, 'sns');
    expect(
      summaryDeliveryKey({ ...intent, identity: { ...IDENTITY, functionArn: `${FUNCTION_ARN}:live` } }, 'sns'),
    ).toBe(key);
    const otherStack = { ...IDENTITY, functionArn: FUNCTION_ARN.replace('backup-autopilot-', 'other-') };
    expect(summaryDeliveryKey({ ...intent, identity: otherStack }, 'sns')).not.toBe(key);
    expect(summaryDeliveryKey({ ...intent, since: new Date('2026-11-23T09:00:00Z') }, 'sns')).not.toBe(key);
  });

  it('for a window that ends now, names the request instead of the window', () => {
    const requestId = 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef';
    const atFirst = summaryDeliveryKey({ ...intent, requestId }, 'slack');
    expect(atFirst).toBe(`summary#111122223333#eu-west-1#backup-autopilot-post-summary#request#${requestId}#slack`);
    // Lambda's retry a minute later resolves another window: the same summary.
    const later = { ...intent, since: new Date('2026-11-23T08:01:00Z'), until: new Date('2026-11-24T08:01:00Z') };
    expect(summaryDeliveryKey({ ...later, requestId }, 'slack')).toBe(atFirst);
    expect(summaryDeliveryKey({ ...intent, requestId: 'another-request' }, 'slack')).not.toBe(atFirst);
  });
});

describe('deliverSummary with take-once', () => {
  // Read once the table exists (beforeAll).
  let settings: ReturnType<typeof configOf>;
  beforeAll(() => {
    settings = configOf();
  });
  const deliveryDeps = (until: Date) => ({
    ...runDeps(),
    once: channelOnce(
      table.documentClient,
      { tableName: table.tableName, ttlDays: 90 },
      { identity: IDENTITY, since: new Date(until.getTime() - 24 * HOUR), until },
      () => ({ now: NOW }),
    ),
  });

  it('a second delivery of the same window sends nothing and says each channel had it', async () => {
    const until = new Date('2026-11-20T08:00:00Z');
    const first = await deliverSummary(deliveryDeps(until), settings, badDayReport());
    expect(first.map((r) => [r.channel, r.ok, r.alreadyDelivered])).toEqual([
      ['sns', true, undefined],
      ['slack', true, undefined],
    ]);
    const deps = deliveryDeps(until);
    const second = await deliverSummary(deps, settings, badDayReport());
    expect(second).toEqual([
      { channel: 'sns', ok: true, bytes: 0, alreadyDelivered: true },
      { channel: 'slack', ok: true, bytes: 0, alreadyDelivered: true },
    ]);
    expect(snsPublishes()).toBe(1);
    expect(slackPosts()).toBe(1);
    expect(deps.logger.info).toHaveBeenCalledWith('summary already delivered on this channel', { channel: 'slack' });
    // Neither a delivery nor a failure is counted for a channel not sent again.
    expect(deps.metrics.addMetric).not.toHaveBeenCalled();
    const items = await itemsOf(until.toISOString());
    expect(items.map((i) => [i.summaryChannel, typeof i[DELIVERED_FLAG]]).sort()).toEqual([
      ['slack', 'string'],
      ['sns', 'string'],
    ]);
  });

  it('a webhook that answered 503 is given back; an SNS error is given back; each is sent on the next delivery', async () => {
    const until = new Date('2026-11-19T08:00:00Z');
    slackUp = false;
    sns
      .on(PublishCommand)
      .rejectsOnce(Object.assign(new Error('throttled'), { name: 'ThrottledException' }))
      .resolves({ MessageId: 'm-2' });
    const first = await deliverSummary(deliveryDeps(until), settings, badDayReport());
    expect(first.map((r) => [r.channel, r.ok, r.error])).toEqual([
      ['sns', false, 'ThrottledException: throttled'],
      ['slack', false, 'HTTP 503 down'],
    ]);
    // Both channels were taken, then given back: their items stay, without the flag.
    const items = await itemsOf(until.toISOString());
    expect(items.map((i) => [i.summaryChannel, i[DELIVERED_FLAG]]).sort()).toEqual([
      ['slack', undefined],
      ['sns', undefined],
    ]);

    slackUp = true;
    const second = await deliverSummary(deliveryDeps(until), settings, badDayReport());
    expect(second.map((r) => [r.channel, r.ok, r.alreadyDelivered])).toEqual([
      ['sns', true, undefined],
      ['slack', true, undefined],
    ]);
    expect(snsPublishes()).toBe(2);
    expect(slackPosts()).toBe(2);
  });

  it('a webhook secret that cannot be read takes nothing: only the POST is inside the take-once', async () => {
    const until = new Date('2026-11-17T08:00:00Z');
    secrets.on(GetSecretValueCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    const results = await deliverSummary(deliveryDeps(until), settings, badDayReport());
    expect(results.map((r) => [r.channel, r.ok])).toEqual([
      ['sns', true],
      ['slack', false],
    ]);
    expect((await itemsOf(until.toISOString())).map((i) => i.summaryChannel)).toEqual(['sns']);
  });

  it('a channel an earlier attempt took and never confirmed (it died) is not sent again, and says so loudly', async () => {
    const until = new Date('2026-11-16T08:00:00Z');
    // The dead attempt: SNS's flag taken, no receipt (killed before its Publish returned).
    const intent = { identity: IDENTITY, since: new Date(until.getTime() - 24 * HOUR), until };
    await new ExactlyOnce(table.documentClient, { tableName: table.tableName, ttlDays: 90 }).tellOnce(
      summaryDeliveryKey(intent, 'sns'),
      DELIVERED_FLAG,
      async () => undefined,
      { now: NOW },
      { create: { summaryChannel: 'sns' } },
    );
    const deps = deliveryDeps(until);
    const results = await deliverSummary(deps, settings, badDayReport());
    expect(results.map((r) => [r.channel, r.ok, r.alreadyDelivered, r.unconfirmed])).toEqual([
      ['sns', true, true, true],
      ['slack', true, undefined, undefined],
    ]);
    expect(snsPublishes()).toBe(0);
    expect(deps.logger.error).toHaveBeenCalledWith(
      'summary channel taken by an earlier attempt that never confirmed sending it',
      expect.objectContaining({ channel: 'sns' }),
    );
    expect(deps.metrics.addMetric).toHaveBeenCalledWith('SummaryDeliveriesUnconfirmed', 'Count', 1);
  });

  it('of concurrent deliveries of one window, one sends each channel', async () => {
    const until = new Date('2026-11-18T08:00:00Z');
    const results = await Promise.all(
      Array.from({ length: 5 }, () => deliverSummary(deliveryDeps(until), settings, badDayReport())),
    );
    expect(snsPublishes()).toBe(1);
    expect(slackPosts()).toBe(1);
    expect(results.flat().filter((r) => r.alreadyDelivered)).toHaveLength(8);
  });
});

describe('runSummary: one summary per window and channel', () => {
  it('a redelivered scheduled summary publishes nothing again', async () => {
    const event = nextScheduledEvent();
    const first = await runSummary(runDeps(), event);
    expect(first.deliveries).toEqual([
      { channel: 'sns', ok: true, error: undefined, dryRun: undefined, alreadyDelivered: undefined },
      { channel: 'slack', ok: true, error: undefined, dryRun: undefined, alreadyDelivered: undefined },
    ]);
    const again = await runSummary(runDeps(), event);
    expect(again.deliveries.map((d) => [d.channel, d.ok, d.alreadyDelivered])).toEqual([
      ['sns', true, true],
      ['slack', true, true],
    ]);
    expect(snsPublishes()).toBe(1);
    expect(slackPosts()).toBe(1);
  });

  it('a failed channel fails the invocation; the retry delivers it and does not publish SNS again', async () => {
    const event = nextScheduledEvent();
    slackUp = false;
    await expect(runSummary(runDeps(), event)).rejects.toMatchObject({
      name: 'SummaryDeliveryError',
      message: 'summary delivery failed on some channels: slack (HTTP 503 down) (delivered, not sent again: sns)',
    });
    expect(snsPublishes()).toBe(1);
    slackUp = true;
    const retry = await runSummary(runDeps(), event);
    expect(retry.deliveries.map((d) => [d.channel, d.ok, d.alreadyDelivered])).toEqual([
      ['sns', true, true],
      ['slack', true, undefined],
    ]);
    expect(snsPublishes()).toBe(1);
    expect(server.hits(SLACK_PATH).map((h) => h.body === server.hits(SLACK_PATH)[0]?.body)).toEqual([true, true]);
  });

  it('every channel failing still fails the invocation, naming them all', async () => {
    const event = nextScheduledEvent();
    slackUp = false;
    sns.on(PublishCommand).rejects(Object.assign(new Error('throttled'), { name: 'ThrottledException' }));
    await expect(runSummary(runDeps(), event)).rejects.toMatchObject({
      message: 'summary delivery failed on every channel: sns (ThrottledException: throttled); slack (HTTP 503 down)',
    });
  });

  it('a direct invocation with an explicit window: the same rule', async () => {
    const event = { since: '2026-11-10T00:00:00Z', until: '2026-11-11T00:00:00Z' };
    await runSummary(runDeps(), event);
    const again = await runSummary(runDeps(), event);
    expect(again.deliveries.every((d) => d.alreadyDelivered)).toBe(true);
    expect(snsPublishes()).toBe(1);
    expect(slackPosts()).toBe(1);
  });

  it.each([
    { case: '{}', event: {} },
    { case: 'windowHours', event: { windowHours: 6 } },
    { case: 'since alone', event: { since: '2026-11-12T00:00:00Z' } },
  ])(
    'a window ending now ($case), invoked again: a new request, a new summary, sent again',
    async ({ case: name, event }) => {
      await runSummary({ ...runDeps(), requestId: `first ${name}` }, event);
      await runSummary({ ...runDeps(), requestId: `second ${name}` }, event);
      expect(snsPublishes()).toBe(2);
      expect(slackPosts()).toBe(2);
    },
  );

  it("a window ending now, Slack down: Lambda's retry (same request id, a minute later) posts Slack only", async () => {
    const requestId = 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef';
    const event = { windowHours: 6 };
    slackUp = false;
    await expect(runSummary({ ...runDeps(), requestId }, event)).rejects.toMatchObject({
      name: 'SummaryDeliveryError',
      message: 'summary delivery failed on some channels: slack (HTTP 503 down) (delivered, not sent again: sns)',
    });
    slackUp = true;
    const minuteLater = new Date(NOW.getTime() + 60_000);
    const retry = await runSummary({ ...runDeps(), now: () => minuteLater, requestId }, event);
    expect(retry.deliveries.map((d) => [d.channel, d.ok, d.alreadyDelivered])).toEqual([
      ['sns', true, true],
      ['slack', true, undefined],
    ]);
    expect(snsPublishes()).toBe(1);
    expect(slackPosts()).toBe(2);
    // Its items carry the first attempt's window.
    expect((await itemsOf(NOW.toISOString())).map((item) => [item.pk, item.summarySince])).toEqual(
      expect.arrayContaining([
        [
          expect.stringMatching(new RegExp(`#request#${requestId}#sns$`)),
          new Date(NOW.getTime() - 6 * 3_600_000).toISOString(),
        ],
      ]),
    );
  });

  it('a window ending now without a request id (not through Lambda) takes nothing: sent every time', async () => {
    const before = (await itemsOf(NOW.toISOString())).length;
    await runSummary(runDeps(), {});
    await runSummary(runDeps(), {});
    expect(snsPublishes()).toBe(2);
    expect(await itemsOf(NOW.toISOString())).toHaveLength(before);
  });

  it('DRY_RUN takes no flag: the real run of the window afterwards delivers', async () => {
    const event = nextScheduledEvent();
    const dry = await runSummary(runDeps({ DRY_RUN: 'true' }), event);
    expect(dry.deliveries.every((d) => d.dryRun)).toBe(true);
    expect(await itemsOf(event.scheduledTime.replace('Z', '.000Z'))).toEqual([]);
    const real = await runSummary(runDeps(), event);
    expect(real.deliveries.map((d) => [d.channel, d.ok, d.alreadyDelivered])).toEqual([
      ['sns', true, undefined],
      ['slack', true, undefined],
    ]);
    expect(snsPublishes()).toBe(1);
    expect(slackPosts()).toBe(1);
  });

  it('without LEDGER_TABLE_NAME there is no take-once: a partial delivery succeeds and a repeat re-sends', async () => {
    const event = nextScheduledEvent();
    const deps = () => runDeps({ LEDGER_TABLE_NAME: '' });
    slackUp = false;
    const partial = await runSummary(deps(), event);
    expect(partial.deliveries.map((d) => [d.channel, d.ok])).toEqual([
      ['sns', true],
      ['slack', false],
    ]);
    slackUp = true;
    await runSummary(deps(), event);
    expect(snsPublishes()).toBe(2);
    expect(await itemsOf(event.scheduledTime.replace('Z', '.000Z'))).toEqual([]);
  });
});
