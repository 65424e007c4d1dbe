import type { BaseDeps } from '../../shared/base-deps.js';
import { ledgerCall } from '../../shared/ledger/exactly-once.js';
import { count } from '../../shared/metrics.js';
import { type Notification, publishNotification } from '../../shared/notify.js';
import type { RetryConfig } from './config.js';

/** What {@link publishOnce} did: logged only (dry run, no topic), found it already sent, or published it. */
export type PublishResult = 'logged' | 'already-sent' | 'published';

/** What publishing an alert once needs: the base deps and the settings that say whether to publish. */
export type PublishDeps = Pick<BaseDeps, 'sns' | 'logger' | 'metrics' | 'now' | 'signal'> & {
  readonly config: Pick<RetryConfig, 'dryRun' | 'notifyTopicArn'>;
};

/**
 * The retry function's one way to send an alert that was not muted: logged only in a dry run or
 * without NOTIFY_TOPIC_ARN; otherwise published through the ledger's take-once flag of the job it
 * is about (`tellOnce`: exactly one caller publishes; a failed publish gives the flag back), with
 * the `AlertsPublished` metric. The backup, restore and scan alerts all go through here.
 *
 * @param about - what the alert is about, for the log line of one already sent (`backup`, `restore`, `scan`)
 * @param ids - the log fields that name the job (and the logical key, for a backup)
 */
export async function publishOnce(
  deps: PublishDeps,
  notification: Notification,
  tellOnce: (publish: () => Promise<void>, call: ReturnType<typeof ledgerCall>) => Promise<boolean>,
  about: string,
  ids: Readonly<Record<string, unknown>>,
): Promise<PublishResult> {
  const topic = deps.config.notifyTopicArn;
  if (deps.config.dryRun || !topic) {
    deps.logger.info(topic ? 'dry run: would publish alert' : 'no NOTIFY_TOPIC_ARN: alert logged only', {
      notification,
    });
    return 'logged';
  }
  const published = await tellOnce(async () => {
    await publishNotification(deps.sns, topic, notification, deps.signal);
  }, ledgerCall(deps));
  if (!published) {
    deps.logger.info(`alert already sent for this ${about}`, ids);
    return 'already-sent';
  }
  count(deps.metrics, 'AlertsPublished');
  deps.logger.info('alert published', { ...ids, subject: notification.subject });
  return 'published';
}
