import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTemplate } from '../../sandbox/template/parse.js';
import { tierDoesNotRun } from '../support/tier.js';
import { samTransform } from './support/sam-transform.js';
import {
  DATA_TYPES,
  dataResourceProblems,
  type RawTemplate,
  wildcardPrincipalProblems,
  wildcardPrincipals,
} from './support/template-checks.js';

const path = join(import.meta.dirname, '..', '..', 'template.yaml');
const raw = readTemplate(readFileSync(path, 'utf8')) as unknown as RawTemplate;
const KEY = 'DataKey';
type Resource = Record<string, unknown> & { Properties: Record<string, unknown> };
const copy = () => structuredClone(raw) as unknown as { Resources: Record<string, Resource> };
const typesOf = (template: RawTemplate) => Object.values(template.Resources).map((r) => String(r.Type));

describe('data in template.yaml: encrypted, kept as designed, retained', () => {
  it('holds the resources the checks are about', () => {
    const types = typesOf(raw);
    for (const type of [...DATA_TYPES, 'AWS::SNS::Topic']) expect(types).toContain(type);
  });

  it('encrypts every topic, queue, table and log group with DataKey, keeps their data as designed, and retains them and the key', () => {
    expect(dataResourceProblems(raw, KEY)).toEqual([]);
  });

  it('lets SAM create no queue of its own (every DeadLetterConfig names a declared queue by Arn)', () => {
    const events = Object.entries(raw.Resources).flatMap(([id, resource]) =>
      Object.entries(
        ((resource.Properties as Resource['Properties'] | undefined)?.Events ?? {}) as Record<string, Resource>,
      )
        .filter(([, event]) => event.Properties?.DeadLetterConfig !== undefined)
        .map(([name, event]) => [`${id}.${name}`, Object.keys(event.Properties.DeadLetterConfig as object)]),
    );
    expect(events.length).toBeGreaterThan(0);
    for (const [, keys] of events) expect(keys).toEqual(['Arn']);
  });

  it('has no wildcard principal anywhere, or only one a condition scopes', () => {
    expect(wildcardPrincipalProblems(raw)).toEqual([]);
    // Every wildcard principal there is names the key that scopes it (issue 21's central bus policy
    // admits the organization through aws:PrincipalOrgID, for example).
    for (const found of wildcardPrincipals(raw)) expect(found.scopedBy.length).toBeGreaterThan(0);
  });
});

const sam = samTransform(path, 'eu-west-1');
if (!sam.available) tierDoesNotRun('data-resources: the SAM tier', sam.reason);
describe.runIf(sam.available)('the same, after the SAM transform (what CloudFormation deploys)', () => {
  const transformed = (sam.available ? JSON.parse(sam.json) : raw) as RawTemplate;

  it('adds no data-holding resource that escapes the checks, and no wildcard principal', () => {
    expect(dataResourceProblems(transformed, KEY)).toEqual([]);
    expect(wildcardPrincipalProblems(transformed)).toEqual([]);
    // SAM's Lambda permissions name their principal service and source (events, scheduler).
    expect(typesOf(transformed)).toContain('AWS::Lambda::Permission');
  });
});

describe('the checks themselves, on broken copies of template.yaml', () => {
  it.each([
    {
      case: 'a queue without DeletionPolicy',
      edit: (r: Record<string, Resource>) => delete r.EventsDeadLetterQueue?.DeletionPolicy,
      problem: 'EventsDeadLetterQueue (AWS::SQS::Queue): DeletionPolicy must be Retain',
    },
    {
      case: 'a table replaced without being kept',
      edit: (r: Record<string, Resource>) => delete r.LedgerTable?.UpdateReplacePolicy,
      problem: 'LedgerTable (AWS::DynamoDB::Table): UpdateReplacePolicy must be Retain',
    },
    {
      case: 'the key deleted with the stack',
      edit: (r: Record<string, Resource>) => {
        (r.DataKey as Resource).DeletionPolicy = 'Delete';
      },
      problem: 'DataKey (AWS::KMS::Key): DeletionPolicy must be Retain',
    },
    {
      case: 'a topic under an AWS managed key',
      edit: (r: Record<string, Resource>) => {
        (r.NotifyTopic as Resource).Properties.KmsMasterKeyId = 'alias/aws/sns';
      },
      problem: 'NotifyTopic (AWS::SNS::Topic): must be encrypted with DataKey',
    },
    {
      case: 'a table with default encryption',
      edit: (r: Record<string, Resource>) => delete (r.LedgerTable as Resource).Properties.SSESpecification,
      problem: 'LedgerTable (AWS::DynamoDB::Table): must be encrypted with DataKey',
    },
    {
      case: 'a log group without a key',
      edit: (r: Record<string, Resource>) => delete (r.PostSummaryLogGroup as Resource).Properties.KmsKeyId,
      problem: 'PostSummaryLogGroup (AWS::Logs::LogGroup): must be encrypted with DataKey',
    },
    {
      case: 'a queue keeping messages 4 days (the SQS default)',
      edit: (r: Record<string, Resource>) =>
        delete (r.InvocationFailureQueue as Resource).Properties.MessageRetentionPeriod,
      problem: 'InvocationFailureQueue: MessageRetentionPeriod must be 1209600',
    },
    {
      case: 'a log group that never expires',
      edit: (r: Record<string, Resource>) => delete (r.RetryFailedJobLogGroup as Resource).Properties.RetentionInDays,
      problem: 'RetryFailedJobLogGroup: RetentionInDays must be set',
    },
    {
      case: 'a ledger without point-in-time recovery',
      edit: (r: Record<string, Resource>) =>
        delete (r.LedgerTable as Resource).Properties.PointInTimeRecoverySpecification,
      problem: 'LedgerTable: PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled must be true',
    },
  ])('reports $case', ({ edit, problem }) => {
    const broken = copy();
    edit(broken.Resources);
    const problems = dataResourceProblems(broken as unknown as RawTemplate, KEY);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(problem);
  });

  /** template.yaml with one more statement in the DLQ's policy. */
  const withQueueStatement = (statement: Record<string, unknown>) => {
    const broken = copy();
    const document = (broken.Resources.EventsDeadLetterQueuePolicy as Resource).Properties.PolicyDocument as {
      Statement: unknown[];
    };
    document.Statement.push(statement);
    return broken as unknown as RawTemplate;
  };
  const send = { Sid: 'Open', Effect: 'Allow', Action: 'sqs:SendMessage', Resource: '*' };

  it.each([
    { case: 'Principal "*"', principal: '*' },
    { case: 'Principal {AWS: "*"}', principal: { AWS: '*' } },
    { case: 'Principal {AWS: ["*"]}', principal: { AWS: ['arn:aws:iam::111122223333:root', '*'] } },
  ])('reports an unscoped $case', ({ principal }) => {
    expect(wildcardPrincipalProblems(withQueueStatement({ ...send, Principal: principal }))).toEqual([
      'EventsDeadLetterQueuePolicy.Properties.PolicyDocument.Statement[1]: a wildcard principal with no condition scoping it (aws:PrincipalOrgID, aws:PrincipalAccount, aws:SourceAccount, aws:SourceArn, aws:SourceOrgID)',
    ]);
  });

  it.each([
    { case: 'a condition on another key', condition: { Bool: { 'aws:SecureTransport': 'true' } } },
    { case: 'an ...IfExists condition', condition: { StringEqualsIfExists: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } },
    { case: 'a wildcard value', condition: { StringLike: { 'aws:PrincipalOrgID': '*' } } },
  ])('reports a wildcard principal under $case', ({ condition }) => {
    const template = withQueueStatement({ ...send, Principal: '*', Condition: condition });
    expect(wildcardPrincipalProblems(template)).toHaveLength(1);
  });

  it('accepts a wildcard principal that aws:PrincipalOrgID scopes, and says so', () => {
    const template = withQueueStatement({
      ...send,
      Principal: '*',
      Condition: { StringEquals: { 'aws:PrincipalOrgID': { Ref: 'OrganizationId' } } },
    });
    expect(wildcardPrincipalProblems(template)).toEqual([]);
    expect(wildcardPrincipals(template)).toContainEqual({
      where: 'EventsDeadLetterQueuePolicy.Properties.PolicyDocument.Statement[1]',
      scopedBy: ['aws:PrincipalOrgID'],
    });
  });

  it('reports a Lambda permission open to every account', () => {
    const broken = copy();
    broken.Resources.OpenInvoke = {
      Type: 'AWS::Lambda::Permission',
      Properties: { Action: 'lambda:InvokeFunction', FunctionName: { Ref: 'PostSummaryFunction' }, Principal: '*' },
    };
    expect(wildcardPrincipalProblems(broken as unknown as RawTemplate)).toEqual([
      'OpenInvoke.Properties: a wildcard principal with no condition scoping it (aws:PrincipalOrgID, aws:PrincipalAccount, aws:SourceAccount, aws:SourceArn, aws:SourceOrgID)',
    ]);
  });
});
