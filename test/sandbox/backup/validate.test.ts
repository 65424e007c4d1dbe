import { describe, expect, it } from 'vitest';
import { loadBackupModel } from '../../../sandbox/backup/model.js';
import { validateInput, validationError } from '../../../sandbox/backup/validate.js';
import { ServiceError } from '../../../sandbox/http/stand-in.js';

const model = loadBackupModel();
const check = (operation: string, input: Record<string, unknown>) =>
  validateInput(model, model.operation(operation).input?.shape as string, input);

const startJob = {
  BackupVaultName: 'prod-daily',
  ResourceArn: 'arn:aws:ec2:us-east-1:111122223333:volume/vol-1',
  IamRoleArn: 'arn:aws:iam::111122223333:role/backup',
};

describe('validateInput against the Backup model', () => {
  it('accepts a valid input, and a Start without its idempotency token (the SDK fills it)', () => {
    expect(check('StartBackupJob', startJob)).toEqual([]);
    expect(check('ListBackupJobs', {})).toEqual([]);
  });

  it('reports numeric ranges with the wire name', () => {
    expect(check('GetBackupPlan', { BackupPlanId: 'p', MaxScheduledRunsPreview: -1 })).toEqual([
      "Value '-1' at 'MaxScheduledRunsPreview' failed to satisfy constraint: Member must have value greater than or equal to 0",
    ]);
    expect(check('ListBackupJobs', { MaxResults: 0 })).toEqual([
      "Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1",
    ]);
  });

  it('reports string lengths, list lengths and required members inside lists, with Coral paths', () => {
    // Act
    const problems = check('CreateFramework', {
      FrameworkName: '',
      FrameworkControls: [{ ControlScope: { ComplianceResourceIds: [] } }],
    });
    // Assess
    expect(problems).toEqual([
      "Value '' at 'frameworkName' failed to satisfy constraint: Member must have length greater than or equal to 1",
      "Value '' at 'frameworkName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][_a-zA-Z0-9]*",
      "Value null at 'frameworkControls.1.member.controlName' failed to satisfy constraint: Member must not be null",
      "Value '[]' at 'frameworkControls.1.member.controlScope.complianceResourceIds' failed to satisfy constraint: Member must have length greater than or equal to 1",
    ]);
  });

  it('treats patterns as unanchored, as Smithy defines them', () => {
    // FrameworkName is `[a-zA-Z][_a-zA-Z0-9]*` without anchors: any value holding a letter satisfies it.
    expect(check('DescribeFramework', { FrameworkName: '9-a' })).toEqual([]);
    expect(check('DescribeFramework', { FrameworkName: '9-_' })).toHaveLength(1);
  });

  it('applies the deviation table: "/" in vault names, ByAccountId "*" on ListBackupJobs only, any ResourceType', () => {
    expect(check('StartBackupJob', { ...startJob, BackupVaultName: 'aws/backup/AutomatedBackupVaultDel2' })).toEqual(
      [],
    );
    expect(check('ListBackupJobs', { ByAccountId: '*', ByResourceType: 'SAP HANA on Amazon EC2' })).toEqual([]);
    expect(check('ListCopyJobs', { ByAccountId: '*' })).toEqual([
      "Value '*' at 'accountId' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[0-9]{12}$",
    ]);
    expect(check('ListBackupJobs', { ByAccountId: '12345' })).toHaveLength(1);
  });

  it.each(['ListBackupJobSummaries', 'ListCopyJobSummaries', 'ListRestoreJobSummaries'])(
    'applies the deviation table: %s takes AccountId ANY and AGGREGATE_ALL, as its documentation says',
    (operation) => {
      for (const AccountId of ['ANY', 'AGGREGATE_ALL', '111122223333'])
        expect(check(operation, { AccountId })).toEqual([]);
      expect(check(operation, { AccountId: 'ALL' })).toHaveLength(1);
    },
  );

  it('stays linear on long input: the length bound is checked before a backtracking pattern runs', () => {
    // Prepare: `.*\S.*` backtracks quadratically on blanks; a million of them must not reach it.
    const blanks = ' '.repeat(1_000_000);
    const started = performance.now();
    // Act
    const problems = check('UpdateFramework', { FrameworkName: 'f', FrameworkDescription: blanks });
    const tooLongPlain = check('ListBackupJobs', { ByAccountId: '1'.repeat(1_000_000) });
    // Assess
    expect(performance.now() - started).toBeLessThan(1000);
    expect(problems).toEqual([
      expect.stringMatching(
        /at 'frameworkDescription' failed to satisfy constraint: Member must have length less than or equal to 1024$/,
      ),
    ]);
    expect(tooLongPlain).toEqual([
      expect.stringMatching(
        /at 'accountId' failed to satisfy constraint: Member must satisfy regular expression pattern/,
      ),
    ]);
  });

  it('validationError counts the problems in AWS wording', () => {
    // Act
    const one = validationError(['a']);
    const two = validationError(['a', 'b']);
    // Assess
    expect(one).toBeInstanceOf(ServiceError);
    expect(one).toMatchObject({ code: 'ValidationException', status: 400, message: '1 validation error detected: a' });
    expect(two.message).toBe('2 validation errors detected: a; b');
  });
});
