import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { matchesPattern } from '../../../sandbox/template/event-pattern.js';
import { functionsOf } from '../../../sandbox/template/functions.js';
import { type ResolvedResource, type ResolvedTemplate, resolveTemplate } from '../../../sandbox/template/resolve.js';
import { isRecord } from '../../../shared/objects.js';
import { decide, type Statement, statementsOf } from './iam-policy.js';
import { samTransform } from './sam-transform.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
export const TEMPLATE_PATH = join(ROOT, 'template.yaml');
export const MEMBER_PATH = join(ROOT, 'org', 'member.yaml');

export const CENTRAL_ACCOUNT = '111122223333';
export const MEMBER_ACCOUNT = '444455556666';
export const OUTSIDER_ACCOUNT = '777788889999';
export const ORG = 'o-a1b2c3d4e5';
export const OTHER_ORG = 'o-zz9yy8xx7w';
export const STACK = 'autopilot';
export const CENTRAL = { DeploymentMode: 'central', OrganizationId: ORG };

const listOf = (value: unknown): unknown[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
const record = (value: unknown): Record<string, unknown> => (isRecord(value) ? value : {});
const ofType = (resolved: ResolvedTemplate, type: string): ResolvedResource[] =>
  Object.values(resolved.resources).filter((resource) => resource.type === type);

/**
 * template.yaml (or a copy's text) resolved as CloudFormation would deploy it. The sandbox's resolver
 * gives AWS::Events::EventBus its generated name (it does not read the type's Name property yet), so
 * a first pass reads the bus's declared Name and a second gives the bus that name, as AWS does.
 */
export const resolveCentral = (
  text: string,
  region: string,
  overrides: Record<string, string> = CENTRAL,
  suffix = '',
): ResolvedTemplate => {
  const account = CENTRAL_ACCOUNT;
  const ctx = { stackName: STACK, account, region, parameterOverrides: overrides };
  const first = resolveTemplate(text, ctx);
  const buses = new Map(
    ofType(first, 'AWS::Events::EventBus').map((bus) => [bus.logicalId, String(bus.properties.Name ?? '')]),
  );
  return resolveTemplate(text, {
    ...ctx,
    physicalName: (logicalId) => buses.get(logicalId) || `${STACK}-${logicalId}${suffix}`,
  });
};

/**
 * The same, after the SAM transform (so the functions' generated roles exist, with their Path), or
 * why the transform cannot run here (it needs python3 with cfn-lint, as CI has). The transform reads
 * a file: a copy's text is written to a temporary one. Generated names end in a suffix per Region,
 * as CloudFormation's random one makes them differ per stack ("Name type").
 */
export const resolveTransformed = (
  text: string,
  region: string,
  overrides: Record<string, string> = CENTRAL,
):
  | { readonly available: true; readonly resolved: ResolvedTemplate }
  | { readonly available: false; readonly reason: string } => {
  const path = join(mkdtempSync(join(tmpdir(), 'central-')), 'template.yaml');
  writeFileSync(path, text);
  const transform = samTransform(path, region);
  if (!transform.available) return transform;
  const suffix = `-${region.replaceAll('-', '').toUpperCase()}X7Q`;
  return { available: true, resolved: resolveCentral(transform.json, region, overrides, suffix) };
};

/** org/member.yaml (or a copy's text) as a StackSets instance deploys it in `region` of the member account. */
export const resolveMember = (text: string, region: string, overrides: Record<string, string> = {}) =>
  resolveTemplate(text, {
    stackName: 'StackSet-backup-autopilot-member-0f1e2d3c',
    account: MEMBER_ACCOUNT,
    region,
    parameterOverrides: {
      CentralAccountId: CENTRAL_ACCOUNT,
      CentralStackName: STACK,
      OrganizationId: ORG,
      MemberRoleRegion: 'us-east-1',
      ...overrides,
    },
  });

/** Every policy statement a resource holds, with where it is, for the checks' messages. */
const policiesOf = (
  resource: ResolvedResource,
): { where: string; resourcePolicy: boolean; statements: Statement[] }[] => {
  const p = resource.properties;
  const at = (name: string) => `${resource.logicalId}.${name}`;
  switch (resource.type) {
    case 'AWS::IAM::Role':
      return [
        {
          where: at('AssumeRolePolicyDocument'),
          resourcePolicy: true,
          statements: statementsOf(p.AssumeRolePolicyDocument),
        },
        ...listOf(p.Policies).map((policy) => ({
          where: at(`Policies.${String(record(policy).PolicyName)}`),
          resourcePolicy: false,
          statements: statementsOf(record(policy).PolicyDocument),
        })),
      ];
    case 'AWS::KMS::Key':
      return [{ where: at('KeyPolicy'), resourcePolicy: true, statements: statementsOf(p.KeyPolicy) }];
    case 'AWS::SQS::QueuePolicy':
      return [{ where: at('PolicyDocument'), resourcePolicy: true, statements: statementsOf(p.PolicyDocument) }];
    case 'AWS::Events::EventBusPolicy':
      return [{ where: at('Statement'), resourcePolicy: true, statements: statementsOf({ Statement: p.Statement }) }];
    case 'AWS::Serverless::Function':
      return listOf(p.Policies).map((policy, i) => ({
        where: at(`Policies.${i}`),
        resourcePolicy: false,
        statements: statementsOf(policy),
      }));
    default:
      return [];
  }
};

/** The AWS principals a statement names (Principal "*" is `*`). */
const awsPrincipals = (statement: Statement): string[] => {
  const principal = statement.Principal;
  if (principal === undefined) return [];
  if (!isRecord(principal)) return [String(principal)];
  return listOf(principal.AWS).map(String);
};

/**
 * Wildcard principals: Principal "*" or an AWS principal with a wildcard. The one use allowed is an
 * Allow bound to this organization by StringEquals aws:PrincipalOrgID in a resource policy other
 * than a role's trust (how an event bus admits an organization): a trust names its principals.
 */
export const wildcardPrincipalProblems = (resolved: ResolvedTemplate, org = ORG): string[] =>
  Object.values(resolved.resources).flatMap((resource) =>
    policiesOf(resource)
      .filter((policy) => policy.resourcePolicy)
      .flatMap(({ where, statements }) =>
        statements.flatMap((statement, i) => {
          const wild = awsPrincipals(statement).filter((arn) => arn.includes('*'));
          if (wild.length === 0) return [];
          const trust = where.endsWith('.AssumeRolePolicyDocument');
          const bound = record(record(statement.Condition).StringEquals)['aws:PrincipalOrgID'] === org;
          return statement.Effect === 'Allow' && bound && !trust
            ? []
            : [
                `${where} statement ${i}: principal ${wild.join(', ')} ${trust ? "in a role's trust" : `is not bound to the organization ${org}`}`,
              ];
        }),
      ),
  );

/** What the central bus admits: PutEvents from the organization's principals, with AWS Backup's events only. */
export const busPolicyProblems = (central: ResolvedTemplate): string[] => {
  const [bus] = ofType(central, 'AWS::Events::EventBus');
  if (!bus) return ['no AWS::Events::EventBus in central mode'];
  const busArn = `arn:aws:events:${central.environment.region}:${central.environment.account}:event-bus/${bus.name}`;
  const statements = ofType(central, 'AWS::Events::EventBusPolicy')
    .filter((policy) => policy.properties.EventBusName === bus.name)
    .flatMap((policy) => statementsOf({ Statement: policy.properties.Statement }));
  const putEvents = (principalArn: string, context: Record<string, string>) =>
    decide(
      statements,
      { principal: { arn: principalArn }, action: 'events:PutEvents', resource: busArn, context },
      true,
    );
  const member = `arn:aws:iam::${MEMBER_ACCOUNT}:role/forwarder`;
  const backup = { 'events:source': 'aws.backup' };
  const cases: { who: string; arn: string; context: Record<string, string>; expected: 'allow' | 'implicit' }[] = [
    {
      who: 'a member of the organization',
      arn: member,
      context: { 'aws:PrincipalOrgID': ORG, ...backup },
      expected: 'allow',
    },
    {
      who: 'an account of another organization',
      arn: `arn:aws:iam::${OUTSIDER_ACCOUNT}:role/forwarder`,
      context: { 'aws:PrincipalOrgID': OTHER_ORG, ...backup },
      expected: 'implicit',
    },
    {
      who: 'an account in no organization',
      arn: `arn:aws:iam::${OUTSIDER_ACCOUNT}:role/forwarder`,
      context: { ...backup },
      expected: 'implicit',
    },
    {
      who: 'a member putting its own (non-AWS Backup) events',
      arn: member,
      context: { 'aws:PrincipalOrgID': ORG, 'events:source': 'com.example.orders' },
      expected: 'implicit',
    },
  ];
  const answers = cases.flatMap(({ who, arn, context, expected }) => {
    const got = putEvents(arn, context);
    return got === expected ? [] : [`the central bus answers ${got} to ${who} (expected ${expected})`];
  });
  return [...answers, ...wildcardPrincipalProblems(central)];
};

/**
 * A trust policy's statements with the Resource IAM implies: a trust policy has none, and applies to
 * its own role ("IAM JSON policy elements: Resource": not used in role trust policies).
 */
const asTrust = (document: unknown): Statement[] =>
  statementsOf(document).map((statement) => ({ Resource: '*', ...statement }));

/** A member role's trust, answered for a session of `roleArn` from an account in `org`. */
export const trustAnswer = (trust: readonly Statement[], roleArn: string, org: string | undefined) => {
  const account = roleArn.split(':')[4] as string;
  const context: Record<string, string> = {
    'aws:PrincipalArn': roleArn,
    'aws:PrincipalAccount': account,
    ...(org ? { 'aws:PrincipalOrgID': org } : {}),
  };
  const request = (arn: string) => ({ principal: { arn }, action: 'sts:AssumeRole', resource: '*', context });
  // A Principal naming an account ("arn:...:root") admits every principal of it, subject to the
  // conditions ("IAM JSON policy elements: Principal", AWS account principals).
  const answers = [decide(trust, request(roleArn), true), decide(trust, request(`arn:aws:iam::${account}:root`), true)];
  if (answers.includes('deny')) return 'deny';
  return answers.includes('allow') ? 'allow' : 'implicit';
};

/** Roles the member role must admit (the central functions', every Region) and some it must not. */
export interface TrustCases {
  readonly admitted: readonly string[];
  readonly refused: readonly { readonly who: string; readonly arn: string; readonly org?: string }[];
}

/** The member role's trust: exactly the central functions' roles, from the organization, nothing wildcard. */
export const memberTrustProblems = (member: ResolvedTemplate, cases: TrustCases): string[] => {
  const role = ofType(member, 'AWS::IAM::Role').find((r) => r.logicalId === 'MemberRole');
  if (!role) return ['org/member.yaml declares no MemberRole in its MemberRoleRegion'];
  const trust = asTrust(role.properties.AssumeRolePolicyDocument);
  const problems: string[] = [];
  for (const arn of cases.admitted) {
    const got = trustAnswer(trust, arn, ORG);
    if (got !== 'allow') problems.push(`the member role does not admit ${arn} (${got})`);
    const outside = trustAnswer(trust, arn, OTHER_ORG);
    if (outside === 'allow') problems.push(`the member role admits ${arn} outside the organization`);
    if (trustAnswer(trust, arn, undefined) === 'allow')
      problems.push(`the member role admits ${arn} without an organization`);
  }
  for (const { who, arn, org } of cases.refused) {
    if (trustAnswer(trust, arn, org ?? ORG) === 'allow') problems.push(`the member role admits ${who} (${arn})`);
  }
  const actions = trust.flatMap((statement) => listOf(statement.Action).map(String));
  const extra = actions.filter((action) => action !== 'sts:AssumeRole');
  if (extra.length > 0) problems.push(`the member role's trust allows ${extra.join(', ')}`);
  return [...problems, ...wildcardPrincipalProblems(member)];
};

const backupActionsOf = (statements: readonly Statement[]): string[] =>
  statements
    .filter((statement) => statement.Effect === 'Allow')
    .flatMap((statement) => listOf(statement.Action).map(String))
    .filter((action) => action.toLowerCase().startsWith('backup:'));

/**
 * The functions that act in members' accounts (retry and copy, through shared/accounts/backup-clients.ts
 * with an account). The summary reads its own account only (its BackupClientFor takes a Region, and
 * organization scope lists with ByAccountId from the central account): it has no use for the member
 * role, whose trust admits every role under the central path.
 */
export const MEMBER_ACTING_FUNCTIONS = ['RetryFailedJobFunction', 'StartCopyJobFunction'];

/**
 * The AWS Backup actions the own policies of the functions that act in members grant (central mode:
 * what they do in a member). The summary's own calls (job summaries, plan lists) are not among them.
 */
export const functionBackupActions = (central: ResolvedTemplate): string[] => [
  ...new Set(
    ofType(central, 'AWS::Serverless::Function')
      .filter((fn) => MEMBER_ACTING_FUNCTIONS.includes(fn.logicalId))
      .flatMap((fn) => policiesOf(fn).flatMap((policy) => backupActionsOf(policy.statements))),
  ),
];

/**
 * The member role grants exactly the functions' AWS Backup actions, plus iam:PassRole to AWS Backup
 * only (iam:PassedToService backup.amazonaws.com), on this account's backup roles only.
 */
export const memberActionProblems = (member: ResolvedTemplate, central: ResolvedTemplate): string[] => {
  const role = ofType(member, 'AWS::IAM::Role').find((r) => r.logicalId === 'MemberRole');
  if (!role) return ['org/member.yaml declares no MemberRole in its MemberRoleRegion'];
  const statements = policiesOf(role)
    .filter((policy) => !policy.resourcePolicy)
    .flatMap((policy) => policy.statements);
  const granted = new Set(backupActionsOf(statements));
  const wanted = new Set(functionBackupActions(central));
  const problems = [
    ...[...wanted]
      .filter((action) => !granted.has(action))
      .map((action) => `the member role lacks ${action}, which the functions call`),
    ...[...granted]
      .filter((action) => !wanted.has(action))
      .map((action) => `the member role grants ${action}, which no function calls`),
  ];
  const { account } = member.environment;
  for (const statement of statements) {
    const actions = listOf(statement.Action).map(String);
    if (statement.Effect !== 'Allow') continue;
    for (const action of actions.filter((a) => !a.toLowerCase().startsWith('backup:'))) {
      if (action !== 'iam:PassRole') {
        problems.push(`the member role grants ${action}, which is not an AWS Backup call`);
        continue;
      }
      if (record(record(statement.Condition).StringEquals)['iam:PassedToService'] !== 'backup.amazonaws.com') {
        problems.push('the member role may pass roles to services other than AWS Backup');
      }
      const foreign = listOf(statement.Resource)
        .map(String)
        .filter((arn) => !arn.startsWith(`arn:aws:iam::${account}:role/`));
      if (foreign.length > 0)
        problems.push(`the member role may pass roles outside its account: ${foreign.join(', ')}`);
    }
    if (actions.some((a) => a.includes('*')))
      problems.push(`the member role grants a wildcard action: ${actions.join(', ')}`);
  }
  return problems;
};

/** The function rules, with the bus each listens on and whether it keeps the account filter. */
const functionRules = (resolved: ResolvedTemplate) =>
  functionsOf(resolved).flatMap((fn) => fn.rules.map((rule) => ({ fn: fn.logicalId, ...rule })));

/**
 * Account mode: every function rule on the default bus, matching this account's events only.
 * Central mode: every rule on the central bus, with no account filter (the bus admits the organization).
 */
export const ruleScopeProblems = (account: ResolvedTemplate, central: ResolvedTemplate): string[] => {
  const problems: string[] = [];
  const own = account.environment.account;
  for (const rule of functionRules(account)) {
    const name = `${rule.fn}.${rule.name}`;
    if (rule.eventBusName !== 'default') problems.push(`account mode: ${name} listens on ${rule.eventBusName}`);
    if (JSON.stringify(rule.pattern.account) !== JSON.stringify([own])) {
      problems.push(`account mode: ${name} matches account ${JSON.stringify(rule.pattern.account)}, not [${own}]`);
    }
  }
  const [bus] = ofType(central, 'AWS::Events::EventBus');
  for (const rule of functionRules(central)) {
    const name = `${rule.fn}.${rule.name}`;
    if (rule.eventBusName !== bus?.name) problems.push(`central mode: ${name} listens on ${rule.eventBusName}`);
    if ('account' in rule.pattern)
      problems.push(`central mode: ${name} still matches only account ${JSON.stringify(rule.pattern.account)}`);
  }
  return problems;
};

/** The published sample events in events/ (AWS Backup's own), by file name. */
export const sampleEvents = (): { file: string; event: Record<string, unknown> }[] =>
  readdirSync(join(ROOT, 'events'))
    .filter((file) => file.endsWith('.json'))
    .map((file) => ({ file, event: JSON.parse(readFileSync(join(ROOT, 'events', file), 'utf8')) }))
    .filter(({ event }) => event.source === 'aws.backup');

/**
 * Forwarding: the member's rule sends to the central bus of its Region (the central stack's
 * CentralEventBusArn), with a role that may only put events there and only for that rule; it forwards
 * every sample event (from this member) any central rule matches, and nothing but AWS Backup's job
 * events of this account.
 */
export const forwardingProblems = (member: ResolvedTemplate, central: ResolvedTemplate): string[] => {
  const rule = ofType(member, 'AWS::Events::Rule').find((r) => r.logicalId === 'ForwardRule');
  if (!rule) return ['org/member.yaml declares no ForwardRule'];
  const problems: string[] = [];
  const { account, region } = member.environment;
  const busArn = String(central.outputs.CentralEventBusArn);
  const targets = listOf(rule.properties.Targets).map(record);
  if (targets.length !== 1 || targets[0]?.Arn !== busArn) {
    problems.push(`the forward rule targets ${targets.map((t) => String(t.Arn)).join(', ')}, not ${busArn}`);
  }
  if ((rule.properties.EventBusName ?? 'default') !== 'default')
    problems.push('the forward rule is not on the default bus');
  const pattern = record(rule.properties.EventPattern);
  const centralRules = functionRules(central);
  for (const { file, event } of sampleEvents()) {
    const here = { ...event, account, region };
    const wanted = centralRules.some((r) => matchesPattern(r.pattern, here));
    const forwarded = matchesPattern(pattern, here);
    if (wanted && !forwarded) problems.push(`${file}: a central rule wants it, the member does not forward it`);
    if (forwarded && matchesPattern(pattern, { ...here, account: OUTSIDER_ACCOUNT })) {
      problems.push(`${file}: forwarded even when another account sent it to this bus`);
    }
  }
  for (const other of [{ source: 'aws.ec2', 'detail-type': 'EC2 Instance State-change Notification' }]) {
    if (matchesPattern(pattern, { ...other, account, region, detail: {} }))
      problems.push(`forwards ${other.source} events`);
  }
  const roleArn = String(targets[0]?.RoleArn);
  const role = ofType(member, 'AWS::IAM::Role').find((r) => r.attributes.Arn === roleArn);
  if (!role) return [...problems, `the forward rule's role ${roleArn} is not declared`];
  const granted = policiesOf(role)
    .filter((policy) => !policy.resourcePolicy)
    .flatMap((policy) => policy.statements)
    .filter((statement) => statement.Effect === 'Allow')
    .flatMap((statement) =>
      listOf(statement.Action).flatMap((action) =>
        listOf(statement.Resource).map((resource) => `${String(action)} on ${String(resource)}`),
      ),
    );
  if (JSON.stringify(granted) !== JSON.stringify([`events:PutEvents on ${busArn}`])) {
    problems.push(`the forward role may ${granted.join('; ')} (only events:PutEvents on ${busArn} is wanted)`);
  }
  const trust = asTrust(role.properties.AssumeRolePolicyDocument);
  const ruleArn = `arn:aws:events:${region}:${account}:rule/${String(rule.properties.Name)}`;
  const assume = (sourceArn: string, sourceAccount: string) =>
    decide(
      trust,
      {
        principal: { service: 'events.amazonaws.com' },
        action: 'sts:AssumeRole',
        resource: '*',
        context: { 'aws:SourceArn': sourceArn, 'aws:SourceAccount': sourceAccount },
      },
      true,
    );
  if (assume(ruleArn, account) !== 'allow')
    problems.push('EventBridge cannot assume the forward role for the forward rule');
  if (assume(`arn:aws:events:${region}:${account}:rule/another`, account) === 'allow') {
    problems.push('EventBridge can assume the forward role for any rule');
  }
  if (assume(ruleArn.replace(account, OUTSIDER_ACCOUNT), OUTSIDER_ACCOUNT) === 'allow') {
    problems.push("EventBridge can assume the forward role for another account's rule");
  }
  return [...problems, ...wildcardPrincipalProblems(member)];
};

/**
 * Central mode: the functions that act in members may assume the member role by name in any
 * account, only in the organization (aws:ResourceOrgID), and no other function may call STS;
 * account mode: no function may assume any role.
 */
export const assumeRoleProblems = (account: ResolvedTemplate, central: ResolvedTemplate): string[] => {
  const problems: string[] = [];
  const roleName = String(central.parameters.MemberRoleName);
  const assumes = (fn: ResolvedResource, roleArn: string, org: string) =>
    decide(
      policiesOf(fn).flatMap((policy) => policy.statements),
      { principal: { arn: 'fn' }, action: 'sts:AssumeRole', resource: roleArn, context: { 'aws:ResourceOrgID': org } },
      false,
    ) === 'allow';
  const stsActions = (fn: ResolvedResource) =>
    policiesOf(fn)
      .flatMap((policy) => policy.statements.flatMap((s) => listOf(s.Action).map(String)))
      .filter((action) => action.toLowerCase().startsWith('sts:'));
  for (const fn of ofType(central, 'AWS::Serverless::Function')) {
    if (!MEMBER_ACTING_FUNCTIONS.includes(fn.logicalId)) {
      if (stsActions(fn).length > 0)
        problems.push(`central mode: ${fn.logicalId} may call STS, but never acts in a member account`);
      continue;
    }
    const memberRole = `arn:aws:iam::${MEMBER_ACCOUNT}:role/${roleName}`;
    if (!assumes(fn, memberRole, ORG)) problems.push(`central mode: ${fn.logicalId} cannot assume ${memberRole}`);
    if (assumes(fn, memberRole, OTHER_ORG))
      problems.push(`central mode: ${fn.logicalId} can assume ${memberRole} outside the organization`);
    const other = `arn:aws:iam::${MEMBER_ACCOUNT}:role/Admin`;
    if (assumes(fn, other, ORG)) problems.push(`central mode: ${fn.logicalId} can assume ${other}`);
  }
  for (const fn of ofType(account, 'AWS::Serverless::Function')) {
    if (stsActions(fn).length > 0) problems.push(`account mode: ${fn.logicalId} may call STS`);
  }
  return problems;
};
