import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readTemplate } from '../../sandbox/template/parse.js';
import type { ResolvedTemplate } from '../../sandbox/template/resolve.js';
import { tierDoesNotRun } from '../support/tier.js';
import {
  CENTRAL_ACCOUNT,
  forwardingProblems,
  functionBackupActions,
  MEMBER_ACCOUNT,
  MEMBER_PATH,
  memberActionProblems,
  memberTrustProblems,
  OTHER_ORG,
  OUTSIDER_ACCOUNT,
  resolveCentral,
  resolveMember,
  resolveTransformed,
  STACK,
  sampleEvents,
  TEMPLATE_PATH,
  type TrustCases,
} from './support/central.js';

// org/member.yaml: what a member account holds in central mode (docs/deploy-central.md).
const text = readFileSync(MEMBER_PATH, 'utf8');
const template = readFileSync(TEMPLATE_PATH, 'utf8');
const HOME = 'us-east-1';
const OTHER = 'eu-west-1';
const member = resolveMember(text, HOME);

/** A copy of member.yaml with `from` replaced by `to` (every occurrence, which must exist). */
const broken = (from: string, to: string): ResolvedTemplate => {
  if (!text.includes(from)) throw new Error(`org/member.yaml no longer contains ${JSON.stringify(from)}`);
  return resolveMember(text.replaceAll(from, to), HOME);
};

const rolesOf = (resolved: ResolvedTemplate) =>
  Object.values(resolved.resources)
    .filter((resource) => resource.type === 'AWS::IAM::Role')
    .map((role) => String(role.attributes.Arn));

// The central stack after the SAM transform, in two Regions: its functions' generated roles (with
// the path central mode gives them) are what the member role must admit, and nothing else of it.
// Without python3 and cfn-lint (a fresh machine) these checks say why and do not run; CI has both.
const transformed = [
  ...[HOME, OTHER].map((region) => resolveTransformed(template, region)),
  resolveTransformed(template, HOME, {}),
];
const unavailable = transformed.find((t) => !t.available);
if (unavailable) tierDoesNotRun('central-member: the trust checks', unavailable.reason);
const [homeRoles, otherRoles, accountModeRoles] = transformed.map((t) => (t.available ? rolesOf(t.resolved) : []));
const centralRoles = [...(homeRoles ?? []), ...(otherRoles ?? [])];
const functionRoles = centralRoles.filter((arn) => arn.includes('FunctionRole'));
const cases: TrustCases = {
  admitted: functionRoles,
  refused: [
    ...centralRoles
      .filter((arn) => !arn.includes('FunctionRole'))
      .map((arn) => ({ who: "the central stack's scheduler role", arn })),
    ...(accountModeRoles ?? [])
      .filter((arn) => arn.includes('FunctionRole'))
      .map((arn) => ({ who: 'a function role of an account-mode stack (no path)', arn })),
    {
      who: 'a role under the same path in another account',
      arn: `arn:aws:iam::${OUTSIDER_ACCOUNT}:role/backup-autopilot/${STACK}/x`,
      org: OTHER_ORG,
    },
    {
      who: 'a role under the same path in another account of the organization',
      arn: `arn:aws:iam::${MEMBER_ACCOUNT}:role/backup-autopilot/${STACK}/x`,
    },
    { who: "another central stack's role", arn: `arn:aws:iam::${CENTRAL_ACCOUNT}:role/backup-autopilot/other/x` },
    { who: 'an administrator of the central account', arn: `arn:aws:iam::${CENTRAL_ACCOUNT}:role/Admin` },
  ],
};

describe.runIf(unavailable === undefined)(
  "the member role trusts only the central functions' roles, from the organization",
  () => {
    it('holds for org/member.yaml', () => {
      expect(functionRoles).toHaveLength(6);
      expect(functionRoles[0]).toMatch(
        new RegExp(
          `^arn:aws:iam::${CENTRAL_ACCOUNT}:role/backup-autopilot/${STACK}/${STACK}-RetryFailedJobFunctionRole-`,
        ),
      );
      expect(cases.refused.length).toBeGreaterThanOrEqual(10);
      expect(memberTrustProblems(member, cases)).toEqual([]);
      expect(member.resources.MemberRole?.properties.RoleName).toBe('backup-autopilot-member');
    });

    it('fails on a copy that trusts every role of the central account', () => {
      const copy = broken(`:role/backup-autopilot/\${CentralStackName}/*`, ':role/*');
      const problems = memberTrustProblems(copy, cases);
      expect(problems).toContain(
        `the member role admits an administrator of the central account (arn:aws:iam::${CENTRAL_ACCOUNT}:role/Admin)`,
      );
      expect(problems.filter((p) => p.includes('scheduler role'))).toHaveLength(6);
    });

    it('fails on a copy without aws:PrincipalOrgID', () => {
      const problems = memberTrustProblems(
        broken('              StringEquals:\n                "aws:PrincipalOrgID": !Ref OrganizationId\n', ''),
        cases,
      );
      expect(problems.filter((p) => p.endsWith('outside the organization'))).toHaveLength(6);
      expect(problems.filter((p) => p.endsWith('without an organization'))).toHaveLength(6);
    });

    it('fails on a copy with a wildcard principal', () => {
      const copy = broken(
        `Principal: { AWS: !Sub "arn:\${AWS::Partition}:iam::\${CentralAccountId}:root" }`,
        'Principal: "*"',
      );
      // The conditions still narrow it to the central account's path; the wildcard is refused all the same.
      expect(memberTrustProblems(copy, cases)).toEqual([
        "MemberRole.AssumeRolePolicyDocument statement 0: principal * in a role's trust",
      ]);
    });
  },
);

describe('the member role, wherever the StackSet deploys', () => {
  it('is created once per account, in MemberRoleRegion only (IAM is global)', () => {
    expect(member.resources.MemberRole).toBeDefined();
    const elsewhere = resolveMember(text, OTHER);
    expect(elsewhere.omitted).toEqual(['MemberRole']);
    expect(Object.keys(elsewhere.outputs)).not.toContain('MemberRoleArn');
    // The forwarding role is per Region: CloudFormation generates a name per stack (no RoleName).
    expect(elsewhere.resources.ForwardRole?.properties.RoleName).toBeUndefined();
  });
});

describe('the member role may make exactly the AWS Backup calls the central functions make', () => {
  const central = resolveCentral(template, HOME);

  it('holds for org/member.yaml', () => {
    expect(functionBackupActions(central).sort()).toEqual([
      'backup:DescribeBackupJob',
      'backup:DescribeCopyJob',
      'backup:DescribeRecoveryPoint',
      'backup:DescribeRestoreJob',
      'backup:DescribeScanJob',
      'backup:GetBackupPlan',
      'backup:ListBackupJobs',
      'backup:ListCopyJobs',
      'backup:ListRestoreJobs',
      'backup:ListScanJobs',
      'backup:StartBackupJob',
      'backup:StartCopyJob',
      'backup:TagResource',
    ]);
    expect(memberActionProblems(member, central)).toEqual([]);
  });

  it('fails on a copy missing one, or granting one no function calls', () => {
    expect(memberActionProblems(broken('                  - backup:ListRestoreJobs\n', ''), central)).toEqual([
      'the member role lacks backup:ListRestoreJobs, which the functions call',
    ]);
    // The summary's calls: it reads the central account only, never a member.
    const summary = broken(
      '                  - backup:ListScanJobs\n',
      '                  - backup:ListScanJobs\n                  - backup:ListBackupJobSummaries\n',
    );
    expect(memberActionProblems(summary, central)).toEqual([
      'the member role grants backup:ListBackupJobSummaries, which no function calls',
    ]);
    const extra = broken('Action: backup:TagResource', 'Action: [backup:TagResource, backup:DeleteRecoveryPoint]');
    expect(memberActionProblems(extra, central)).toEqual([
      'the member role grants backup:DeleteRecoveryPoint, which no function calls',
    ]);
  });

  it('fails on a copy that passes roles to any service, or grants other calls', () => {
    const anyService = broken(
      '                Condition:\n                  StringEquals: { "iam:PassedToService": backup.amazonaws.com }\n',
      '',
    );
    expect(memberActionProblems(anyService, central)).toEqual([
      'the member role may pass roles to services other than AWS Backup',
    ]);
    const other = broken('Action: backup:GetBackupPlan\n', 'Action: [backup:GetBackupPlan, s3:GetObject]\n');
    expect(memberActionProblems(other, central)).toEqual([
      'the member role grants s3:GetObject, which is not an AWS Backup call',
    ]);
  });

  it("keeps BackupRolePattern's rule identical to template.yaml's", () => {
    const ours = (readTemplate(text).Parameters as Record<string, Record<string, unknown>>).BackupRolePattern;
    const theirs = (readTemplate(template).Parameters as Record<string, Record<string, unknown>>).BackupRolePattern;
    for (const key of ['Type', 'Default', 'MaxLength', 'AllowedPattern', 'ConstraintDescription']) {
      expect(ours?.[key], key).toEqual(theirs?.[key]);
    }
  });
});

describe("the forward rule sends this account's AWS Backup job events to the central bus of its Region", () => {
  // Every backup state the retry function can be set to retry, so the central rules want the most.
  const central = resolveCentral(template, HOME, {
    DeploymentMode: 'central',
    OrganizationId: 'o-a1b2c3d4e5',
    RetryStates: 'FAILED,EXPIRED,ABORTED,PARTIAL',
  });

  it('holds for org/member.yaml, in every Region', () => {
    expect(sampleEvents().length).toBeGreaterThanOrEqual(20);
    expect(forwardingProblems(member, central)).toEqual([]);
    const elsewhere = resolveMember(text, OTHER);
    expect(forwardingProblems(elsewhere, resolveCentral(template, OTHER))).toEqual([]);
    expect(elsewhere.outputs.CentralEventBusArn).toBe(
      `arn:aws:events:${OTHER}:${CENTRAL_ACCOUNT}:event-bus/${STACK}-backup-events`,
    );
  });

  it('fails on a copy that leaves out a detail-type the central functions handle', () => {
    expect(forwardingProblems(broken('          - Restore Job State Change\n', ''), central)).toEqual([
      'restore-job.failed.json: a central rule wants it, the member does not forward it',
    ]);
  });

  it("fails on a copy that forwards other accounts' events too", () => {
    const problems = forwardingProblems(broken('        account: [!Ref AWS::AccountId]\n', ''), central);
    expect(problems.length).toBe(sampleEvents().length);
    expect(problems[0]).toMatch(/: forwarded even when another account sent it to this bus$/);
  });

  it('fails on a copy that targets another bus', () => {
    const copy = broken(
      `Arn: !Sub arn:\${AWS::Partition}:events:\${AWS::Region}:\${CentralAccountId}:event-bus/\${CentralStackName}-backup-events`,
      `Arn: !Sub arn:\${AWS::Partition}:events:\${AWS::Region}:\${CentralAccountId}:event-bus/default`,
    );
    expect(forwardingProblems(copy, central)).toEqual([
      `the forward rule targets arn:aws:events:${HOME}:${CENTRAL_ACCOUNT}:event-bus/default, not arn:aws:events:${HOME}:${CENTRAL_ACCOUNT}:event-bus/${STACK}-backup-events`,
    ]);
  });

  it('fails on a copy whose role any rule may use, or may put events on any bus', () => {
    const anyRule = broken(
      `              ArnEquals:\n                "aws:SourceArn": !Sub arn:\${AWS::Partition}:events:\${AWS::Region}:\${AWS::AccountId}:rule/backup-autopilot-to-central\n`,
      '',
    );
    expect(forwardingProblems(anyRule, central)).toEqual(['EventBridge can assume the forward role for any rule']);
    const anyBus = broken(
      `Resource: !Sub arn:\${AWS::Partition}:events:\${AWS::Region}:\${CentralAccountId}:event-bus/\${CentralStackName}-backup-events`,
      'Resource: "*"',
    );
    expect(forwardingProblems(anyBus, central)).toEqual([
      `the forward role may events:PutEvents on * (only events:PutEvents on arn:aws:events:${HOME}:${CENTRAL_ACCOUNT}:event-bus/${STACK}-backup-events is wanted)`,
    ]);
  });
});
