import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tierDoesNotRun } from '../support/tier.js';
import { cfnLint, iamCheck, LINT_TIER_MISSING, LINT_TIER_RUNS } from './support/lint-tier.js';
import { templateFiles } from './support/template-files.js';

// The lint tier (support/lint-tier.ts) on every template of the repository, and on a broken one.

const root = resolve(import.meta.dirname, '..', '..');
if (!LINT_TIER_RUNS) tierDoesNotRun('lint: the template lint tier', LINT_TIER_MISSING.join('; '));

describe('the templates the lint tier covers', () => {
  it('are template.yaml and every org/*.yaml, the same glob .ci/run uses', () => {
    const files = templateFiles(root);
    expect(files[0]).toBe('template.yaml');
    for (const file of files) expect(existsSync(join(root, file))).toBe(true);
    expect(readFileSync(join(root, '.ci', 'run'), 'utf8')).toContain('templates=(template.yaml org/*.yaml org/*.yml)');
  });
});

describe.runIf(LINT_TIER_RUNS)('every template passes cfn-lint and the least-privilege check', () => {
  it.each(templateFiles(root))(
    '%s',
    (file) => {
      const lint = cfnLint(file);
      expect({ file, status: lint.status, output: `${lint.stdout}${lint.stderr}`.trim() }).toEqual({
        file,
        status: 0,
        output: '',
      });
      const iam = iamCheck(file);
      expect({ file, status: iam.status, stderr: iam.stderr.trim() }).toEqual({ file, status: 0, stderr: '' });
      expect(iam.stdout).toMatch(/^ok: /);
    },
    240_000,
  );
});

describe.runIf(LINT_TIER_RUNS)('the lint tier itself fails a broken template', () => {
  // A role granting every action: cfn-lint accepts it (it is valid CloudFormation), the
  // least-privilege check refuses it; the misspelt property is cfn-lint's to refuse.
  const broken = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      MessageRetentionPeriods: 1209600
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: { Service: lambda.amazonaws.com }
            Action: sts:AssumeRole
      Policies:
        - PolicyName: everything
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: "*"
                Resource: "*"
`;
  const file = join(mkdtempSync(join(tmpdir(), 'lint-')), 'broken.yaml');
  writeFileSync(file, broken);

  it('cfn-lint reports the unknown property, and iam-check the wildcard grant', () => {
    const lint = cfnLint(file);
    expect(lint.status).not.toBe(0);
    expect(lint.stdout).toContain('MessageRetentionPeriods');
    const iam = iamCheck(file);
    expect(iam.status).toBe(1);
  }, 240_000);
});
