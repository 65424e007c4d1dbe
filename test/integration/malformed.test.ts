import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../sandbox/paths.js';
import { COPY, RETRY, sandboxPerFile } from './support.js';

const sandbox = sandboxPerFile();

/** AWS's published sample event (events/), as a fresh object. */
const sample = (file: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(repoRoot, 'events', file), 'utf8')) as Record<string, unknown>;

const without = (event: Record<string, unknown>, member: string): Record<string, unknown> => {
  const { [member]: _dropped, ...detail } = event.detail as Record<string, unknown>;
  return { ...event, detail };
};

/**
 * Invokes directly and returns the outcome with every AWS call made while it ran. Nothing else runs
 * in this file's sandbox() (its clock never moves), so every call in that window is the invocation's.
 */
const invokeAlone = async (fn: string, event: unknown) => {
  const before = sandbox().calls.list().length;
  const record = await sandbox().invoke(fn, event);
  return { outcome: record.outcome, calls: sandbox().calls.list().slice(before) };
};

describe('a malformed event, invoked directly, fails naming the field and makes no AWS call', () => {
  const cases: [string, string, unknown, string][] = [
    [
      RETRY,
      'a FAILED backup event without detail.backupJobId',
      without(sample('backup-job.failed.json'), 'backupJobId'),
      'detail.backupJobId',
    ],
    [
      RETRY,
      'a FAILED copy event without detail.copyJobId',
      without(sample('copy-job.failed.json'), 'copyJobId'),
      'detail.copyJobId',
    ],
    [RETRY, 'garbage', 'not an event', '(event)'],
    [RETRY, 'an attempt payload with attempt 0', { ...sample('retry-failed-job.attempt.json'), attempt: 0 }, 'attempt'],
    [RETRY, 'an unknown action', { source: 'backup-autopilot', action: 'retry-everything' }, 'action'],
    [
      COPY,
      'a COMPLETED backup event without detail.backupJobId',
      without(sample('backup-job.completed.json'), 'backupJobId'),
      'detail.backupJobId',
    ],
    [COPY, 'an event from another source', { ...sample('backup-job.completed.json'), source: 'aws.ec2' }, 'source'],
  ];

  it.each(cases)('%s: %s', async (fn, _what, event, field) => {
    const { outcome, calls } = await invokeAlone(fn, event);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.kind).toBe('error');
    expect(outcome.error.errorType).toBe('EventParseError');
    expect(outcome.error.errorMessage).toContain(`event ${field} `);
    expect(calls.filter((c) => c.container === outcome.container)).toEqual([]);
    expect(calls).toEqual([]);
  });

  it('the same invocation with the field present does call AWS (the check above can fail)', async () => {
    const { outcome, calls } = await invokeAlone(RETRY, sample('backup-job.failed.json'));
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.every((c) => c.container === outcome.container)).toBe(true);
  });
});
