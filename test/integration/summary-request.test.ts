/**
 * A direct summary request (`{ since, until }` or `{ windowHours }`) that is not one, over real HTTP
 * with the real bundle: it fails naming the field and the value, bounded, before any AWS call.
 */
import { describe, expect, it } from 'vitest';
import { sandboxPerFile } from './support.js';

const SUMMARY = 'PostSummaryFunction';
const sandbox = sandboxPerFile();

/** Invokes the summary directly and returns the outcome with every AWS call made while it ran. */
const invokeAlone = async (event: unknown) => {
  const before = sandbox().calls.list().length;
  const record = await sandbox().invoke(SUMMARY, event);
  return { outcome: record.outcome, calls: sandbox().calls.list().slice(before) };
};

describe('a summary request with a key that is not an option', () => {
  it('names the key bounded, never echoing a megabyte of it into the error and the log', async () => {
    const key = `windowHourz${'x'.repeat(1_000_000)}`;
    const { outcome, calls } = await invokeAlone({ [key]: 6 });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error.errorType).toBe('ValidationError');
    expect(outcome.error.errorMessage).toMatch(/^"windowHourzx+… \(1000013 characters\) is not a summary option/);
    expect(outcome.error.errorMessage.length).toBeLessThan(400);
    expect(outcome.logs.every((line) => line.length < 10_000)).toBe(true);
    expect(calls).toEqual([]);
  });
});

describe('a summary request whose since or until is not a day of the calendar', () => {
  it.each([
    { field: 'since', event: { since: '2026-11-31T00:00:00Z' }, value: '2026-11-31T00:00:00Z' },
    {
      field: 'until',
      event: { since: '2026-11-28T00:00:00Z', until: '2026-11-31T00:00:00Z' },
      value: '2026-11-31T00:00:00Z',
    },
  ])('$field $value is refused, not rolled over to the next month', async ({ field, event, value }) => {
    const { outcome, calls } = await invokeAlone(event);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error.errorType).toBe('ValidationError');
    expect(outcome.error.errorMessage).toBe(
      `${field} must be an ISO 8601 time with a zone, e.g. 2026-05-04T08:00:00Z (got "${value}")`,
    );
    expect(calls).toEqual([]);
  });
});
