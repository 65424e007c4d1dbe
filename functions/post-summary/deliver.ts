import type { SNSClient } from '@aws-sdk/client-sns';
import type { LogSink } from '../../shared/logger.js';
import { count, type MetricSink } from '../../shared/metrics.js';
import { publishNotification } from '../../shared/notify.js';
import type { PostSummaryConfig, SecretRef, SummaryChannel } from './config.js';
import type { ChannelOnce } from './deliver-once.js';
import { fitJson, fitText, snsBodyBudget } from './fit-sns.js';
import { subjectOf, verdictOf } from './format.js';
import { renderSlack } from './render-slack.js';
import { renderTeams } from './render-teams.js';
import type { SummaryReport } from './report.js';
import { describeSecretRef, type SecretReader } from './secrets.js';
import { postWebhook, type WebhookResult } from './webhook.js';

/** What delivery needs from the outside world. */
export interface DeliveryDeps {
  readonly sns: SNSClient;
  readonly readSecret: SecretReader;
  readonly logger: LogSink;
  readonly metrics: MetricSink;
  readonly signal?: AbortSignal;
  /**
   * Take-once per channel of this summary's window (deliver-once.ts): a channel an earlier attempt
   * delivered is not sent again, and a channel that fails is given back for the retry. Absent (no
   * ledger, a dry run, a window ending now), every channel is sent, as it always was.
   */
  readonly once?: ChannelOnce;
}

/** The settings delivery reads. */
export type DeliverySettings = Pick<
  PostSummaryConfig,
  | 'channels'
  | 'notifyTopicArn'
  | 'slackWebhookSecret'
  | 'teamsWebhookSecret'
  | 'webhookTimeoutMs'
  | 'webhookRetries'
  | 'dryRun'
> & {
  /** Items per list in the text, Slack and Teams renderings (default 10). */
  readonly maxItems?: number;
  /** First webhook backoff (default 500 ms; tests shorten it). */
  readonly webhookBaseDelayMs?: number;
};

/** One channel's outcome. */
export interface DeliveryResult {
  readonly channel: SummaryChannel;
  readonly ok: boolean;
  /** Bytes of the rendered message. */
  readonly bytes: number;
  readonly attempts?: number;
  readonly status?: number;
  readonly messageId?: string;
  readonly error?: string;
  /** DRY_RUN: rendered and logged, not sent. */
  readonly dryRun?: true;
  /** An earlier attempt of the same window delivered this channel: not sent again (`bytes` 0). */
  readonly alreadyDelivered?: true;
  /**
   * With `alreadyDelivered`: the earlier attempt took the channel and never confirmed sending it
   * (still sending, or it died: the summary may be missing there). Not sent again: at most once.
   */
  readonly unconfirmed?: true;
}

/** A channel ready to go: an outcome without sending (a dry run, a missing setting), or its one send. */
type Prepared = { readonly done: DeliveryResult } | { readonly send: () => Promise<DeliveryResult> };

/** A channel's failure inside its take-once, so the take gives the channel back. */
class ChannelFailed extends Error {
  constructor(readonly result: DeliveryResult) {
    super(result.error ?? 'failed');
    this.name = 'ChannelFailed';
  }
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * Sends the summary to every configured channel in parallel: SNS (the text rendering; subject one
 * line), Slack and Teams (webhooks, URLs read from their secrets now), and JSON (published to the
 * topic with the message attribute `format=json`). One failing channel never stops the others;
 * every outcome is logged and counted (SummaryDeliveries / SummaryDeliveryFailures). With
 * `deps.once`, each channel is sent only if no earlier attempt of the window delivered it, and a
 * failed channel is given back for the retry. Never throws.
 */
export async function deliverSummary(
  deps: DeliveryDeps,
  settings: DeliverySettings,
  report: SummaryReport,
): Promise<DeliveryResult[]> {
  const { logger, metrics, signal } = deps;
  const renderOptions = { maxItems: settings.maxItems };
  const attributes = { kind: 'summary', verdict: verdictOf(report) };

  const formatOf = (channel: 'sns' | 'json') => (channel === 'json' ? 'json' : 'text');
  // What the body may weigh: SNS counts the attributes in its 256 KiB (fit-sns.ts).
  const budgetOf = (channel: 'sns' | 'json') => snsBodyBudget({ ...attributes, format: formatOf(channel) });

  // Each channel is prepared first (rendered, its webhook URL read), so that only its one mutating
  // call (Publish, the webhook POST) is inside the take-once: a failed secret read takes nothing.
  const publish = (channel: 'sns' | 'json', subject: string, body: string): Prepared => {
    const format = formatOf(channel);
    const bytes = Buffer.byteLength(body);
    const topic = settings.notifyTopicArn;
    if (topic === undefined) return { done: { channel, ok: false, bytes, error: 'NOTIFY_TOPIC_ARN is not set' } };
    if (settings.dryRun) {
      logger.info('dry run: would publish summary', { channel, topicArn: topic, subject, bytes });
      return { done: { channel, ok: true, bytes, dryRun: true } };
    }
    return {
      send: async () => {
        const messageId = await publishNotification(
          deps.sns,
          topic,
          { subject, body, attributes: { ...attributes, format } },
          signal,
        );
        return { channel, ok: true, bytes, attempts: 1, messageId };
      },
    };
  };

  const webhook = async (
    channel: 'slack' | 'teams',
    ref: SecretRef | undefined,
    payload: unknown,
  ): Promise<Prepared> => {
    const bytes = Buffer.byteLength(JSON.stringify(payload));
    if (ref === undefined)
      return { done: { channel, ok: false, bytes, error: `no ${channel} webhook secret configured` } };
    const secret = describeSecretRef(ref);
    if (settings.dryRun) {
      logger.info('dry run: would post summary', { channel, secret, bytes });
      return { done: { channel, ok: true, bytes, dryRun: true } };
    }
    const url = await deps.readSecret(ref, signal);
    return {
      send: async () => {
        const result: WebhookResult = await postWebhook(url, payload, {
          timeoutMs: settings.webhookTimeoutMs,
          retries: settings.webhookRetries,
          baseDelayMs: settings.webhookBaseDelayMs,
          signal,
        });
        return { channel, bytes, ...result };
      },
    };
  };

  const prepare = async (channel: SummaryChannel): Promise<Prepared> => {
    switch (channel) {
      // Too large for SNS, each is sent trimmed (saying what was left out) rather than not at all.
      case 'sns': {
        const { subject, body } = fitText(report, renderOptions.maxItems, budgetOf('sns'));
        return publish('sns', subject, body);
      }
      case 'json':
        return publish('json', subjectOf(report), fitJson(report, budgetOf('json')));
      case 'slack':
        return webhook('slack', settings.slackWebhookSecret, renderSlack(report, renderOptions));
      case 'teams':
        return webhook('teams', settings.teamsWebhookSecret, renderTeams(report, renderOptions));
    }
  };

  // Take-once: the channel's flag is taken before sending and given back when the send fails (an
  // error, or a result that is not ok), so the retried invocation delivers it.
  const sendOnce = async (
    channel: SummaryChannel,
    send: () => Promise<DeliveryResult>,
    once: ChannelOnce,
  ): Promise<DeliveryResult> => {
    let result: DeliveryResult | undefined;
    const taken = await once(channel, async () => {
      result = await send();
      if (!result.ok) throw new ChannelFailed(result);
    });
    if (taken === 'sent' && result !== undefined) return result;
    return {
      channel,
      ok: true,
      bytes: 0,
      alreadyDelivered: true,
      ...(taken === 'unconfirmed' ? { unconfirmed: true } : {}),
    };
  };

  const deliver = async (channel: SummaryChannel): Promise<DeliveryResult> => {
    const prepared = await prepare(channel);
    if ('done' in prepared) return prepared.done;
    return deps.once === undefined ? prepared.send() : sendOnce(channel, prepared.send, deps.once);
  };

  return Promise.all(
    settings.channels.map(async (channel) => {
      let result: DeliveryResult;
      try {
        result = await deliver(channel);
      } catch (error) {
        result =
          error instanceof ChannelFailed ? error.result : { channel, ok: false, bytes: 0, error: describeError(error) };
      }
      if (result.unconfirmed) {
        // Not silent: the earlier attempt may have died before its send, and nothing re-sends it.
        logger.error('summary channel taken by an earlier attempt that never confirmed sending it', {
          channel,
          notSentAgain: 'at most once per window and channel; check the channel, the summary may be missing',
        });
        count(metrics, 'SummaryDeliveriesUnconfirmed');
        return result;
      }
      if (result.alreadyDelivered) {
        logger.info('summary already delivered on this channel', { channel });
        return result;
      }
      if (result.ok) {
        logger.info('summary delivered', { ...result });
        count(metrics, 'SummaryDeliveries');
      } else {
        logger.error('summary delivery failed', { ...result });
        count(metrics, 'SummaryDeliveryFailures');
      }
      return result;
    }),
  );
}
