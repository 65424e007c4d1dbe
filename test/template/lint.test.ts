import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { templateFiles } from './support/template-files.js';

// The lint tier of npm test: cfn-lint (what `sam validate --lint` runs) and the least-privilege check
// (../shared/tools/iam-check.py, beside the clone as in CI) on every template of the repository.
// CI (.ci/run) runs both and fails without them; here the tier says why it does not run instead.

const root = resolve(import.meta.dirname, '..', '..');
const iamCheck = resolve(root, '..', 'shared', 'tools', 'iam-check.py');
const run = (command: string, args: string[]) =>
  spawnSync(command, args, { cwd: root, encoding: 'utf8', timeout: 180_000 });

const cfnLint = run('cfn-lint', ['--version']);
const missing = [
  cfnLint.error || cfnLint.status !== 0 ? 'cfn-lint is not installed (pip install cfn-lint)' : undefined,
  existsSync(iamCheck) ? undefined : `${iamCheck} is not there (CI checks out ../shared beside the clone)`,
].filter((reason) => reason !== undefined);
if (missing.length > 0) console.warn(`lint: the template lint tier does not run here: ${missing.join('; ')}`);

describe('the templates the lint tier covers', () => {
  it('are template.yaml and every org/*.yaml, the same glob .ci/run uses', () => {
    const files = templateFiles(root);
    expect(files[0]).toBe('template.yaml');
    for (const file of files) expect(existsSync(join(root, file))).toBe(true);
    expect(readFileSync(join(root, '.ci', 'run'), 'utf8')).toContain('templates=(template.yaml org/*.yaml org/*.yml)');
  });
});

describe.runIf(missing.length === 0)('every template passes cfn-lint and the least-privilege check', () => {
  it.each(templateFiles(root))(
    '%s',
    (file) => {
      const lint = run('cfn-lint', [file]);
      expect({ file, status: lint.status, output: `${lint.stdout}${lint.stderr}`.trim() }).toEqual({
        file,
        status: 0,
        output: '',
      });
      const iam = run('python3', [iamCheck, file]);
      expect({ file, status: iam.status, stderr: iam.stderr.trim() }).toEqual({ file, status: 0, stderr: '' });
      expect(iam.stdout).toMatch(/^ok: /);
    },
    240_000,
  );
});

describe.runIf(missing.length === 0)('the lint tier itself fails a broken template', () => {
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
    const lint = run('cfn-lint', [file]);
    expect(lint.status).not.toBe(0);
    expect(lint.stdout).toContain('MessageRetentionPeriods');
    const iam = run('python3', [iamCheck, file]);
    expect(iam.status).toBe(1);
  }, 240_000);
});
