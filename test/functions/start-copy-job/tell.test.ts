import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { claimCopy, copyKey } from '../../../functions/start-copy-job/claims.js';
import type { StartCopyDeps } from '../../../functions/start-copy-job/deps.js';
import { alertOnce } from '../../../functions/start-copy-job/tell.js';
import { BackupApiError } from '../../../shared/backup/index.js';
import { diagnoseApiError } from '../../../shared/diagnosis/index.js';
import { recordingLogger } from '../../support/base-deps.js';
import { type LedgerTable, startLedgerTable } from '../../support/ledger-table.js';
import { aCopyDeps, aPlannedCopy, copyLedger, RP, TOPIC } from './builders.js';

const sns = mockClient(SNSClient);
let table: LedgerTable;
beforeAll(async () => {
  table = await startLedgerTable('copy-tell');
});
afterAll(async () => table.stop());
beforeEach(() => {
  sns.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
});

const refused = diagnoseApiError(
  new BackupApiError('StartCopyJob', 'AccessDeniedException', false, 403, new Error('not authorized')),
);

let n = 0;
/** A claimed copy (alerts are told once per ledger item) and deps over the table. */
const claimed = async (overrides: Partial<StartCopyDeps> = {}) => {
  n += 1;
  const copy = aPlannedCopy({}, { RecoveryPointArn: `${RP}-${n}` });
  const deps = aCopyDeps({ ledger: copyLedger(table), ...overrides });
  await claimCopy(deps.ledger, copy, { now: deps.now() });
  return { deps, copy, pk: copyKey(copy.input.IdempotencyToken) };
};

describe('alertOnce', () => {
  it('publishes the refusal to the topic once, however often it is asked', async () => {
    const { deps, copy, pk } = await claimed();
    await expect(alertOnce(deps, pk, copy, refused)).resolves.toBe(true);
    await expect(alertOnce(deps, pk, copy, refused)).resolves.toBe(false);
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    expect(sns).toHaveReceivedCommandWith(PublishCommand, {
      TopicArn: TOPIC,
      Subject: 'Backup copy not started: prod-ebs -> local-dr (access-denied)',
    });
    expect(await deps.ledger.get(pk)).toMatchObject({ alertedAt: deps.now().toISOString() });
  });

  it('a failed publish is raised and gives the flag back, so the retry alerts', async () => {
    const { deps, copy, pk } = await claimed();
    sns
      .on(PublishCommand)
      .rejectsOnce(Object.assign(new Error('KMS throttled'), { name: 'KMSThrottlingException' }))
      .resolves({ MessageId: 'm-2' });
    await expect(alertOnce(deps, pk, copy, refused)).rejects.toThrow('KMS throttled');
    expect((await deps.ledger.get(pk))?.alertedAt).toBeUndefined();
    await expect(alertOnce(deps, pk, copy, refused)).resolves.toBe(true);
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 2);
  });

  it('without a topic, logs the refusal as an error and publishes nothing', async () => {
    const logged: unknown[] = [];
    const { deps, copy, pk } = await claimed({ logger: recordingLogger(logged) });
    const noTopic = { ...deps, config: { ...deps.config, notifyTopicArn: undefined } };
    await expect(alertOnce(noTopic, pk, copy, refused)).resolves.toBe(false);
    expect(sns).not.toHaveReceivedCommand(PublishCommand);
    expect(logged).toEqual([
      ['copy failed to start; NOTIFY_TOPIC_ARN unset, no alert sent', { pk, diagnosis: refused }],
    ]);
    // The flag stays free: once a topic is set, the next delivery tells.
    expect((await deps.ledger.get(pk))?.alertedAt).toBeUndefined();
    await expect(alertOnce(deps, pk, copy, refused)).resolves.toBe(true);
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
  });
});
