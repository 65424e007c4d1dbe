import type { Diagnosis } from '../../shared/diagnosis/index.js';
import { ledgerCall } from '../../shared/ledger/exactly-once.js';
import { publishNotification } from '../../shared/notify.js';
import { copyRefusedAlert } from './alert-text.js';
import { COPY_ALERT_FLAG } from './claims.js';
import type { PlannedCopy } from './decide.js';
import type { StartCopyDeps } from './deps.js';

/**
 * Publishes the one alert of a refused start (take-once: a redelivery never repeats it; a failed
 * publish gives the flag back so the retry sends it). False when another delivery sent it.
 */
export function alertOnce(deps: StartCopyDeps, pk: string, copy: PlannedCopy, diagnosis: Diagnosis): Promise<boolean> {
  const topic = deps.config.notifyTopicArn;
  // Without a topic nothing is told, and the flag stays free: a topic set later still gets the
  // alert from the next delivery (as the retry function does).
  if (topic === undefined) {
    deps.logger.error('copy failed to start; NOTIFY_TOPIC_ARN unset, no alert sent', { pk, diagnosis });
    return Promise.resolve(false);
  }
  return deps.ledger.tellOnce(
    pk,
    COPY_ALERT_FLAG,
    () => publishNotification(deps.sns, topic, copyRefusedAlert(copy, diagnosis), deps.signal).then(() => undefined),
    ledgerCall(deps),
  );
}
