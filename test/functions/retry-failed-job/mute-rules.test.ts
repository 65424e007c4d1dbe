import { describe, expect, it } from 'vitest';
import { isMuted, type MuteRule } from '../../../functions/retry-failed-job/mute-rules.js';
import { aFailedJob, someFacts } from './builders.js';

// The default job: account 111122223333, vault prod-daily, an EBS volume, diagnosed job-already-running.
const { job, diagnosis } = someFacts();

describe('isMuted', () => {
  it.each<{ case: string; rule: MuteRule; muted: boolean }>([
    { case: 'a matching category', rule: { categories: ['vault-not-found', 'job-already-running'] }, muted: true },
    { case: 'another category', rule: { categories: ['vault-not-found'] }, muted: false },
    { case: 'a vault glob', rule: { vault: 'prod-*' }, muted: true },
    { case: 'a vault glob of another vault', rule: { vault: 'test-*' }, muted: false },
    { case: 'a resource ARN glob across ":" and "/"', rule: { resourceArn: 'arn:aws:ec2:*volume/*' }, muted: true },
    { case: 'a resource ARN glob of another type', rule: { resourceArn: 'arn:aws:rds:*' }, muted: false },
    { case: 'the account', rule: { accounts: ['444455556666', '111122223333'] }, muted: true },
    { case: 'other accounts', rule: { accounts: ['444455556666'] }, muted: false },
    {
      case: 'every field matching',
      rule: { categories: ['job-already-running'], vault: 'prod-*', accounts: ['111122223333'] },
      muted: true,
    },
    {
      case: 'one field of several not matching',
      rule: { categories: ['job-already-running'], vault: 'prod-*', accounts: ['444455556666'] },
      muted: false,
    },
  ])('$case: muted $muted', ({ rule, muted }) => {
    expect(isMuted([rule], job, diagnosis)).toBe(muted ? rule : undefined);
  });

  it('returns the first rule that matches, so the log names it', () => {
    const rules: MuteRule[] = [{ vault: 'test-*' }, { vault: 'prod-*' }, { categories: ['job-already-running'] }];
    expect(isMuted(rules, job, diagnosis)).toBe(rules[1]);
  });

  it('mutes nothing without rules', () => {
    expect(isMuted([], job, diagnosis)).toBeUndefined();
  });

  it('matches the vault name whole, not a part of it', () => {
    const other = aFailedJob({ vaultName: 'preprod-daily' });
    expect(isMuted([{ vault: 'prod-*' }], other, diagnosis)).toBeUndefined();
  });
});
