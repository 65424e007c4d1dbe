import { isRecord } from '../../shared/objects.js';
import type { ResolvedResource, ResolvedTemplate } from './resolve.js';
import { TemplateError } from './template-error.js';

/** An EventBridge rule that targets the function (SAM event type EventBridgeRule, or CloudWatchEvent). */
export interface FunctionRule {
  /** The event's key under the function's Events. */
  readonly name: string;
  /** The rule's physical name. */
  readonly ruleName: string;
  readonly pattern: Record<string, unknown>;
  readonly eventBusName: string;
  readonly state: string;
  /** The target's Input (a JSON text that replaces the event), when set. */
  readonly input?: string;
  readonly inputPath?: string;
  /** EventBridge's delivery retries; absent fields are EventBridge's defaults (185 attempts, 86400 s). */
  readonly retryPolicy?: RetryPolicy;
  readonly deadLetterArn?: string;
}

/** A schedule that targets the function (SAM event types ScheduleV2 and Schedule). */
export interface FunctionSchedule {
  readonly name: string;
  /** `ScheduleV2` (EventBridge Scheduler) or `Schedule` (an EventBridge scheduled rule, always UTC). */
  readonly kind: 'ScheduleV2' | 'Schedule';
  readonly expression: string;
  readonly timezone?: string;
  readonly input?: string;
  readonly retryPolicy?: RetryPolicy;
  readonly deadLetterArn?: string;
  readonly state: string;
  readonly startDate?: string;
  readonly endDate?: string;
  readonly groupName?: string;
}

export interface RetryPolicy {
  readonly maximumRetryAttempts: number;
  readonly maximumEventAgeInSeconds: number;
}

/** One AWS::Serverless::Function as Lambda would run it. */
export interface ResolvedFunction {
  readonly logicalId: string;
  /** `functions/<folder>/handler.ts` -> `<folder>`. */
  readonly folder: string;
  /** The built bundle, relative to the repository root: `dist/<folder>/handler.mjs`. */
  readonly bundle: string;
  /** The export Handler names (`handler.handler` -> `handler`). */
  readonly handlerExport: string;
  readonly handler: string;
  readonly functionName: string;
  readonly arn: string;
  readonly runtime: string;
  readonly architectures: readonly string[];
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  /** The template's variables (Globals merged with the function's), as Lambda stores them: strings. */
  readonly environment: Readonly<Record<string, string>>;
  /** What Lambda itself sets in the function's environment for this configuration. */
  readonly lambdaEnvironment: Readonly<Record<string, string>>;
  readonly logFormat: 'Text' | 'JSON';
  readonly logLevel?: string;
  readonly systemLogLevel?: string;
  readonly asyncRetries: number;
  readonly maxEventAgeSeconds: number;
  readonly onFailureArn?: string;
  readonly onSuccessArn?: string;
  readonly rules: readonly FunctionRule[];
  readonly schedules: readonly FunctionSchedule[];
}

/**
 * SAM's Globals rule ("Globals section of the AWS SAM template", "Overridable"): a resource's
 * primitive replaces the global one, maps merge key by key (recursively, the resource winning), and
 * lists are additive (global entries first).
 */
export const mergeGlobals = (global: unknown, local: unknown): unknown => {
  if (local === undefined) return global;
  if (isRecord(global) && isRecord(local)) {
    const out: Record<string, unknown> = { ...global };
    for (const [key, value] of Object.entries(local)) out[key] = mergeGlobals(global[key], value);
    return out;
  }
  if (Array.isArray(global) && Array.isArray(local)) return [...global, ...local];
  return local;
};

/**
 * Lambda keeps environment values as strings; CloudFormation turns a number or boolean into its text
 * and refuses anything else ("AWS::Lambda::Function Environment": Variables is a map of strings).
 */
const stringify = (owner: string, key: string, value: unknown): string => {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new TemplateError([`${owner}: environment variable ${key} must be a string (got ${JSON.stringify(value)})`]);
};

/**
 * Keys Lambda reserves ("Defined runtime environment variables", Lambda Developer Guide: "Lambda
 * doesn't let you set these"); a function that sets one fails to deploy.
 */
const RESERVED = new Set([
  '_HANDLER',
  '_X_AMZN_TRACE_ID',
  'AWS_DEFAULT_REGION',
  'AWS_REGION',
  'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API',
  'LAMBDA_TASK_ROOT',
  'LAMBDA_RUNTIME_DIR',
]);

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const numberOr = (value: unknown, fallback: number): number => (value === undefined ? fallback : Number(value));
const record = (value: unknown): Record<string, unknown> => (isRecord(value) ? value : {});

/** EventBridge's target retry defaults: "24 hours and up to 185 times" (EventBridge "Event retry policy"). */
const retryPolicyOf = (value: unknown): RetryPolicy => {
  const policy = record(value);
  return {
    maximumRetryAttempts: numberOr(policy.MaximumRetryAttempts, 185),
    maximumEventAgeInSeconds: numberOr(policy.MaximumEventAgeInSeconds, 86400),
  };
};

/**
 * A rule's or schedule's dead-letter queue: its Arn, or the queue SAM creates for `Type: SQS`
 * (logical id QueueLogicalId, else `<Function><Event>Queue`: an assumption, template.yaml always
 * passes Arn).
 */
const deadLetterArnOf = (resolved: ResolvedTemplate, owner: string, value: unknown): string | undefined => {
  const config = record(value);
  if (typeof config.Arn === 'string') return config.Arn;
  if (config.Type !== 'SQS') return undefined;
  const { partition, region, account } = resolved.environment;
  const logicalId = text(config.QueueLogicalId) ?? `${owner}Queue`;
  return `arn:${partition}:sqs:${region}:${account}:${resolved.generatedName(logicalId, 'AWS::SQS::Queue')}`;
};

const rulesOf = (resolved: ResolvedTemplate, fn: ResolvedResource, events: Record<string, unknown>): FunctionRule[] =>
  Object.entries(events)
    .filter(([, event]) => ['EventBridgeRule', 'CloudWatchEvent'].includes(String(record(event).Type)))
    .map(([name, event]) => {
      const props = record(record(event).Properties);
      if (!isRecord(props.Pattern)) throw new TemplateError([`${fn.logicalId}.Events.${name}: Pattern is required`]);
      // SAM names the rule resource <Function><Event> (its generated AWS::Events::Rule).
      const ruleName = text(props.RuleName) ?? resolved.generatedName(`${fn.logicalId}${name}`, 'AWS::Events::Rule');
      const rule: FunctionRule = {
        name,
        ruleName,
        pattern: props.Pattern,
        eventBusName: text(props.EventBusName) ?? 'default',
        state: text(props.State) ?? 'ENABLED',
        retryPolicy: retryPolicyOf(props.RetryPolicy),
      };
      const deadLetterArn = deadLetterArnOf(resolved, `${fn.logicalId}${name}`, props.DeadLetterConfig);
      return {
        ...rule,
        ...(text(props.Input) === undefined ? {} : { input: text(props.Input) }),
        ...(text(props.InputPath) === undefined ? {} : { inputPath: text(props.InputPath) }),
        ...(deadLetterArn ? { deadLetterArn } : {}),
      };
    });

const schedulesOf = (
  resolved: ResolvedTemplate,
  fn: ResolvedResource,
  events: Record<string, unknown>,
): FunctionSchedule[] =>
  Object.entries(events)
    .filter(([, event]) => ['ScheduleV2', 'Schedule'].includes(String(record(event).Type)))
    .map(([name, event]) => {
      const kind = String(record(event).Type) as 'ScheduleV2' | 'Schedule';
      const props = record(record(event).Properties);
      const expression = text(kind === 'ScheduleV2' ? props.ScheduleExpression : props.Schedule);
      if (!expression) throw new TemplateError([`${fn.logicalId}.Events.${name}: the schedule expression is required`]);
      // Schedule (an EventBridge rule) has Enabled or State; ScheduleV2 has State (default ENABLED).
      const state = text(props.State) ?? (props.Enabled === false ? 'DISABLED' : 'ENABLED');
      const deadLetterArn = deadLetterArnOf(resolved, `${fn.logicalId}${name}`, props.DeadLetterConfig);
      const optional: Record<string, string | undefined> = {
        timezone: kind === 'ScheduleV2' ? text(props.ScheduleExpressionTimezone) : undefined,
        input: text(props.Input),
        deadLetterArn,
        startDate: text(props.StartDate),
        endDate: text(props.EndDate),
        groupName: text(props.GroupName),
      };
      return {
        name,
        kind,
        expression,
        state,
        retryPolicy: retryPolicyOf(props.RetryPolicy),
        ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined)),
      };
    });

/** The function's folder and bundle, from its single esbuild entry point (as scripts/build.mjs builds it). */
const bundleOf = (fn: ResolvedResource): { folder: string; bundle: string } => {
  const build = record(fn.metadata.BuildProperties);
  const entry = Array.isArray(build.EntryPoints) ? text(build.EntryPoints[0]) : undefined;
  const match = entry ? /^functions\/([^/]+)\/([^/]+)\.ts$/.exec(entry) : null;
  if (!match) {
    throw new TemplateError([
      `${fn.logicalId}: Metadata.BuildProperties.EntryPoints must be [functions/<name>/<file>.ts]`,
    ]);
  }
  const outExtension = Array.isArray(build.OutExtension)
    ? build.OutExtension.map(String)
        .find((item) => item.startsWith('.js='))
        ?.slice('.js='.length)
    : undefined;
  return { folder: match[1] as string, bundle: `dist/${match[1]}/${match[2]}${outExtension ?? '.js'}` };
};

/**
 * Every AWS::Serverless::Function of a resolved template, as Lambda would configure it: Globals
 * merged, Lambda's defaults where the template is silent (Timeout 3 s, MemorySize 128 MB,
 * architecture x86_64, log format Text; EventInvokeConfig 2 retries and 21600 s, "Asynchronous
 * invocation" page), its EventBridge rules and its schedules.
 */
export const functionsOf = (resolved: ResolvedTemplate): ResolvedFunction[] =>
  Object.values(resolved.resources)
    .filter((resource) => resource.type === 'AWS::Serverless::Function')
    .map((fn) => {
      const props = record(mergeGlobals(record(resolved.globals.Function), fn.properties));
      const handler = text(props.Handler) ?? '';
      const dot = handler.lastIndexOf('.');
      if (dot <= 0) throw new TemplateError([`${fn.logicalId}: Handler must be <file>.<export> (got ${handler})`]);
      const variables = record(record(props.Environment).Variables);
      const environment = Object.fromEntries(
        Object.entries(variables).map(([key, value]) => [key, stringify(fn.logicalId, key, value)]),
      );
      const reserved = Object.keys(environment).filter((key) => RESERVED.has(key));
      if (reserved.length > 0) {
        throw new TemplateError([`${fn.logicalId}: Lambda reserves the environment variables ${reserved.join(', ')}`]);
      }
      const logging = record(props.LoggingConfig);
      const logFormat = text(logging.LogFormat) === 'JSON' ? 'JSON' : 'Text';
      // "Log-level filtering is only available for JSON logs"; both levels default to INFO then
      // (Lambda Developer Guide, "Configuring advanced logging controls").
      const logLevel = logFormat === 'JSON' ? (text(logging.ApplicationLogLevel) ?? 'INFO') : undefined;
      const systemLogLevel = logFormat === 'JSON' ? (text(logging.SystemLogLevel) ?? 'INFO') : undefined;
      const invoke = record(props.EventInvokeConfig);
      const destinations = record(invoke.DestinationConfig);
      const onFailureArn = text(record(destinations.OnFailure).Destination);
      const onSuccessArn = text(record(destinations.OnSuccess).Destination);
      const runtime = text(props.Runtime) ?? '';
      const memoryMb = numberOr(props.MemorySize, 128);
      const functionName = fn.name;
      const events = record(props.Events);
      const lambdaEnvironment: Record<string, string> = {
        AWS_REGION: resolved.environment.region,
        AWS_DEFAULT_REGION: resolved.environment.region,
        AWS_EXECUTION_ENV: `AWS_Lambda_${runtime}`,
        AWS_LAMBDA_FUNCTION_NAME: functionName,
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(memoryMb),
        AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
        AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
        AWS_LAMBDA_LOG_GROUP_NAME: text(logging.LogGroup) ?? `/aws/lambda/${functionName}`,
        AWS_LAMBDA_LOG_FORMAT: logFormat,
        ...(logLevel ? { AWS_LAMBDA_LOG_LEVEL: logLevel } : {}),
        _HANDLER: handler,
        TZ: ':UTC',
      };
      return {
        logicalId: fn.logicalId,
        ...bundleOf(fn),
        handler,
        handlerExport: handler.slice(dot + 1),
        functionName,
        arn: fn.attributes.Arn as string,
        runtime,
        architectures: Array.isArray(props.Architectures) ? props.Architectures.map(String) : ['x86_64'],
        timeoutSeconds: numberOr(props.Timeout, 3),
        memoryMb,
        environment,
        lambdaEnvironment,
        logFormat,
        ...(logLevel ? { logLevel } : {}),
        ...(systemLogLevel ? { systemLogLevel } : {}),
        asyncRetries: numberOr(invoke.MaximumRetryAttempts, 2),
        maxEventAgeSeconds: numberOr(invoke.MaximumEventAgeInSeconds, 21600),
        ...(onFailureArn ? { onFailureArn } : {}),
        ...(onSuccessArn ? { onSuccessArn } : {}),
        rules: rulesOf(resolved, fn, events),
        schedules: schedulesOf(resolved, fn, events),
      };
    });
