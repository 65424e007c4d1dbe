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
