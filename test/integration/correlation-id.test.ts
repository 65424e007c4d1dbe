/**
 * The `id` of an input becomes the log correlation id of every line the invocation writes (the base
 * stack, shared/middleware.ts). Anyone allowed to invoke a function chooses it: a megabyte of it
 * must not be copied into each log line. Over real HTTP with the real bundles.
 */
import { describe, expect, it } from 'vitest';
import { COPY, RETRY, sandboxPerFile } from './support.js';

const sandbox = sandboxPerFile();

const HUGE_ID = `sweep-${'x'.repeat(1_000_000)}`;

describe('a direct invocation whose id is a megabyte long', () => {
  it.each([
    { fn: RETRY, event: { source: 'backup-autopilot', action: 'sweep', id: HUGE_ID } },
    { fn: COPY, event: { source: 'backup-autopilot', action: 'copy-sweep', id: HUGE_ID } },
  ])('$fn runs, and no log line carries the id', async ({ fn, event }) => {
    const { outcome } = await sandbox().invoke(fn, event);
    expect(outcome.ok).toBe(true);
    expect(outcome.logs.length).toBeGreaterThan(0);
    expect(outcome.logs.filter((line) => line.length > 10_000).map((line) => line.length)).toEqual([]);
  });

  it('an EventBridge-sized id is still the correlation id', async () => {
    const { outcome } = await sandbox().invoke(RETRY, {
      source: 'backup-autopilot',
      action: 'sweep',
      id: '6b1a8e4c-2f0d-4c9e-9f5e-1d2c3b4a5f60',
    });
    expect(outcome.logs.some((line) => line.includes('"correlation_id":"6b1a8e4c-2f0d-4c9e-9f5e-1d2c3b4a5f60"'))).toBe(
      true,
    );
  });
});
