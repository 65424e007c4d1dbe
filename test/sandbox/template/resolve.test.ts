import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { functionsOf } from '../../../sandbox/template/functions.js';
import { resolveTemplate, type TemplateContext } from '../../../sandbox/template/resolve.js';
import { TemplateError } from '../../../sandbox/template/template-error.js';

const text = readFileSync(join(import.meta.dirname, '..', '..', '..', 'template.yaml'), 'utf8');
const ctx: TemplateContext = { stackName: 'autopilot', account: '111122223333', region: 'eu-west-1' };
const fnOf = (logicalId: string, overrides?: Record<string, string>) => {
  const found = functionsOf(resolveTemplate(text, { ...ctx, parameterOverrides: overrides })).find(
    (fn) => fn.logicalId === logicalId,
  );
  if (!found) throw new Error(`no ${logicalId}`);
  return found;
};
const errorOf = (run: () => unknown): TemplateError => {
  try {
    run();
  } catch (error) {
    if (error instanceof TemplateError) return error;
    throw error;
  }
  throw new Error('no TemplateError');
};

describe('resolveTemplate on the real template.yaml', () => {
  it('gives resources deterministic physical ids and per-service ARNs', () => {
    const { resources } = resolveTemplate(text, ctx);
    expect(resources.LedgerTable?.ref).toBe('autopilot-LedgerTable');
    expect(resources.LedgerTable?.attributes.Arn).toBe(
      'arn:aws:dynamodb:eu-west-1:111122223333:table/autopilot-LedgerTable',
    );
    expect(resources.NotifyTopic?.ref).toBe('arn:aws:sns:eu-west-1:111122223333:autopilot-NotifyTopic');
    expect(resources.EventsDeadLetterQueue?.attributes).toEqual({
      Arn: 'arn:aws:sqs:eu-west-1:111122223333:autopilot-EventsDeadLetterQueue',
      QueueName: 'autopilot-EventsDeadLetterQueue',
      QueueUrl: 'https://sqs.eu-west-1.amazonaws.com/111122223333/autopilot-EventsDeadLetterQueue',
    });
    expect(resources.DataKey?.attributes.Arn).toMatch(
      /^arn:aws:kms:eu-west-1:111122223333:key\/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(resources.RetrySchedulerRole?.attributes.Arn).toBe(
      'arn:aws:iam::111122223333:role/autopilot-RetrySchedulerRole',
    );
    // Explicit names are honoured.
    expect(resources.RetryScheduleGroup?.ref).toBe('autopilot-retries');
    expect(resources.PostSummaryFunction?.attributes.Arn).toBe(
      'arn:aws:lambda:eu-west-1:111122223333:function:autopilot-post-summary',
    );
    expect(resources.DataKeyAlias?.ref).toBe('alias/autopilot-data');
    // A log group's Ref is its name; its Arn ends in :* (AWS::Logs::LogGroup, "Return values").
    expect(resources.RetryFailedJobLogGroup?.ref).toBe('/aws/lambda/autopilot-retry-failed-job');
    expect(resources.RetryFailedJobLogGroup?.attributes.Arn).toBe(
      'arn:aws:logs:eu-west-1:111122223333:log-group:/aws/lambda/autopilot-retry-failed-job:*',
    );
  });

  it('leaves out resources whose Condition is false, and resolves Fn::Sub inside policies', () => {
    const resolved = resolveTemplate(text, ctx);
    // The central bus and its policy exist in DeploymentMode central only.
    expect(resolved.omitted).toEqual(['NotifyTopicEmail', 'CentralEventBus', 'CentralEventBusPolicy']);
    expect(resolved.conditions).toMatchObject({ HasAlarmEmail: false, PostSummarySlackInSsm: false });
    const withEmail = resolveTemplate(text, { ...ctx, parameterOverrides: { AlarmEmail: 'ops@example.com' } });
    expect(withEmail.resources.NotifyTopicEmail?.properties).toEqual({
      TopicArn: 'arn:aws:sns:eu-west-1:111122223333:autopilot-NotifyTopic',
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    });
    expect(JSON.stringify(resolved.resources.PostSummaryFunction?.properties)).toContain(
      '"arn:aws:dynamodb:eu-west-1:111122223333:table/autopilot-LedgerTable/index/byDay"',
    );
    expect(resolved.outputs).toEqual({
      NotifyTopicArn: 'arn:aws:sns:eu-west-1:111122223333:autopilot-NotifyTopic',
      LedgerTableName: 'autopilot-LedgerTable',
    });
  });

  it('removes the policy statements an Fn::If resolves to AWS::NoValue, and keeps the chosen one', () => {
    const statements = (overrides?: Record<string, string>) => {
      const { resources } = resolveTemplate(text, { ...ctx, parameterOverrides: overrides });
      const policies = resources.PostSummaryFunction?.properties.Policies as { Statement: { Action: unknown }[] }[];
      return policies[0]?.Statement.map((statement) => statement.Action) ?? [];
    };
    expect(statements()).not.toContain('ssm:GetParameter');
    expect(statements()).not.toContain('secretsmanager:GetSecretValue');
    const ssm = resolveTemplate(text, {
      ...ctx,
      parameterOverrides: { PostSummarySlackWebhookSecret: 'ssm:/chat/slack' },
    });
    const policies = ssm.resources.PostSummaryFunction?.properties.Policies as {
      Statement: Record<string, unknown>[];
    }[];
    expect(policies[0]?.Statement.find((statement) => statement.Action === 'ssm:GetParameter')?.Resource).toBe(
      'arn:aws:ssm:eu-west-1:111122223333:parameter/chat/slack',
    );
  });

  it('honours partition and a physicalName callback', () => {
    const resolved = resolveTemplate(text, {
      ...ctx,
      partition: 'aws-cn',
      region: 'cn-north-1',
      physicalName: (logicalId) => `x-${logicalId.toLowerCase()}`,
    });
    expect(resolved.resources.NotifyTopic?.ref).toBe('arn:aws-cn:sns:cn-north-1:111122223333:x-notifytopic');
    expect(resolved.resources.EventsDeadLetterQueue?.attributes.QueueUrl).toBe(
      'https://sqs.cn-north-1.amazonaws.com.cn/111122223333/x-eventsdeadletterqueue',
    );
    // An explicit name still wins over the callback.
    expect(resolved.resources.RetryScheduleGroup?.ref).toBe('autopilot-retries');
  });
});

describe('parameters', () => {
  it('uses defaults, and overrides replace them', () => {
    expect(resolveTemplate(text, ctx).parameters).toMatchObject({
      RetryMaxAttempts: '3',
      RetryStates: 'FAILED,EXPIRED',
      StartCopyJobCopyRoleArns: [''],
    });
    const resolved = resolveTemplate(text, {
      ...ctx,
      parameterOverrides: {
        RetryMaxAttempts: '10',
        StartCopyJobCopyRoleArns: 'arn:aws:iam::111122223333:role/a, arn:aws:iam::111122223333:role/b',
      },
    });
    expect(resolved.parameters.RetryMaxAttempts).toBe('10');
    // CommaDelimitedList members are space trimmed (CloudFormation Parameters page).
    expect(resolved.parameters.StartCopyJobCopyRoleArns).toEqual([
      'arn:aws:iam::111122223333:role/a',
      'arn:aws:iam::111122223333:role/b',
    ]);
    expect(resolved.conditions.StartCopyJobHasCopyRoleArns).toBe(true);
  });

  it('collects every bad value and unknown parameter into one error naming each', () => {
    const error = errorOf(() =>
      resolveTemplate(text, {
        ...ctx,
        parameterOverrides: { RetryMaxAttempts: '11', RetryStates: 'NOPE', Bogus: 'x', LogLevel: 'TRACE' },
      }),
    );
    expect(error.problems).toEqual([
      'Parameters: [Bogus] do not exist in the template',
      `Parameter 'LogLevel' must be one of AllowedValues (DEBUG, INFO, WARN, ERROR) (got "TRACE")`,
      `Parameter 'RetryMaxAttempts' must be a number not greater than 10 (got "11")`,
      `Parameter 'RetryStates' failed to satisfy constraint: must list FAILED, EXPIRED, ABORTED or PARTIAL, comma-separated, each at most once (got "NOPE")`,
    ]);
    expect(error.message).toContain('RetryMaxAttempts');
    expect(error.name).toBe('TemplateError');
  });

  it('checks Type Number, MinValue, MinLength/MaxLength, ConstraintDescription and missing values', () => {
    const template = `
Parameters:
  Count: { Type: Number, MinValue: 1 }
  Name: { Type: String, MinLength: 3, MaxLength: 4, ConstraintDescription: three or four characters }
  Ids: { Type: List<Number>, Default: "1,x" }
  Required: { Type: String }
Resources: {}
`;
    const error = errorOf(() => resolveTemplate(template, { ...ctx, parameterOverrides: { Count: '0', Name: 'ab' } }));
    expect(error.problems).toEqual([
      `Parameter 'Count' must be a number not less than 1 (got "0")`,
      `Parameter 'Name' failed to satisfy constraint: three or four characters (got "ab")`,
      `Parameter 'Ids' must be a number (got "1,x")`,
      'Parameters: [Required] must have values',
    ]);
    expect(errorOf(() => resolveTemplate(template, { ...ctx, parameterOverrides: { Count: 'two' } })).problems[0]).toBe(
      `Parameter 'Count' must be a number (got "two")`,
    );
  });
});

describe('functionsOf on the real template.yaml', () => {
  it("gives the retry function the template's environment, with resources' physical ids", () => {
    const retry = fnOf('RetryFailedJobFunction');
    expect(retry).toMatchObject({
      folder: 'retry-failed-job',
      bundle: 'dist/retry-failed-job/handler.mjs',
      handler: 'handler.handler',
      handlerExport: 'handler',
      functionName: 'autopilot-retry-failed-job',
      arn: 'arn:aws:lambda:eu-west-1:111122223333:function:autopilot-retry-failed-job',
      runtime: 'nodejs24.x',
      architectures: ['arm64'],
      timeoutSeconds: 300,
      memoryMb: 256,
      logFormat: 'JSON',
      logLevel: 'INFO',
      systemLogLevel: 'WARN',
      asyncRetries: 2,
      maxEventAgeSeconds: 21600,
      onFailureArn: 'arn:aws:sqs:eu-west-1:111122223333:autopilot-InvocationFailureQueue',
    });
    expect(retry.environment).toEqual({
      POWERTOOLS_METRICS_NAMESPACE: 'BackupAutopilot',
      DRY_RUN: 'false',
      NOTIFY_TOPIC_ARN: 'arn:aws:sns:eu-west-1:111122223333:autopilot-NotifyTopic',
      // MEMBER_ROLE_NAME and ORGANIZATION_ID are set in central mode only.
      DEPLOYMENT_MODE: 'account',
      POWERTOOLS_SERVICE_NAME: 'retry-failed-job',
      LEDGER_TABLE_NAME: 'autopilot-LedgerTable',
      RETRY_MAX_ATTEMPTS: '3',
      RETRY_STATES: 'FAILED,EXPIRED',
      RETRY_BACKOFF_MINUTES: '30',
      RETRY_SKIP_IF_NEXT_RUN_WITHIN_HOURS: '6',
      RETRY_COPY_JOBS: 'true',
      RETRY_INCLUDE_ACCOUNTS: '',
      ALERT_MUTE: '',
      SCHEDULER_GROUP_NAME: 'autopilot-retries',
      SCHEDULER_ROLE_ARN: 'arn:aws:iam::111122223333:role/autopilot-RetrySchedulerRole',
      SCHEDULER_DEAD_LETTER_ARN: 'arn:aws:sqs:eu-west-1:111122223333:autopilot-EventsDeadLetterQueue',
      RETRY_SWEEP_SET_ASIDE_AFTER: '3',
      RETRY_SWEEP_ORGANIZATION: 'false',
    });
    expect(retry.lambdaEnvironment).toMatchObject({
      AWS_LAMBDA_LOG_FORMAT: 'JSON',
      AWS_LAMBDA_LOG_LEVEL: 'INFO',
      AWS_LAMBDA_FUNCTION_NAME: 'autopilot-retry-failed-job',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
      AWS_REGION: 'eu-west-1',
    });
  });

  it("resolves the rules' patterns and the schedules' expressions and inputs", () => {
    const retry = fnOf('RetryFailedJobFunction');
    expect(retry.rules.map((rule) => rule.name)).toEqual([
      'BackupJobFailed',
      'CopyJobFailed',
      'RestoreJobFailed',
      'ScanJobAlert',
    ]);
    // Restore events say `status`, not `state` (events/restore-job.failed.json).
    expect(retry.rules[2]).toMatchObject({
      ruleName: 'autopilot-restore-failed',
      pattern: { 'detail-type': ['Restore Job State Change'], detail: { status: ['FAILED'] } },
      retryPolicy: { maximumRetryAttempts: 185, maximumEventAgeInSeconds: 86400 },
      deadLetterArn: 'arn:aws:sqs:eu-west-1:111122223333:autopilot-EventsDeadLetterQueue',
    });
    // A failed scan, or a finished one that found threats ($or of two field sets).
    expect(retry.rules[3]).toMatchObject({
      ruleName: 'autopilot-scan-alert',
      pattern: {
        'detail-type': ['Scan Job State Change'],
        detail: {
          $or: [
            { state: ['FAILED'] },
            { state: ['COMPLETED', 'COMPLETED_WITH_ISSUES'], scanResult: { scanResultStatus: ['THREATS_FOUND'] } },
          ],
        },
      },
      deadLetterArn: 'arn:aws:sqs:eu-west-1:111122223333:autopilot-EventsDeadLetterQueue',
    });
    expect(retry.rules[0]).toEqual({
      name: 'BackupJobFailed',
      ruleName: 'autopilot-backup-failed',
      pattern: {
        account: ['111122223333'],
        source: ['aws.backup'],
        'detail-type': ['Backup Job State Change'],
        detail: { state: ['FAILED', 'EXPIRED'] },
      },
      eventBusName: 'default',
      state: 'ENABLED',
      retryPolicy: { maximumRetryAttempts: 185, maximumEventAgeInSeconds: 86400 },
      deadLetterArn: 'arn:aws:sqs:eu-west-1:111122223333:autopilot-EventsDeadLetterQueue',
    });
    expect(retry.schedules).toEqual([
      {
        name: 'Sweep',
        kind: 'ScheduleV2',
        expression: 'rate(1 hour)',
        state: 'ENABLED',
        input: '{"source":"backup-autopilot","action":"sweep"}',
        retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 3600 },
        deadLetterArn: 'arn:aws:sqs:eu-west-1:111122223333:autopilot-EventsDeadLetterQueue',
      },
    ]);
    expect(fnOf('PostSummaryFunction').schedules[0]?.expression).toBe('cron(0 8 * * ? *)');
  });

  it('follows overrides into environments and patterns', () => {
    const retry = fnOf('RetryFailedJobFunction', { RetryStates: 'FAILED,ABORTED,PARTIAL', RetryMaxAttempts: '5' });
    expect(retry.environment.RETRY_MAX_ATTEMPTS).toBe('5');
    expect(retry.rules[0]?.pattern).toMatchObject({ detail: { state: ['FAILED', 'ABORTED', 'PARTIAL'] } });
    expect(fnOf('PostSummaryFunction', { LogLevel: 'DEBUG' }).lambdaEnvironment.AWS_LAMBDA_LOG_LEVEL).toBe('DEBUG');
  });

  it('gives the copy function COPY_RULES and no COPY_RULES_PARAMETER by default, and the reverse with one', () => {
    const copy = fnOf('StartCopyJobFunction');
    expect(copy.environment.COPY_RULES).toBe('[]');
    expect(copy.environment).not.toHaveProperty('COPY_RULES_PARAMETER');
    expect(copy.environment).not.toHaveProperty('ACCOUNT_ID');
    expect(copy.environment.DEFAULT_COPY_ROLE_ARN).toBe(
      'arn:aws:iam::111122223333:role/service-role/AWSBackupDefaultServiceRole',
    );
    const fromSsm = fnOf('StartCopyJobFunction', { StartCopyJobCopyRulesParameterName: '/autopilot/rules' });
    expect(fromSsm.environment).not.toHaveProperty('COPY_RULES');
    expect(fromSsm.environment.COPY_RULES_PARAMETER).toBe('/autopilot/rules');
  });

  it('drops the summary variables an Fn::If sets to AWS::NoValue', () => {
    const summary = fnOf('PostSummaryFunction');
    expect(Object.keys(summary.environment)).not.toContain('SUMMARY_REGIONS');
    expect(summary.environment.SUMMARY_WINDOW_HOURS).toBe('24');
    expect(fnOf('PostSummaryFunction', { PostSummaryRegions: 'eu-west-1,us-east-1' }).environment.SUMMARY_REGIONS).toBe(
      'eu-west-1,us-east-1',
    );
  });
});
