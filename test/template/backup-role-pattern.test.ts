import { describe, expect, it } from 'vitest';
import { readTemplate } from '../../sandbox/template/parse.js';
import { wildcardMatches } from './support/iam-policy.js';
import { parameterProblems, passableRoles, TEMPLATE_TEXT as text } from './support/parameters.js';

const problemsFor = (pattern: string): readonly string[] => parameterProblems({ BackupRolePattern: pattern });

/** The roles each function may pass to AWS Backup, with BackupRolePattern set to `pattern`. */
const passable = (pattern: string): string[] =>
  ['RetryFailedJobFunction', 'StartCopyJobFunction'].flatMap((id) => passableRoles(id, { BackupRolePattern: pattern }));

const ARN = 'arn:aws:iam::111122223333:role/';

describe('BackupRolePattern cannot widen PassRole beyond backup roles', () => {
  it.each([
    'service-role/AWSBackupDefaultServiceRole',
    'backup/*',
    'service-role/AWSBackup*',
    'org/aws-backup/copy/*',
    'team/Backup-*',
    'BACKUP*',
    'copy-role',
  ])('accepts %s', (pattern) => {
    expect(problemsFor(pattern)).toEqual([]);
    expect(passable(pattern)).toContain(`${ARN}${pattern}`);
  });

  it.each([
    ['*', 'every role of the account'],
    ['service-role/*', 'every service role'],
    ['*Backup*', 'a star before the literal'],
    ['*backup', 'a star before the literal'],
    ['backup/*/admin', 'a star before the end'],
    ['backup/**', 'two stars'],
    ['backup/?', 'a question mark'],
    ['back?up-role', 'a question mark'],
    ['role/*', 'a wildcard without backup'],
    ['/backup/*', 'an empty path segment'],
    ['backup//*', 'an empty path segment'],
    ['', 'nothing'],
    [`backup/${'a'.repeat(571)}*`, 'more than 576 characters'],
  ])('refuses %s (%s), naming the parameter and the rule', (pattern) => {
    const problems = problemsFor(pattern);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^Parameter 'BackupRolePattern' failed to satisfy constraint: must be a role's path/);
    expect(problems[0]).toContain(`(got ${JSON.stringify(pattern)})`);
  });

  it('lets no accepted wildcard match a role whose path and name say nothing of backups', () => {
    const unrelated = [`${ARN}Admin`, `${ARN}service-role/AWSLambdaBasicExecution`, `${ARN}ops/deployer`];
    for (const pattern of ['backup/*', 'service-role/AWSBackup*', 'team/Backup-*']) {
      for (const role of unrelated) expect(wildcardMatches(`${ARN}${pattern}`, role)).toBe(false);
    }
  });

  it('is matched in linear time, even far past MaxLength', () => {
    const declared = readTemplate(text) as { Parameters: { BackupRolePattern: { AllowedPattern: string } } };
    // As CloudFormation and the sandbox match it: against the whole value.
    const pattern = new RegExp(`^(?:${declared.Parameters.BackupRolePattern.AllowedPattern})$`, 'u');
    // Many segments and no backup literal: the shapes that would make a backtracking pattern blow up.
    for (const hostile of [`${'a/'.repeat(50_000)}a*`, `${'a'.repeat(100_000)}*`, `${'backup/'.repeat(15_000)}?`]) {
      const started = performance.now();
      expect(pattern.test(hostile)).toBe(false);
      // A backtracking match of 100,000 characters would take far longer; the bound leaves room for a
      // loaded CI machine (a guard, not a speed target).
      expect(performance.now() - started).toBeLessThan(1_000);
    }
  });
});
