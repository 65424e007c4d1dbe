/**
 * A bad day's summary against Slack's limits, over the sandbox: the Slack stand-in answers 400 with
 * Slack's error to a payload Slack would not post (sandbox/services/slack-limits.ts), so a summary
 * too long for Slack shows as a lost channel, as it would be in Slack.
 */
import { describe, expect, it } from 'vitest';
import { slackRefusal } from '../../sandbox/services/slack-limits.js';
import { DIAGNOSIS_TABLE } from '../../shared/diagnosis/index.js';
import { HOUR, sandboxPerFile, seedCompletedBackup, seedFailedBackup } from './support.js';

const SUMMARY = 'PostSummaryFunction';
const SECRET = 'backup-autopilot/slack-webhook';
const PATH = '/slack/T0000/B0000/long-day';

const sandbox = sandboxPerFile(
  { parameterOverrides: { PostSummaryChannels: 'sns,slack', PostSummarySlackWebhookSecret: SECRET } },
  (s) => s.secrets.putSecret(SECRET, s.webhooks.url(PATH)),
);

/** The request ids and ARNs AWS appends to many of its messages: long, as real ones are. */
const DETAIL = Array.from(
  { length: 8 },
  (_, i) =>
    `(Service: Backup, Status Code: 400, Request ID: 5f1c${i}a2e-8b7d-4c3a-9e6f-0d1b2c3d4e5f, resource arn:aws:ec2:us-east-1:111122223333:volume/vol-0a1b2c3d4e5f6a7b${i})`,
).join(' ');
/**
 * A published message of each of the ten non-retryable causes of a backup job with the longest
 * cause and remedy (the diagnosis table's own examples): a bad day whose every failure reason is a
 * block of its own, as long as the table writes them.
 */
const MESSAGES = [
  ...new Map(
    DIAGNOSIS_TABLE.filter((row) => !row.retryable && (row.kinds ?? ['backup']).includes('backup'))
      .sort((a, b) => b.cause.length + b.remedy.length - (a.cause.length + a.remedy.length))
      .map((row) => [row.category, `${row.examples[0] as string} ${DETAIL}`]),
  ).values(),
].slice(0, 10);

describe('a summary with many long failures, posted to Slack', () => {
  it('is posted: the blocks keep within what Slack takes, and the lists count what they leave out', async () => {
    expect(MESSAGES).toHaveLength(10);
    // Yesterday's backups of twelve volumes that have no job today: backups that silently never ran.
    for (let i = 0; i < 12; i += 1)
      seedCompletedBackup(sandbox(), `slack-quiet-${String(i).padStart(4, '0')}`, 'daily');
    await sandbox().runUntil(sandbox().clock.ms() + 25 * HOUR);
    for (const [i, message] of [...MESSAGES, ...MESSAGES, ...MESSAGES].entries()) {
      seedFailedBackup(sandbox(), `slack-long-${String(i).padStart(4, '0')}`, { message, retries: 'FAILED' });
    }
    await sandbox().runUntil(sandbox().clock.ms() + 2 * HOUR);
    const before = sandbox().webhooks.received().length;
    const { outcome } = await sandbox().invoke(SUMMARY, {});
    expect(outcome.ok).toBe(true);
    const posted = sandbox()
      .webhooks.received()
      .slice(before)
      .filter((r) => r.path === PATH);
    expect(posted.map((r) => r.status)).toEqual([200]);
    expect(slackRefusal(posted[0]?.body)).toBeUndefined();
    // The lists shrank to fit: what they leave out is counted, and the silent misses are there.
    const text = JSON.stringify(posted[0]?.body);
    expect(text).toMatch(/and \d+ more/);
    expect(text).toContain('slack-quiet-');
  }, 120_000);
});
