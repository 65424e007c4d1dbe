import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RetryDeps } from '../../../functions/retry-failed-job/deps.js';
import { logicalKeyOf, type RetryRecord } from '../../../functions/retry-failed-job/ledger.js';
import { alertOnce } from '../../../functions/retry-failed-job/tell.js';
import { metricsInto, recordingLogger } from '../../support/base-deps.js';
import { type LedgerTable, startLedgerTable } from '../../support/ledger-table.js';
import { aFailedJob, aRetryDeps, ENV, someFacts } from './builders.js';

const sns = mockClient(SNSClient);
let table: LedgerTable;
beforeAll(async () => {
  table = await startLedgerTable('retry-tell');
});
afterAll(async () => table.stop());
beforeEach(() => {
  sns.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
});

let n = 0;
/** A failed job whose record is open (alerts are told once per record), and deps recording metrics. */
const opened = async (env: Record<string, string> = {}) => {
  n += 1;
  const { job, diagnosis } = someFacts({ job: aFailedJob({ jobId: `job-${n}` }) });
  const key = logicalKeyOf(job);
  const metrics: string[] = [];
  const logged: unknown[] = [];
  const deps: RetryDeps = aRetryDeps(table, { env, metrics: metricsInto(metrics), logger: recordingLogger(logged) });
  await deps.ledger.open(key, job, diagnosis.category, { now: deps.now() });
  return { deps, job, diagnosis, key, metrics, logged };
};

describe('alertOnce', () => {
  it('publishes the alert to the topic once, however often it is asked', async () => {
    const { deps, job, diagnosis, key, metrics } = await opened();
    const record = { attempts: 3 } as RetryRecord;
    await expect(alertOnce(deps, job, diagnosis, key, 'retries exhausted', record)).resolves.toBe('published');
    await expect(alertOnce(deps, job, diagnosis, key, 'retries exhausted', record)).resolves.toBe('already-sent');
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    const message = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(message?.TopicArn).toBe(ENV.NOTIFY_TOPIC_ARN);
    // SNS subjects stop at 99 characters (shared/notify.ts): the category is in the attributes.
    expect(message?.Subject).toMatch(
      /^\[backup-autopilot\] 111122223333 vol-0b5ae24f2ee72d926: backup EXPIRED, retries/,
    );
    expect(message?.MessageAttributes?.category).toEqual({ DataType: 'String', StringValue: 'job-already-running' });
    expect(message?.Message).toContain('Retries made by backup-autopilot: 3');
    expect(message?.MessageAttributes?.kind).toEqual({ DataType: 'String', StringValue: 'alert' });
    expect(metrics).toEqual(['AlertsPublished']);
  });

  it('a muted alert is counted and logged with its rule, not published, and stays owed', async () => {
    const rule = { categories: ['job-already-running'], vault: 'prod-*' };
    const { deps, job, diagnosis, key, metrics, logged } = await opened({ ALERT_MUTE: JSON.stringify([rule]) });
    await expect(alertOnce(deps, job, diagnosis, key, 'not retried', undefined)).resolves.toBe('muted');
    expect(sns).not.toHaveReceivedCommand(PublishCommand);
    expect(metrics).toEqual(['AlertsMuted']);
    expect(logged).toContainEqual(['alert muted', expect.objectContaining({ rule })]);
    expect((await deps.ledger.record(key))?.alerted).toBe(false);
  });

  it('a dry run logs the alert it would publish and takes no flag', async () => {
    const { deps, job, diagnosis, key, logged } = await opened({ DRY_RUN: 'true' });
    await expect(alertOnce(deps, job, diagnosis, key, 'not retried', undefined)).resolves.toBe('logged');
    expect(sns).not.toHaveReceivedCommand(PublishCommand);
    expect(logged).toContainEqual(['dry run: would publish alert', expect.objectContaining({})]);
    expect((await deps.ledger.record(key))?.alerted).toBe(false);
  });

  it('without a topic, logs the alert only', async () => {
    const { deps, job, diagnosis, key, logged } = await opened();
    const noTopic: RetryDeps = { ...deps, config: { ...deps.config, notifyTopicArn: undefined } };
    await expect(alertOnce(noTopic, job, diagnosis, key, 'not retried', undefined)).resolves.toBe('logged');
    expect(sns).not.toHaveReceivedCommand(PublishCommand);
    expect(logged).toContainEqual(['no NOTIFY_TOPIC_ARN: alert logged only', expect.anything()]);
  });

  it('a failed publish is raised and the next delivery publishes', async () => {
    const { deps, job, diagnosis, key } = await opened();
    sns
      .on(PublishCommand)
      .rejectsOnce(Object.assign(new Error('KMS throttled'), { name: 'KMSThrottlingException' }))
      .resolves({ MessageId: 'm-2' });
    await expect(alertOnce(deps, job, diagnosis, key, 'not retried', undefined)).rejects.toThrow('KMS throttled');
    await expect(alertOnce(deps, job, diagnosis, key, 'not retried', undefined)).resolves.toBe('published');
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 2);
  });
});
