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
    const { outcome, calls } = await invokeAlone(RETRY, own('backup-job.failed.json'));
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.every((c) => c.container === outcome.container)).toBe(true);
  });
});

/** A sample carried by the sandbox's own account and Region (what its rules and AWS Backup would deliver). */
/**
 * A published sample as the sandbox's own account would send it: AWS printed its samples for account
 * 1112233445566, and only an event of the function's account (and of vaults in it) acts.
 */
const own = (file: string): Record<string, unknown> =>
  JSON.parse(JSON.stringify(sample(file)).replaceAll('1112233445566', sandbox().account)) as Record<string, unknown>;

const local = (file: string, change: (event: Record<string, unknown>, detail: Record<string, unknown>) => void) => {
  const event: Record<string, unknown> = { ...own(file), account: sandbox().account, region: sandbox().region };
  const detail = { ...(event.detail as Record<string, unknown>), note: BODY_MARKER };
  change(event, detail);
  return { ...event, detail };
};

/** A value only the event body holds: if any log line or error quoted the body, it would show. */
const BODY_MARKER = 'body-marker-7d3e1f';

/**
 * Puts `event` on the sandbox's bus, as AWS Backup would, and waits for what it set off. Nothing
 * else runs in this file's sandbox and its clock never moves (no async retry comes due), so every
 * invocation and every AWS call after `before` is this event's.
 */
const deliver = async (event: Record<string, unknown>) => {
  const before = { calls: sandbox().calls.list().length, invocations: sandbox().invocations.length };
  const record = sandbox().putEvent(event);
  await sandbox().settle();
  return {
    matched: record.matched,
    invocations: sandbox().invocations.slice(before.invocations),
    calls: sandbox().calls.list().slice(before.calls),
  };
};

describe('a malformed event delivered by the bus fails naming the field, before any AWS call, without logging the body', () => {
  const cases: [string, string, () => Record<string, unknown>, string][] = [
    [
      RETRY,
      'a FAILED backup event without detail.backupJobId',
      () => local('backup-job.failed.json', (_e, d) => delete d.backupJobId),
      'event detail.backupJobId is required',
    ],
    [
      RETRY,
      'a FAILED backup event whose job id holds a lone surrogate',
      () => local('backup-job.failed.json', (_e, d) => (d.backupJobId = 'job-\uD800')),
      'event detail.backupJobId must be well-formed Unicode (no lone surrogate) (got "job-\\ud800")',
    ],
    [
      RETRY,
      'a FAILED copy event whose job id holds a lone surrogate',
      () => local('copy-job.failed.json', (_e, d) => (d.copyJobId = '\uDC00copy')),
      'event detail.copyJobId must be well-formed Unicode (no lone surrogate) (got "\\udc00copy")',
    ],
    [
      COPY,
      'a COMPLETED backup event without detail.backupJobId',
      () => local('backup-job.completed.json', (_e, d) => delete d.backupJobId),
      'event detail.backupJobId is required',
    ],
    [
      COPY,
      'a COMPLETED backup event whose vault name holds a lone surrogate',
      () => local('backup-job.completed.json', (_e, d) => (d.backupVaultName = 'vault-\uD83D')),
      'event detail.backupVaultName must be well-formed Unicode (no lone surrogate) (got "vault-\\ud83d")',
    ],
  ];

  it.each(cases)('%s: %s', async (fn, _what, build, message) => {
    const event = build();
    const { matched, invocations, calls } = await deliver(event);
    // The template's rule takes it (the pattern looks at source, detail-type and state only)...
    expect(matched.some((rule) => rule.startsWith(`${fn}.`))).toBe(true);
    const mine = invocations.filter((i) => i.function === fn);
    expect(mine).toHaveLength(1);
    const outcome = mine[0]?.outcome;
    expect(outcome?.ok).toBe(false);
    if (!outcome || outcome.ok) return;
    // ...and the function refuses it, in our words, naming the field.
    expect(outcome.error.errorType).toBe('EventParseError');
    expect(outcome.error.errorMessage).toBe(message);
    // No AWS call at all: no ledger claim, no Describe, nothing half done.
    expect(calls).toEqual([]);
    // The body is in the event and nowhere in what the function wrote or answered.
    expect(JSON.stringify(mine[0]?.event)).toContain(BODY_MARKER);
    for (const invocation of invocations) {
      expect(invocation.outcome.logs.filter((line) => line.includes(BODY_MARKER))).toEqual([]);
      expect(JSON.stringify(invocation.outcome)).not.toContain(BODY_MARKER);
    }
  });

  it('an event without detail-type matches no rule (EventBridge patterns need the key), so nothing runs', async () => {
    const event = local('backup-job.failed.json', (e) => delete e['detail-type']);
    const { matched, invocations, calls } = await deliver(event);
    expect(matched).toEqual([]);
    expect(invocations).toEqual([]);
    expect(calls).toEqual([]);
  });

  it.each([RETRY, COPY])('%s: the same event without detail-type, invoked directly, names detail-type', async (fn) => {
    const event = local('backup-job.failed.json', (e) => delete e['detail-type']);
    const { outcome, calls } = await invokeAlone(fn, event);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error.errorMessage).toBe('event detail-type is required');
    expect(calls).toEqual([]);
    expect(outcome.logs.filter((line) => line.includes(BODY_MARKER))).toEqual([]);
  });

  it('a well-formed job id outside the BMP is not refused: the retry function goes on to call AWS', async () => {
    const { invocations, calls } = await deliver(
      local('backup-job.failed.json', (_e, d) => (d.backupJobId = 'job-😀')),
    );
    expect(invocations.map((i) => i.function)).toEqual([RETRY]);
    expect(calls.length).toBeGreaterThan(0);
  });
});
