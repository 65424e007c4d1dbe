import { describe, expect, it } from 'vitest';
import { diagnoseJob } from '../../../shared/diagnosis/index.js';

// A restore job is diagnosed with the rows that name no kind: a copy-only row (a cause only a copy
// can have) must not explain a restore.
describe('diagnosing a restore job', () => {
  it('does not take a copy-only row', () => {
    const message =
      'AMI snapshot copy failed with error: Given key ID is not accessible. You must have DescribeKey permissions on the default CMK';
    expect(diagnoseJob({ kind: 'copy', state: 'FAILED', statusMessage: message }).category).toBe(
      'default-key-cross-account',
    );
    expect(diagnoseJob({ kind: 'restore', state: 'FAILED', statusMessage: message }).category).not.toBe(
      'default-key-cross-account',
    );
  });

  it('takes the rows every kind shares, with their cause and remedy', () => {
    const diagnosis = diagnoseJob({
      kind: 'restore',
      state: 'FAILED',
      statusMessage: 'Insufficient privileges to perform this action.',
    });
    expect(diagnosis).toMatchObject({ category: 'access-denied', retryable: false });
    expect(diagnosis.remedy).not.toBe('');
  });
});
