import { describe, expect, it } from 'vitest';
import { isCompletedWithIssues } from '../../../shared/backup/index.js';

describe('completed with issues (COMPLETED and MessageCategory not SUCCESS)', () => {
  it.each([
    [{ State: 'COMPLETED', MessageCategory: 'SUCCESS' }, false],
    [{ State: 'COMPLETED', MessageCategory: 'ACCESS_DENIED' }, true],
    [{ State: 'COMPLETED', MessageCategory: 'INVALID_PARAMETERS' }, true],
    [{ State: 'COMPLETED' }, false],
    [{ State: 'FAILED', MessageCategory: 'ACCESS_DENIED' }, false],
    [{ State: 'PARTIAL', MessageCategory: 'SUCCESS' }, false],
  ])('%j -> %s', (job, expected) => {
    expect(isCompletedWithIssues(job)).toBe(expected);
  });
});
