import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { functionsOf } from '../../sandbox/template/functions.js';
import { resolveTemplate, type TemplateContext } from '../../sandbox/template/resolve.js';
import { decide, type Principal, type Statement, statementsOf } from './support/iam-policy.js';

const text = readFileSync(join(import.meta.dirname, '..', '..', 'template.yaml'), 'utf8');
const ACCOUNT = '111122223333';
const OTHER = '444455556666';
// CloudFormation's generated names carry a random suffix ("Name type"): the key policy must hold for those.
const ctx: TemplateContext = {
  stackName: 'autopilot',
  account: ACCOUNT,
  region: 'eu-west-1',
  physicalName: (logicalId) => `autopilot-${logicalId}-1QX7W3ZK0ABCD`,
};
const resolved = resolveTemplate(text, ctx);
const key = resolved.resources.DataKey;
const keyArn = String(key?.attributes.Arn);
const policy: Statement[] = statementsOf(key?.properties.KeyPolicy);

/** The key policy's answer for one use of the key by `principal` in `context`. */
const keyDecision = (principal: Principal, action: string, context: Record<string, string>) =>
  decide(policy, { principal, action, resource: keyArn, context }, true);

const rules = functionsOf(resolved).flatMap((fn) => fn.rules);
const ruleArn = (name: string, account = ACCOUNT) => `arn:aws:events:eu-west-1:${account}:rule/${name}`;
const topicArn = String(resolved.resources.NotifyTopic?.ref);
const logGroups = Object.values(resolved.resources).filter((r) => r.type === 'AWS::Logs::LogGroup');
// The log group's ARN in CloudWatch Logs' encryption context has no `:*` (unlike GetAtt Arn).
const logGroupArn = (name: string) => `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:${name}`;

describe('DataKey lets AWS services use it only for this stack', () => {
  it("scopes every service principal's statement by the account and by a source or encryption context", () => {
    const services = policy.filter((statement) => JSON.stringify(statement.Principal).includes('Service'));
    expect(services.map((statement) => statement.Sid)).toEqual([
      'EventBridgeRulesWriteTheDeadLetterQueue',
      'AlarmsAndSnsUseTheKeyForTheTopic',
      'CloudWatchLogsEncryptTheFunctionLogGroups',
    ]);
    for (const statement of services) {
      const condition = JSON.stringify(statement.Condition ?? {});
      // The account: aws:SourceAccount, or an encryption context ARN that names it.
      expect(condition).toContain(ACCOUNT);
      expect(condition).toMatch(/aws:SourceArn|kms:EncryptionContext:/);
      // Named resources of this stack, not the account's every rule, topic or log group.
      expect(condition).toContain('autopilot-');
    }
  });

  it("lets EventBridge use it for the stack's rules, and for no other rule or account", () => {
    expect(rules.map((rule) => rule.ruleName)).toEqual([
      'autopilot-backup-failed',
      'autopilot-copy-failed',
      'autopilot-restore-failed',
      'autopilot-scan-alert',
      'autopilot-backup-completed',
      'autopilot-copy-completed',
    ]);
    const events = { service: 'events.amazonaws.com' };
    for (const rule of rules) {
      for (const action of ['kms:GenerateDataKey', 'kms:Decrypt']) {
        const context = { 'aws:SourceAccount': ACCOUNT, 'aws:SourceArn': ruleArn(rule.ruleName) };
        expect(keyDecision(events, action, context)).toBe('allow');
      }
    }
    const [first] = rules;
    expect(
      keyDecision(events, 'kms:GenerateDataKey', { 'aws:SourceAccount': ACCOUNT, 'aws:SourceArn': ruleArn('other') }),
    ).toBe('implicit');
    expect(
      keyDecision(events, 'kms:GenerateDataKey', {
        'aws:SourceAccount': OTHER,
        'aws:SourceArn': ruleArn(String(first?.ruleName), OTHER),
      }),
    ).toBe('implicit');
    // Without the source ARN in the request, nothing is granted.
    expect(keyDecision(events, 'kms:GenerateDataKey', { 'aws:SourceAccount': ACCOUNT })).toBe('implicit');
  });

  it('lets CloudWatch alarms and SNS use it for the notification topic only', () => {
    expect(topicArn).toBe(`arn:aws:sns:eu-west-1:${ACCOUNT}:autopilot-NotifyTopic-1QX7W3ZK0ABCD`);
    for (const service of ['cloudwatch.amazonaws.com', 'sns.amazonaws.com']) {
      const ours = { 'aws:SourceAccount': ACCOUNT, 'kms:EncryptionContext:aws:sns:topicArn': topicArn };
      expect(keyDecision({ service }, 'kms:GenerateDataKey', ours)).toBe('allow');
      expect(keyDecision({ service }, 'kms:Decrypt', ours)).toBe('allow');
      const otherTopic = { ...ours, 'kms:EncryptionContext:aws:sns:topicArn': topicArn.replace('autopilot-', 'x-') };
      expect(keyDecision({ service }, 'kms:GenerateDataKey', otherTopic)).toBe('implicit');
      expect(keyDecision({ service }, 'kms:GenerateDataKey', { ...ours, 'aws:SourceAccount': OTHER })).toBe('implicit');
    }
  });

  it('lets CloudWatch Logs encrypt the declared log groups, and no other', () => {
    const logs = { service: 'logs.eu-west-1.amazonaws.com' };
    expect(logGroups.map((group) => group.name)).toEqual([
      '/aws/lambda/autopilot-retry-failed-job',
      '/aws/lambda/autopilot-start-copy-job',
      '/aws/lambda/autopilot-post-summary',
    ]);
    for (const group of logGroups) {
      const context = { 'kms:EncryptionContext:aws:logs:arn': logGroupArn(group.name) };
      for (const action of ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey', 'kms:ReEncryptFrom']) {
        expect(keyDecision(logs, action, context)).toBe('allow');
      }
    }
    const another = { 'kms:EncryptionContext:aws:logs:arn': logGroupArn('/aws/lambda/someone-else') };
    expect(keyDecision(logs, 'kms:Encrypt', another)).toBe('implicit');
    // Another Region's CloudWatch Logs is another principal.
    const context = { 'kms:EncryptionContext:aws:logs:arn': logGroupArn(String(logGroups[0]?.name)) };
    expect(keyDecision({ service: 'logs.us-east-1.amazonaws.com' }, 'kms:Encrypt', context)).toBe('implicit');
  });

  it('gives EventBridge Scheduler nothing: schedules use the key through their roles', () => {
    const context = {
      'aws:SourceAccount': ACCOUNT,
      'aws:SourceArn': `arn:aws:scheduler:eu-west-1:${ACCOUNT}:schedule/x`,
    };
    expect(keyDecision({ service: 'scheduler.amazonaws.com' }, 'kms:GenerateDataKey', context)).toBe('implicit');
  });
});

describe("the events DLQ's queue policy", () => {
  const queuePolicy = statementsOf(resolved.resources.EventsDeadLetterQueuePolicy?.properties.PolicyDocument);
  const queueArn = String(resolved.resources.EventsDeadLetterQueue?.attributes.Arn);
  const send = (principal: Principal, context: Record<string, string>) =>
    decide(queuePolicy, { principal, action: 'sqs:SendMessage', resource: queueArn, context }, true);

  it("lets EventBridge send for the stack's rules only, and no service send unscoped", () => {
    for (const rule of rules) {
      const context = { 'aws:SourceAccount': ACCOUNT, 'aws:SourceArn': ruleArn(rule.ruleName) };
      expect(send({ service: 'events.amazonaws.com' }, context)).toBe('allow');
    }
    const other = { 'aws:SourceAccount': ACCOUNT, 'aws:SourceArn': ruleArn('other') };
    expect(send({ service: 'events.amazonaws.com' }, other)).toBe('implicit');
    expect(send({ service: 'scheduler.amazonaws.com' }, { 'aws:SourceAccount': ACCOUNT })).toBe('implicit');
  });
});
