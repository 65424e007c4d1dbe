/**
 * The summary delivered once per window and channel, over the sandbox: the real bundle in its own
 * process, the real SDK against the SNS, DynamoDB and Secrets Manager stand-ins, Slack over real
 * HTTP. A retried or redelivered summary sends only the channels that have not got it.
 */
import { CreateScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { describe, expect, it } from 'vitest';
import type { InvocationRecord } from '../../sandbox/sandbox.js';
import { sandboxPerFile } from './support.js';

const SUMMARY = 'PostSummaryFunction';
const SECRET = 'backup-autopilot/slack-once';
const PATH = '/slack/T0000/B0000/once';

const OPTIONS = {
  parameterOverrides: { PostSummaryChannels: 'sns,slack', PostSummarySlackWebhookSecret: SECRET },
  // One attempt per webhook delivery: a 503 fails the channel at once.
  environmentOverrides: { [SUMMARY]: { SUMMARY_WEBHOOK_RETRIES: '0' } },
};

const sandbox = sandboxPerFile(OPTIONS, (s) => s.secrets.putSecret(SECRET, s.webhooks.url(PATH)));

/** Summary emails (the text rendering) SNS accepted for the window ending at `until`. */
const emailsUntil = (until: string, sb = sandbox()) =>
  sb.sns
    .published()
    .filter((m) => m.attributes.kind?.StringValue === 'summary' && m.attributes.format?.StringValue === 'text')
    .filter((m) => (m.subject ?? '').includes(until.slice(0, 10)) && m.at >= Date.parse(until));

/** Statuses of the Slack posts received since `from` (sandbox time). */
const slackPostsSince = (from: number, sb = sandbox()) =>
  sb.webhooks
    .received()
    .filter((r) => r.path === PATH && r.at >= from)
    .map((r) => r.status);

/** What an invocation returned about its deliveries: [channel, ok, alreadyDelivered]. */
const deliveriesOf = (record: InvocationRecord | undefined) => {
  if (!record?.outcome.ok) throw new Error(`the summary failed: ${JSON.stringify(record?.outcome)}`);
  const { deliveries } = record.outcome.result as {
    deliveries: { channel: string; ok: boolean; alreadyDelivered?: boolean }[];
  };
  return deliveries.map((d) => [d.channel, d.ok, d.alreadyDelivered ?? false]);
};

/** The DynamoDB JSON of an UpdateItem, loosely. */
type UpdateInput = { Key?: { pk?: { S?: string } } };
const takesSlack = (input: unknown) => /^summary#.*#slack$/.test((input as UpdateInput).Key?.pk?.S ?? '');

describe('the daily summary, Slack down at the scheduled run', () => {
  it("fails the invocation; Lambda's retry posts to Slack and does not publish the email again", async () => {
    const sb = sandbox();
    const due = '2026-11-30T08:00:00Z';
    // The first post is refused; every later one is answered 200 ok.
    sb.webhooks.script(PATH, { statuses: [503] });
    await sb.runUntil(Date.parse('2026-11-30T08:10:00Z'));

    const runs = sb.invocations.filter((i) => i.function === SUMMARY && i.trigger.startsWith('schedule:'));
    expect(runs.map((r) => [r.attempt, r.outcome.ok])).toEqual([
      [0, false],
      [1, true],
    ]);
    const first = runs[0]?.outcome;
    expect(first?.ok === false && first.error).toMatchObject({
      errorType: 'SummaryDeliveryError',
      errorMessage: 'summary delivery failed on some channels: slack (HTTP 503 error) (delivered, not sent again: sns)',
    });
    // The retry (a minute later, as Lambda's async retries) covered the same scheduled window.
    expect(runs[1]?.event).toEqual(runs[0]?.event);
    expect(deliveriesOf(runs[1])).toEqual([
      ['sns', true, true],
      ['slack', true, false],
    ]);
    expect(emailsUntil(due)).toHaveLength(1);
    expect(slackPostsSince(Date.parse(due))).toEqual([503, 200]);
    expect(sb.failed).toEqual([]);
  }, 60_000);
});

describe('a summary invoked again with the same explicit window', () => {
  it('a direct invocation with an explicit window, invoked twice: delivered once', async () => {
    const sb = sandbox();
    const until = new Date(sb.clock.ms() - 60_000).toISOString();
    const event = { since: new Date(Date.parse(until) - 6 * 3_600_000).toISOString(), until };
    const published = sb.sns.published().length;
    const posted = sb.webhooks.received().length;
    const first = await sb.invoke(SUMMARY, event);
    expect(deliveriesOf(first)).toEqual([
      ['sns', true, false],
      ['slack', true, false],
    ]);
    const again = await sb.invoke(SUMMARY, event);
    expect(deliveriesOf(again)).toEqual([
      ['sns', true, true],
      ['slack', true, true],
    ]);
    expect(sb.sns.published().slice(published)).toHaveLength(1);
    expect(
      sb.webhooks
        .received()
        .slice(posted)
        .map((r) => r.status),
    ).toEqual([200]);
  }, 30_000);
});

describe('a summary whose container was killed during the SNS Publish', () => {
  // A sandbox of its own: no warm container has Slack's URL cached, so reading it is slow (below)
  // and Slack is not taken yet when the container dies.
  const cold = sandboxPerFile(OPTIONS, (s) => s.secrets.putSecret(SECRET, s.webhooks.url(PATH)));

  it('a container killed during the SNS Publish: not published again, reported unconfirmed; Slack posted', async () => {
    const sb = cold();
    const until = new Date(sb.clock.ms() + 1000).toISOString();
    const event = { source: 'backup-autopilot', action: 'summary', scheduledTime: until };
    // SNS's flag is taken, then its Publish kills the container without taking effect (it might as
    // well have gone out: nothing tells). Slack's URL is still being read then (slowly, should the
    // read have started), so Slack is not taken yet.
    sb.faults.add({ service: 'secretsmanager', operation: 'GetSecretValue', fault: { kind: 'latency', ms: 1500 } });
    sb.faults.add({ service: 'sns', operation: 'Publish', fault: { kind: 'crash-caller' } });
    const published = sb.sns.published().length;

    const crashed = await sb.invoke(SUMMARY, event);
    expect(crashed.outcome).toMatchObject({ ok: false, kind: 'crash' });
    expect(sb.faults.fired.map((f) => f.operation)).toContain('Publish');
    const redelivered = await sb.invoke(SUMMARY, event);
    const result = redelivered.outcome.ok ? (redelivered.outcome.result as { deliveries: unknown[] }) : undefined;
    expect(result?.deliveries).toEqual([
      { channel: 'sns', ok: true, alreadyDelivered: true, unconfirmed: true },
      { channel: 'slack', ok: true },
    ]);
    expect(sb.sns.published().slice(published)).toEqual([]);
    expect(
      sb.webhooks
        .received()
        .filter((r) => r.path === PATH)
        .map((r) => r.status),
    ).toEqual([200]);
    // Loud, not silent: an error line and a metric an alarm can watch.
    const logs = redelivered.outcome.logs.join('\n');
    expect(logs).toContain('summary channel taken by an earlier attempt that never confirmed sending it');
    expect(logs).toContain('SummaryDeliveriesUnconfirmed');
  }, 30_000);
});

describe('a summary whose container was killed after the email went out', () => {
  // A sandbox of its own, as below: no warm container has Slack's URL cached.
  const cold = sandboxPerFile(OPTIONS, (s) => s.secrets.putSecret(SECRET, s.webhooks.url(PATH)));

  it('a container killed after the email went out: the redelivery posts to Slack only', async () => {
    const sb = cold();
    const until = new Date(sb.clock.ms()).toISOString();
    const event = { source: 'backup-autopilot', action: 'summary', scheduledTime: until };
    // Slack's webhook URL comes back slowly, so the email is out before Slack's take-once, whose
    // write kills the container (it does not take effect).
    sb.faults.add({ service: 'secretsmanager', operation: 'GetSecretValue', fault: { kind: 'latency', ms: 1500 } });
    sb.faults.add({ service: 'dynamodb', operation: 'UpdateItem', fault: { kind: 'crash-caller' }, when: takesSlack });

    const crashed = await sb.invoke(SUMMARY, event);
    expect(crashed.outcome).toMatchObject({ ok: false, kind: 'crash' });
    expect(sb.faults.fired.map((f) => f.kind)).toEqual(['latency', 'crash-caller']);
    expect(emailsUntil(until, sb)).toHaveLength(1);
    expect(slackPostsSince(Date.parse(until), sb)).toEqual([]);

    // The same event again, as Lambda's retry of the crashed invocation or Scheduler's redelivery.
    const redelivered = await sb.invoke(SUMMARY, event);
    expect(redelivered.outcome.container).not.toBe(crashed.outcome.container);
    expect(deliveriesOf(redelivered)).toEqual([
      ['sns', true, true],
      ['slack', true, false],
    ]);
    expect(emailsUntil(until, sb)).toHaveLength(1);
    expect(slackPostsSince(Date.parse(until), sb)).toEqual([200]);
  }, 30_000);
});

describe("a person's own schedule of a summary of the last 6 hours, Slack down at its first attempt", () => {
  // A sandbox of its own: the only summary of this window is the one scheduled below.
  const own = sandboxPerFile(OPTIONS, (s) => s.secrets.putSecret(SECRET, s.webhooks.url(PATH)));

  it("Lambda's retry, a minute later with the same request id, posts to Slack and does not publish the email again", async () => {
    const sb = own();
    const start = sb.clock.ms();
    const at = new Date(start + 5 * 60_000).toISOString().slice(0, 19);
    // As a person would add one: EventBridge Scheduler, the default group, input {"windowHours": 6}
    // (a window that ends when it runs, so a retry a minute later covers another one).
    const scheduler = new SchedulerClient({ ...sb.clientConfig('person'), endpoint: sb.endpoints.scheduler });
    await scheduler.send(
      new CreateScheduleCommand({
        Name: 'summary-last-6-hours',
        ScheduleExpression: `at(${at})`,
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: {
          Arn: sb.function(SUMMARY).arn,
          RoleArn: `arn:aws:iam::${sb.account}:role/person-scheduler`,
          Input: JSON.stringify({ windowHours: 6 }),
        },
      }),
    );
    sb.webhooks.script(PATH, { statuses: [503] });
    const published = sb.sns.published().length;
    await sb.runUntil(start + 10 * 60_000);

    const runs = sb.invocations.filter((i) => i.trigger === 'scheduler:summary-last-6-hours');
    expect(runs.map((r) => [r.attempt, r.outcome.ok])).toEqual([
      [0, false],
      [1, true],
    ]);
    expect(runs[1]?.outcome.requestId).toBe(runs[0]?.outcome.requestId);
    expect(deliveriesOf(runs[1])).toEqual([
      ['sns', true, true],
      ['slack', true, false],
    ]);
    const summaries = sb.sns
      .published()
      .slice(published)
      .filter((m) => m.attributes.kind?.StringValue === 'summary' && m.attributes.format?.StringValue === 'text');
    expect(summaries).toHaveLength(1);
    expect(slackPostsSince(start, sb)).toEqual([503, 200]);
  }, 60_000);
});
