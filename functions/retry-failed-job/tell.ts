import type { Diagnosis } from '../../shared/diagnosis/index.js';
import { count } from '../../shared/metrics.js';
import { type AlertWhat, alertFor } from './alert-text.js';
import type { RetryDeps } from './deps.js';
import type { FailedJob } from './facts.js';
import type { RetryRecord } from './ledger.js';
import { isMuted } from './mute-rules.js';
import { type PublishResult, publishOnce } from './publish-once.js';

/**
 * Publishes the one alert of a logical backup, unless muted or already sent. Says which: a
 * redelivery that finds the alert `already-sent` still has an alerted record (act.ts).
 */
export async function alertOnce(
  deps: RetryDeps,
  job: FailedJob,
  diagnosis: Diagnosis,
  key: string,
  what: AlertWhat,
  record: RetryRecord | undefined,
): Promise<PublishResult | 'muted'> {
  const muted = isMuted(deps.config.mute, job, diagnosis);
  if (muted) {
    count(deps.metrics, 'AlertsMuted');
    deps.logger.info('alert muted', { jobId: job.jobId, category: diagnosis.category, rule: muted });
    return 'muted';
  }
  return publishOnce(
    deps,
    alertFor(job, diagnosis, what, record?.attempts ?? 0),
    (publish, call) => deps.ledger.tellOnce(key, publish, call),
    'backup',
    { logicalKey: key, jobId: job.jobId },
  );
}
