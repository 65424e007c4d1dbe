import type { SNSClient } from '@aws-sdk/client-sns';
import type { LogSink } from '../logger.js';
import { publishNotification } from '../notify.js';
import { setAsideAlert } from './alert-text.js';
import type { SetAsideJob } from './state.js';

/**
 * How a sweep tells a person that it set a job aside: the alert on the notification topic, or,
 * without a topic, an error log line (the set-aside entry then stays untold, and a topic set later
 * gets it from the next sweep).
 */
export function setAsideTeller(
  sweep: 'retry' | 'copy',
  deps: { readonly sns: SNSClient; readonly logger: LogSink; readonly signal?: AbortSignal; readonly region: string },
  topicArn: string | undefined,
) {
  return async (key: string, job: SetAsideJob): Promise<void> => {
    const alert = setAsideAlert(sweep, key, job, deps.region);
    if (topicArn === undefined) {
      deps.logger.error('job set aside; NOTIFY_TOPIC_ARN unset, no alert sent', { alert });
      // Raised so the take-once gives the flag back: the alert is still owed.
      throw new Error('NOTIFY_TOPIC_ARN unset');
    }
    await publishNotification(deps.sns, topicArn, alert, deps.signal);
  };
}
