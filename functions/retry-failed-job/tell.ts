import type { Diagnosis } from '../../shared/diagnosis/index.js';
import { ledgerCall } from '../../shared/ledger/exactly-once.js';
import { count } from '../../shared/metrics.js';
import { publishNotification } from '../../shared/notify.js';
import { type AlertWhat, alertFor } from './alert-text.js';
import type { RetryDeps } from './deps.js';
import type { FailedJob } from './facts.js';
import type { RetryRecord } from './ledger.js';
import { isMuted } from './mute-rules.js';

/** Publishes the one alert of a logical backup, unless muted or already sent. */
export const alertOnce = async (
  deps: RetryDeps,
  job: FailedJob,
  diagnosis: Diagnosis,
  key: string,
  what: AlertWhat,
  record: RetryRecord | undefined,
): Promise<boolean> => {
  const muted = isMuted(deps.config.mute, job, diagnosis);
  if (muted) {
    count(deps.metrics, 'AlertsMuted');
    deps.logger.info('alert muted', { jobId: job.jobId, category: diagnosis.category, rule: muted });
    return false;
  }
  const notification = alertFor(job, diagnosis, what, record?.attempts ?? 0);
  const topic = deps.config.notifyTopicArn;
  if (deps.config.dryRun || !topic) {
    deps.logger.info(topic ? 'dry run: would publish alert' : 'no NOTIFY_TOPIC_ARN: alert logged only', {
      notification,
    });
    return false;
  }
  const published = await deps.ledger.tellOnce(
    key,
    async () => {
      await publishNotification(deps.sns, topic, notification, deps.signal);
    },
    ledgerCall(deps),
  );
  if (!published) {
    deps.logger.info('alert already sent for this backup', { logicalKey: key });
    return false;
  }
  count(deps.metrics, 'AlertsPublished');
  deps.logger.info('alert published', { logicalKey: key, jobId: job.jobId, subject: notification.subject });
  return true;
};
