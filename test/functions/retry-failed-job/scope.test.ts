import { describe, expect, it } from 'vitest';
import { accountExcluded, inScope } from '../../../functions/retry-failed-job/scope.js';

describe('inScope', () => {
  it('allows everything with an empty allow list, and the deny list wins over the allow list', () => {
    expect(inScope({ include: [], exclude: [] }, '444455556666')).toBe(true);
    expect(inScope({ include: [], exclude: ['444455556666'] }, '444455556666')).toBe(false);
    expect(inScope({ include: ['444455556666'], exclude: ['444455556666'] }, '444455556666')).toBe(false);
    expect(inScope({ include: ['444455556666'], exclude: [] }, '777788889999')).toBe(false);
  });

  it('matches globs only when told to, and treats a missing value as empty', () => {
    expect(inScope({ include: ['prod-*'], exclude: [] }, 'prod-daily', true)).toBe(true);
    expect(inScope({ include: ['prod-*'], exclude: [] }, 'prod-daily')).toBe(false);
    expect(inScope({ include: [], exclude: ['*-tmp'] }, 'scratch-tmp', true)).toBe(false);
    expect(inScope({ include: ['prod-*'], exclude: [] }, undefined, true)).toBe(false);
    expect(inScope({ include: [], exclude: ['x'] }, undefined)).toBe(true);
  });
});

describe('accountExcluded', () => {
  const logged: unknown[] = [];
  const logger = { debug: () => {}, info: (...a: unknown[]) => logged.push(a), warn: () => {}, error: () => {} };
  const deps = { config: { accounts: { include: [], exclude: ['444455556666'] } }, logger };

  it('is true for an excluded account, and says so in the log', () => {
    expect(accountExcluded(deps, 'job-1', '444455556666')).toBe(true);
    expect(logged).toEqual([
      ['account outside RETRY_INCLUDE/EXCLUDE_ACCOUNTS: not alerted', { jobId: 'job-1', account: '444455556666' }],
    ]);
  });

  it('is false for an account in scope, with nothing logged', () => {
    logged.length = 0;
    expect(accountExcluded(deps, 'job-2', '111122223333')).toBe(false);
    expect(logged).toEqual([]);
  });
});
