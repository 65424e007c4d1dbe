import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveTemplate, type TemplateContext } from '../../sandbox/template/resolve.js';
import { tierDoesNotRun } from '../support/tier.js';
import { sendProblems } from './support/queue-access.js';
import { cloudFormationSenders, samSenders } from './support/queue-senders.js';
import { samTransform } from './support/sam-transform.js';

const path = join(import.meta.dirname, '..', '..', 'template.yaml');
const text = readFileSync(path, 'utf8');
const ctx: TemplateContext = { stackName: 'autopilot', account: '111122223333', region: 'eu-west-1' };
const resolved = resolveTemplate(text, ctx);

/** Every sender's target queue and what stops it, by where the template configures it. */
const report = (senders: ReturnType<typeof samSenders>, template = resolved) =>
  senders.map((sender) => ({ what: sender.what, problems: sendProblems(template, sender) }));
const problemsOf = (senders: ReturnType<typeof samSenders>, template = resolved) =>
  report(senders, template).flatMap((entry) => entry.problems);

const DLQ = 'arn:aws:sqs:eu-west-1:111122223333:autopilot-EventsDeadLetterQueue';
const FAILURES = 'arn:aws:sqs:eu-west-1:111122223333:autopilot-InvocationFailureQueue';

describe('every sender of every encrypted queue can use its key (template.yaml as written)', () => {
  const senders = [...samSenders(resolved), ...cloudFormationSenders(resolved)];

  it('finds every rule, schedule and function that sends to a queue', () => {
    expect(senders.map((sender) => [sender.what, sender.queueArn])).toEqual([
      ['RetryFailedJobFunction.EventInvokeConfig.OnFailure', FAILURES],
      ['RetryFailedJobFunction.Events.BackupJobFailed (EventBridgeRule)', DLQ],
      ['RetryFailedJobFunction.Events.CopyJobFailed (EventBridgeRule)', DLQ],
      ['RetryFailedJobFunction.Events.RestoreJobFailed (EventBridgeRule)', DLQ],
      ['RetryFailedJobFunction.Events.ScanJobAlert (EventBridgeRule)', DLQ],
      ['RetryFailedJobFunction.Events.Sweep (ScheduleV2)', DLQ],
      ['RetryFailedJobFunction (schedules its code creates)', DLQ],
      ['StartCopyJobFunction.EventInvokeConfig.OnFailure', FAILURES],
      ['StartCopyJobFunction.Events.BackupJobCompleted (EventBridgeRule)', DLQ],
      ['StartCopyJobFunction.Events.CopyJobCompleted (EventBridgeRule)', DLQ],
      ['StartCopyJobFunction.Events.CopySweep (ScheduleV2)', DLQ],
      ['PostSummaryFunction.EventInvokeConfig.OnFailure', FAILURES],
      ['PostSummaryFunction.Events.Daily (ScheduleV2)', DLQ],
    ]);
    // Both queues are encrypted: the check below is about keys, not only about SendMessage.
    expect(resolved.resources.EventsDeadLetterQueue?.properties.KmsMasterKeyId).toBeTypeOf('string');
    expect(resolved.resources.InvocationFailureQueue?.properties.KmsMasterKeyId).toBeTypeOf('string');
  });

  it('lets each one send (sqs:SendMessage) and use the key (kms:GenerateDataKey, kms:Decrypt)', () => {
    expect(problemsOf(senders)).toEqual([]);
  });
});

describe('the checker itself', () => {
  // A template whose schedule uses SAM's generated role, and whose rule the key policy does not name.
  const broken = `
Transform: AWS::Serverless-2016-10-31
Resources:
  Key:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: { AWS: !Sub "arn:\${AWS::Partition}:iam::\${AWS::AccountId}:root" }
            Action: kms:*
            Resource: "*"
          - Effect: Allow
            Principal: { Service: events.amazonaws.com }
            Action: [kms:Decrypt, kms:GenerateDataKey]
            Resource: "*"
            Condition:
              ArnEquals: { "aws:SourceArn": !Sub "arn:\${AWS::Partition}:events:\${AWS::Region}:\${AWS::AccountId}:rule/other" }
  Queue:
    Type: AWS::SQS::Queue
    Properties: { KmsMasterKeyId: !Ref Key }
  QueuePolicy:
    Type: AWS::SQS::QueuePolicy
    Properties:
      Queues: [!Ref Queue]
      PolicyDocument:
        Statement:
          - Effect: Allow
            Principal: { Service: events.amazonaws.com }
            Action: sqs:SendMessage
            Resource: !GetAtt Queue.Arn
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: fn
      Handler: handler.handler
      Events:
        Hourly:
          Type: ScheduleV2
          Properties: { ScheduleExpression: rate(1 hour), DeadLetterConfig: { Arn: !GetAtt Queue.Arn } }
        Rule:
          Type: EventBridgeRule
          Properties:
            RuleName: mine
            Pattern: { source: [aws.backup] }
            DeadLetterConfig: { Arn: !GetAtt Queue.Arn }
`;

  it("reports a schedule whose role has no use of the key, and a rule the key policy's source ARN leaves out", () => {
    const small = resolveTemplate(broken, ctx);
    expect(report(samSenders(small), small)).toEqual([
      {
        what: 'Fn.Events.Hourly (ScheduleV2)',
        problems: [
          'Fn.Events.Hourly (ScheduleV2) as (the role SAM generates for FnHourly): may not kms:GenerateDataKey on Key, the key of Queue',
          'Fn.Events.Hourly (ScheduleV2) as (the role SAM generates for FnHourly): may not kms:Decrypt on Key, the key of Queue',
        ],
      },
      {
        what: 'Fn.Events.Rule (EventBridgeRule)',
        problems: [
          'Fn.Events.Rule (EventBridgeRule) as events.amazonaws.com: may not kms:GenerateDataKey on Key, the key of Queue',
          'Fn.Events.Rule (EventBridgeRule) as events.amazonaws.com: may not kms:Decrypt on Key, the key of Queue',
        ],
      },
    ]);
    // Naming the rule in the key policy is what lets it through.
    const fixed = resolveTemplate(broken.replace('rule/other', 'rule/mine'), ctx);
    expect(
      problemsOf(
        samSenders(fixed).filter((s) => s.what.includes('Rule')),
        fixed,
      ),
    ).toEqual([]);
  });
});

const sam = samTransform(path, ctx.region);

// The SAM tier needs python3 with cfn-lint (CI and the development machines have both, for
// iam-check.py and npm run validate); without them it says why instead of running.
if (!sam.available) tierDoesNotRun('encrypted-queues: the SAM tier', sam.reason);
describe.runIf(sam.available)('every sender of every encrypted queue can use its key (after the SAM transform)', () => {
  const transformed = sam.available ? resolveTemplate(sam.json, ctx) : resolved;
  const senders = cloudFormationSenders(transformed);

  it("finds SAM's generated rules, schedules and invoke configs", () => {
    expect(senders.map((sender) => sender.what).sort()).toEqual([
      'PostSummaryFunctionDaily (AWS::Scheduler::Schedule)',
      'PostSummaryFunctionEventInvokeConfig.OnFailure',
      'RetryFailedJobFunction (schedules its code creates)',
      'RetryFailedJobFunctionBackupJobFailed (AWS::Events::Rule)',
      'RetryFailedJobFunctionCopyJobFailed (AWS::Events::Rule)',
      'RetryFailedJobFunctionEventInvokeConfig.OnFailure',
      'RetryFailedJobFunctionRestoreJobFailed (AWS::Events::Rule)',
      'RetryFailedJobFunctionScanJobAlert (AWS::Events::Rule)',
      'RetryFailedJobFunctionSweep (AWS::Scheduler::Schedule)',
      'StartCopyJobFunctionBackupJobCompleted (AWS::Events::Rule)',
      'StartCopyJobFunctionCopyJobCompleted (AWS::Events::Rule)',
      'StartCopyJobFunctionCopySweep (AWS::Scheduler::Schedule)',
      'StartCopyJobFunctionEventInvokeConfig.OnFailure',
    ]);
  });

  it('lets each one send and use the key', () => {
    expect(problemsOf(senders, transformed)).toEqual([]);
  });
});
