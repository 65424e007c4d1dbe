import { describe, expect, it } from 'vitest';
import { passableRoles as passable, parameterProblems as problemsFor } from './support/parameters.js';

const ARN = 'arn:aws:iam::111122223333:role/';

describe('the copy roles the template lets the functions pass', () => {
  it.each([
    ['the defaults', {}],
    ['a default copy role', { StartCopyJobDefaultCopyRoleArn: `${ARN}backup/copier` }],
    [
      'a default copy role and other copy roles',
      {
        StartCopyJobDefaultCopyRoleArn: `${ARN}backup/copier`,
        StartCopyJobCopyRoleArns: `${ARN}dr-copy,${ARN}team/archive-copy`,
      },
    ],
  ])(
    'lets the retry function pass every role the copy function may, so a failed copy can be retried (%s)',
    (_, overrides) => {
      const copy = passable('StartCopyJobFunction', overrides);
      expect(copy.length).toBeGreaterThan(1);
      expect(passable('RetryFailedJobFunction', overrides)).toEqual(copy);
    },
  );

  it('includes the configured copy roles themselves, not only BackupRolePattern', () => {
    const roles = passable('RetryFailedJobFunction', {
      StartCopyJobDefaultCopyRoleArn: `${ARN}backup/copier`,
      StartCopyJobCopyRoleArns: `${ARN}dr-copy`,
    });
    expect(roles).toEqual(
      [`${ARN}service-role/AWSBackupDefaultServiceRole`, `${ARN}backup/copier`, `${ARN}dr-copy`].sort(),
    );
  });

  it.each([
    `${ARN}backup-copy`,
    `${ARN}service-role/AWSBackupDefaultServiceRole`,
    `${ARN}a/b/c/role+=.@_-name`,
    'arn:aws-us-gov:iam::111122223333:role/copier',
    `${ARN}${'r'.repeat(64)}`,
  ])('accepts the role ARN %s in both parameters', (arn) => {
    expect(problemsFor({ StartCopyJobDefaultCopyRoleArn: arn })).toEqual([]);
    expect(problemsFor({ StartCopyJobCopyRoleArns: `${ARN}other,${arn}` })).toEqual([]);
  });

  it.each([
    ['*', 'a bare wildcard'],
    [`${ARN}*`, 'every role of the account'],
    [`${ARN}backup*`, 'a trailing wildcard'],
    [`${ARN}back?up`, 'a question mark'],
    [`${ARN}service-role/*`, 'every service role'],
    [`${ARN}`, 'no role name'],
    [`${ARN}team//copier`, 'an empty path segment'],
    [`${ARN}${'r'.repeat(65)}`, 'a name longer than IAM allows'],
    ['arn:aws:iam::*:role/copier', 'any account'],
  ])('refuses %s (%s), naming the parameter', (arn) => {
    const single = problemsFor({ StartCopyJobDefaultCopyRoleArn: arn });
    expect(single).toHaveLength(1);
    expect(single[0]).toMatch(
      /^Parameter 'StartCopyJobDefaultCopyRoleArn' failed to satisfy constraint: must be empty or an IAM role ARN/,
    );
    const list = problemsFor({ StartCopyJobCopyRoleArns: `${ARN}dr-copy,${arn}` });
    expect(list).toHaveLength(1);
    expect(list[0]).toMatch(
      /^Parameter 'StartCopyJobCopyRoleArns' failed to satisfy constraint: each item must be an IAM role ARN/,
    );
  });
});
