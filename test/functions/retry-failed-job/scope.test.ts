import { describe, expect, it } from 'vitest';
import { inScope } from '../../../functions/retry-failed-job/scope.js';

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
