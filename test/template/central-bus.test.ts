import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { functionsOf } from '../../sandbox/template/functions.js';
import { evaluateCondition } from '../../sandbox/template/intrinsics.js';
import { readTemplate } from '../../sandbox/template/parse.js';
import {
  assumeRoleProblems,
  busPolicyProblems,
  CENTRAL,
  CENTRAL_ACCOUNT,
  MEMBER_ACCOUNT,
  ORG,
  resolveCentral,
  ruleScopeProblems,
  TEMPLATE_PATH,
  wildcardPrincipalProblems,
} from './support/central.js';
import { cfnLint, iamCheck, LINT_TIER_RUNS } from './support/lint-tier.js';
import { sendProblems } from './support/queue-access.js';
import { cloudFormationSenders, samSenders } from './support/queue-senders.js';

// DeploymentMode=central in template.yaml (docs/deploy-central.md): the bus the members forward to,
// the rules on it, the functions' right to assume the member roles. Account mode must keep its meaning.
const text = readFileSync(TEMPLATE_PATH, 'utf8');
const REGION = 'eu-west-1';
const account = resolveCentral(text, REGION, {});
const central = resolveCentral(text, REGION);

/** A copy of template.yaml with `from` replaced by `to` (every occurrence, which must exist). */
const broken = (from: string, to: string): string => {
  if (!text.includes(from)) throw new Error(`template.yaml no longer contains ${JSON.stringify(from)}`);
  return text.replaceAll(from, to);
};

/**
 * Whether the template's Rules assertion `name` holds for these Parameter values (true when its
 * RuleCondition does not apply), as CloudFormation checks it before it changes anything.
 */
const ruleHolds = (name: string) => {
  const rules = readTemplate(text).Rules as Record<
    string,
    { RuleCondition: unknown; Assertions: { Assert: unknown }[] }
  >;
  const rule = rules[name];
  if (!rule) throw new Error(`template.yaml has no Rules entry ${name}`);
  return (parameters: Record<string, string>): boolean => {
    const scope = { ref: (key: string) => parameters[key], getAtt: () => undefined, condition: () => false };
    const applies = evaluateCondition(rule.RuleCondition, scope, 'RuleCondition');
    return !applies || rule.Assertions.every((a) => evaluateCondition(a.Assert, scope, 'Assert'));
  };
};

describe('the central bus admits only the organization, and only AWS Backup events', () => {
  it('holds for template.yaml', () => {
    expect(busPolicyProblems(central)).toEqual([]);
    expect(central.resources.CentralEventBus?.properties.Name).toBe('autopilot-backup-events');
    expect(central.outputs.CentralEventBusArn).toBe(
      `arn:aws:events:${REGION}:${CENTRAL_ACCOUNT}:event-bus/autopilot-backup-events`,
    );
  });

  it('exists in central mode only', () => {
    expect(account.omitted).toEqual(expect.arrayContaining(['CentralEventBus', 'CentralEventBusPolicy']));
    expect(Object.keys(account.outputs)).not.toContain('CentralEventBusArn');
  });

  it('fails on a copy whose policy drops the organization', () => {
    const copy = resolveCentral(
      broken('          StringEquals: { "aws:PrincipalOrgID": !Ref OrganizationId }\n', ''),
      REGION,
    );
    expect(busPolicyProblems(copy)).toEqual([
      'the central bus answers allow to an account of another organization (expected implicit)',
      'the central bus answers allow to an account in no organization (expected implicit)',
      'CentralEventBusPolicy.Statement statement 0: principal * is not bound to the organization o-a1b2c3d4e5',
    ]);
  });

  it("fails on a copy that admits members' other events", () => {
    const copy = resolveCentral(
      broken('          ForAllValues:StringEquals: { "events:source": [aws.backup] }\n', ''),
      REGION,
    );
    expect(busPolicyProblems(copy)).toEqual([
      'the central bus answers allow to a member putting its own (non-AWS Backup) events (expected implicit)',
    ]);
  });
});

describe("the functions' rules: the default bus and this account in account mode, the central bus in central mode", () => {
  it('holds for template.yaml', () => {
    expect(ruleScopeProblems(account, central)).toEqual([]);
    const rules = functionsOf(central).flatMap((fn) => fn.rules);
    expect(rules.map((rule) => [rule.ruleName, rule.eventBusName])).toEqual([
      ['autopilot-backup-failed', 'autopilot-backup-events'],
      ['autopilot-copy-failed', 'autopilot-backup-events'],
      ['autopilot-restore-failed', 'autopilot-backup-events'],
      ['autopilot-scan-alert', 'autopilot-backup-events'],
      ['autopilot-backup-completed', 'autopilot-backup-events'],
      ['autopilot-copy-completed', 'autopilot-backup-events'],
    ]);
    // Account mode's patterns are the ones before central mode existed: the account filter first.
    const [backupFailed] = functionsOf(account).flatMap((fn) => fn.rules);
    expect(backupFailed?.pattern).toEqual({
      account: [CENTRAL_ACCOUNT],
      source: ['aws.backup'],
      'detail-type': ['Backup Job State Change'],
      detail: { state: ['FAILED', 'EXPIRED'] },
    });
  });

  it('fails on a copy whose account mode rule lost the account filter', () => {
    const copy = broken(
      'account: !If [IsCentral, !Ref AWS::NoValue, [!Ref AWS::AccountId]]\n',
      'account: !If [IsCentral, !Ref AWS::NoValue, !Ref AWS::NoValue]\n',
    );
    expect(ruleScopeProblems(resolveCentral(copy, REGION, {}), central)).toEqual([
      'account mode: RetryFailedJobFunction.BackupJobFailed matches account undefined, not [111122223333]',
    ]);
  });

  it('fails on a copy whose central rule keeps the account filter, or stays on the default bus', () => {
    const filtered = broken(
      'account: !If [IsCentral, !Ref AWS::NoValue, [!Ref AWS::AccountId]]\n',
      'account: [!Ref AWS::AccountId]\n',
    );
    expect(ruleScopeProblems(account, resolveCentral(filtered, REGION))).toEqual([
      'central mode: RetryFailedJobFunction.BackupJobFailed still matches only account ["111122223333"]',
    ]);
    const defaultBus = broken(
      'EventBusName: !If [IsCentral, !Ref CentralEventBus, !Ref AWS::NoValue]\n',
      'EventBusName: default\n',
    );
    expect(ruleScopeProblems(account, resolveCentral(defaultBus, REGION))).toEqual([
      'central mode: RetryFailedJobFunction.BackupJobFailed listens on default',
    ]);
  });

  it("lets EventBridge write the central rules' undelivered events to the encrypted DLQ (rule/<bus>/<name>)", () => {
    const senders = [...samSenders(central), ...cloudFormationSenders(central)];
    const rules = senders.filter((sender) => sender.identity.kind === 'service');
    expect(rules.map((sender) => (sender.identity.kind === 'service' ? sender.identity.sourceArn : ''))).toContain(
      `arn:aws:events:${REGION}:${CENTRAL_ACCOUNT}:rule/autopilot-backup-events/autopilot-backup-failed`,
    );
    expect(senders.flatMap((sender) => sendProblems(central, sender))).toEqual([]);
  });
});

describe('the retry and copy functions may assume the member role, in the organization only, and only in central mode', () => {
  it('holds for template.yaml', () => {
    expect(assumeRoleProblems(account, central)).toEqual([]);
  });

  it('fails on a copy that drops aws:ResourceOrgID', () => {
    const copy = resolveCentral(
      broken(
        '                Condition:\n                  StringEquals: { "aws:ResourceOrgID": !Ref OrganizationId }\n',
        '',
      ),
      REGION,
    );
    expect(assumeRoleProblems(account, copy)).toEqual([
      `central mode: RetryFailedJobFunction can assume arn:aws:iam::${MEMBER_ACCOUNT}:role/backup-autopilot-member outside the organization`,
      `central mode: StartCopyJobFunction can assume arn:aws:iam::${MEMBER_ACCOUNT}:role/backup-autopilot-member outside the organization`,
    ]);
  });

  it('fails on a copy that lets them assume any role', () => {
    const copy = resolveCentral(broken(`:iam::*:role/\${MemberRoleName}`, ':iam::*:role/*'), REGION);
    expect(assumeRoleProblems(account, copy)).toEqual([
      `central mode: RetryFailedJobFunction can assume arn:aws:iam::${MEMBER_ACCOUNT}:role/Admin`,
      `central mode: StartCopyJobFunction can assume arn:aws:iam::${MEMBER_ACCOUNT}:role/Admin`,
    ]);
  });
});

describe('central mode settings', () => {
  it('gives every function DEPLOYMENT_MODE, and MEMBER_ROLE_NAME and ORGANIZATION_ID in central mode only', () => {
    for (const fn of functionsOf(central)) {
      expect(fn.environment).toMatchObject({
        DEPLOYMENT_MODE: 'central',
        MEMBER_ROLE_NAME: 'backup-autopilot-member',
        ORGANIZATION_ID: ORG,
      });
    }
    for (const fn of functionsOf(account)) {
      expect(fn.environment.DEPLOYMENT_MODE).toBe('account');
      expect(fn.environment).not.toHaveProperty('MEMBER_ROLE_NAME');
      expect(fn.environment).not.toHaveProperty('ORGANIZATION_ID');
    }
  });

  it("puts the functions' roles under /backup-autopilot/<stack>/ in central mode only, and says so in the outputs", () => {
    expect(central.globals.Function).toMatchObject({ RolePath: '/backup-autopilot/autopilot/' });
    expect(account.globals.Function).not.toHaveProperty('RolePath');
    expect(central.outputs.CentralFunctionRoles).toBe(
      `arn:aws:iam::${CENTRAL_ACCOUNT}:role/backup-autopilot/autopilot/*`,
    );
    expect(central.outputs.MemberStackSetParameters).toBe(
      `ParameterKey=CentralAccountId,ParameterValue=${CENTRAL_ACCOUNT} ParameterKey=CentralStackName,ParameterValue=autopilot ` +
        `ParameterKey=OrganizationId,ParameterValue=${ORG} ParameterKey=MemberRoleName,ParameterValue=backup-autopilot-member`,
    );
  });

  it('refuses central mode without an organization (the Rules assertion), and a malformed id', () => {
    const holds = ruleHolds('CentralModeNeedsOrganization');
    expect(holds({ DeploymentMode: 'central', OrganizationId: '' })).toBe(false);
    expect(holds({ DeploymentMode: 'central', OrganizationId: ORG })).toBe(true);
    expect(holds({ DeploymentMode: 'account', OrganizationId: '' })).toBe(true);
    expect(() => resolveCentral(text, REGION, { ...CENTRAL, OrganizationId: 'o-SHORT' })).toThrow(
      /Parameter 'OrganizationId' failed to satisfy constraint: must be empty or an AWS Organizations organization id/,
    );
  });

  it('refuses RetrySweepOrganization outside central mode (the Rules assertion)', () => {
    const holds = ruleHolds('OrganizationSweepNeedsCentralMode');
    expect(holds({ RetrySweepOrganization: 'true', DeploymentMode: 'account' })).toBe(false);
    expect(holds({ RetrySweepOrganization: 'true', DeploymentMode: 'central' })).toBe(true);
    expect(holds({ RetrySweepOrganization: 'false', DeploymentMode: 'account' })).toBe(true);
  });

  it('has no wildcard principal except the bus policy bound to the organization, in either mode', () => {
    expect(wildcardPrincipalProblems(account)).toEqual([]);
    expect(wildcardPrincipalProblems(central)).toEqual([]);
  });
});

// The same tools CI runs on template.yaml as written (account mode), here on its central mode: a
// copy whose Parameter defaults are central's, since both tools read the template, not a stack.
describe.runIf(LINT_TIER_RUNS)('cfn-lint and the least-privilege check accept central mode', () => {
  const copy = join(mkdtempSync(join(tmpdir(), 'central-lint-')), 'template.yaml');
  writeFileSync(
    copy,
    broken(
      '    Default: account\n    AllowedValues: [account, central]',
      '    Default: central\n    AllowedValues: [account, central]',
    ).replace(
      '  OrganizationId:\n    Type: String\n    Default: ""',
      `  OrganizationId:\n    Type: String\n    Default: "${ORG}"`,
    ),
  );
  it('cfn-lint', () => {
    const lint = cfnLint(copy);
    expect(`${lint.stdout}${lint.stderr}`).toBe('');
    expect(lint.status).toBe(0);
  }, 240_000);

  it('iam-check.py', () => {
    const check = iamCheck(copy);
    expect(check.stdout).toMatch(/^ok: \d+ policy statements/);
    expect(check.status).toBe(0);
  }, 240_000);
});
