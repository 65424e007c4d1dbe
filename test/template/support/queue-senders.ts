import { mergeGlobals } from '../../../sandbox/template/functions.js';
import type { ResolvedResource, ResolvedTemplate } from '../../../sandbox/template/resolve.js';
import { isRecord } from '../../../shared/objects.js';
import { type Statement, statementsOf } from './iam-policy.js';

/** How a sender reaches a queue: as an AWS service principal for a source resource, or as an IAM role. */
export type SenderIdentity =
  | { readonly kind: 'service'; readonly service: string; readonly sourceArn: string }
  | { readonly kind: 'role'; readonly roleArn: string; readonly statements: readonly Statement[] };

/** Something the template sets up to send messages to an SQS queue. */
export interface Sender {
  /** Where the template configures it, for the test's messages. */
  readonly what: string;
  readonly queueArn: string;
  readonly identity: SenderIdentity;
}

const record = (value: unknown): Record<string, unknown> => (isRecord(value) ? value : {});
const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const isQueueArn = (arn: string | undefined): arn is string => arn?.split(':')[2] === 'sqs';

const ofType = (resolved: ResolvedTemplate, type: string): ResolvedResource[] =>
  Object.values(resolved.resources).filter((resource) => resource.type === type);

/** A declared role's statements: its inline Policies and the AWS::IAM::Policy resources attached to it. */
const roleStatements = (resolved: ResolvedTemplate, role: ResolvedResource): Statement[] => {
  const inline = (Array.isArray(role.properties.Policies) ? role.properties.Policies : []).flatMap((policy) =>
    statementsOf(record(policy).PolicyDocument),
  );
  const attached = [...ofType(resolved, 'AWS::IAM::Policy'), ...ofType(resolved, 'AWS::IAM::RolePolicy')]
    .filter((policy) => {
      const roles = Array.isArray(policy.properties.Roles) ? policy.properties.Roles : [policy.properties.RoleName];
      return roles.includes(role.ref);
    })
    .flatMap((policy) => statementsOf(policy.properties.PolicyDocument));
  // ManagedPolicyArns cannot be read offline: they grant nothing here, so a grant must be in the template.
  return [...inline, ...attached];
};

/** The role a template ARN names, with its statements (none when the template does not declare it). */
const roleByArn = (resolved: ResolvedTemplate, roleArn: string): SenderIdentity => {
  const role = ofType(resolved, 'AWS::IAM::Role').find((resource) => resource.attributes.Arn === roleArn);
  return { kind: 'role', roleArn, statements: role ? roleStatements(resolved, role) : [] };
};

const ruleArn = (resolved: ResolvedTemplate, name: string, bus: string | undefined): string => {
  const { partition, region, account } = resolved.environment;
  // A rule on a custom bus is rule/<bus>/<name> (Service Authorization Reference for EventBridge, "rule").
  const path = bus && bus !== 'default' ? `${bus}/${name}` : name;
  return `arn:${partition}:events:${region}:${account}:rule/${path}`;
};

const events = (service: string, sourceArn: string): SenderIdentity => ({ kind: 'service', service, sourceArn });

/** A function whose code creates schedules names their role and dead-letter queue in its environment. */
const scheduleSenders = (what: string, variables: Record<string, unknown>, resolved: ResolvedTemplate): Sender[] => {
  const roleArn = text(variables.SCHEDULER_ROLE_ARN);
  const queueArn = text(variables.SCHEDULER_DEAD_LETTER_ARN);
  return roleArn && isQueueArn(queueArn)
    ? [{ what: `${what} (schedules its code creates)`, queueArn, identity: roleByArn(resolved, roleArn) }]
    : [];
};

/**
 * What SAM adds to the role it generates for a function (samtranslator: an `sqs:SendMessage` policy
 * for each SQS EventInvokeConfig destination and for an SQS DeadLetterQueue), besides the
 * function's own Policies; SAM policy templates and managed policy names are left out (the SAM
 * tier checks their expansion).
 */
const samFunctionRole = (resolved: ResolvedTemplate, fn: ResolvedResource, props: Record<string, unknown>) => {
  const explicit = text(props.Role);
  if (explicit) return roleByArn(resolved, explicit);
  const { partition, account } = resolved.environment;
  const roleArn = `arn:${partition}:iam::${account}:role/${resolved.generatedName(`${fn.logicalId}Role`, 'AWS::IAM::Role')}`;
  const own = (Array.isArray(props.Policies) ? props.Policies : []).flatMap((policy) =>
    isRecord(policy) && 'Statement' in policy ? statementsOf(policy) : [],
  );
  const destinations = record(record(props.EventInvokeConfig).DestinationConfig);
  const queues = [
    text(record(destinations.OnFailure).Destination),
    text(record(destinations.OnSuccess).Destination),
    text(record(props.DeadLetterQueue).TargetArn),
  ].filter(isQueueArn);
  const added = queues.map((queue) => ({ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: queue }));
  return { kind: 'role' as const, roleArn, statements: [...own, ...added] };
};

/**
 * The senders of SAM's own resource types, before the transform: each AWS::Serverless::Function's
 * EventBridgeRule and Schedule events (EventBridge sends to the DLQ as events.amazonaws.com for the
 * rule), ScheduleV2 events (Scheduler sends with the schedule's role: its RoleArn, else the role SAM
 * generates, which grants lambda:InvokeFunction and sqs:SendMessage only), and the function's own
 * EventInvokeConfig destinations and DeadLetterQueue (Lambda sends with the function's role).
 */
export const samSenders = (resolved: ResolvedTemplate): Sender[] =>
  ofType(resolved, 'AWS::Serverless::Function').flatMap((fn) => {
    const props = record(mergeGlobals(record(resolved.globals.Function), fn.properties));
    const role = samFunctionRole(resolved, fn, props);
    const senders: Sender[] = [];
    const destinations = record(record(props.EventInvokeConfig).DestinationConfig);
    for (const on of ['OnFailure', 'OnSuccess']) {
      const queueArn = text(record(destinations[on]).Destination);
      if (isQueueArn(queueArn))
        senders.push({ what: `${fn.logicalId}.EventInvokeConfig.${on}`, queueArn, identity: role });
    }
    const dlq = text(record(props.DeadLetterQueue).TargetArn);
    if (isQueueArn(dlq)) senders.push({ what: `${fn.logicalId}.DeadLetterQueue`, queueArn: dlq, identity: role });
    for (const [name, event] of Object.entries(record(props.Events))) {
      const type = String(record(event).Type);
      const eventProps = record(record(event).Properties);
      const queueArn = text(record(eventProps.DeadLetterConfig).Arn);
      if (!isQueueArn(queueArn)) continue;
      const what = `${fn.logicalId}.Events.${name} (${type})`;
      if (['EventBridgeRule', 'CloudWatchEvent', 'Schedule'].includes(type)) {
        const ruleName =
          text(eventProps.RuleName) ??
          text(eventProps.Name) ??
          resolved.generatedName(`${fn.logicalId}${name}`, 'AWS::Events::Rule');
        const arn = ruleArn(resolved, ruleName, text(eventProps.EventBusName));
        senders.push({ what, queueArn, identity: events('events.amazonaws.com', arn) });
      } else if (type === 'ScheduleV2') {
        const roleArn = text(eventProps.RoleArn);
        const identity: SenderIdentity = roleArn
          ? roleByArn(resolved, roleArn)
          : {
              kind: 'role',
              roleArn: `(the role SAM generates for ${fn.logicalId}${name})`,
              statements: [
                { Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: fn.attributes.Arn },
                { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: queueArn },
              ],
            };
        senders.push({ what, queueArn, identity });
      }
    }
    senders.push(...scheduleSenders(fn.logicalId, record(record(props.Environment).Variables), resolved));
    return senders;
  });

/** A Lambda function's role, by the function's name or ARN (what EventInvokeConfig's FunctionName holds). */
const lambdaRole = (resolved: ResolvedTemplate, functionName: string): SenderIdentity => {
  const fn = ofType(resolved, 'AWS::Lambda::Function').find(
    (resource) => resource.ref === functionName || resource.attributes.Arn === functionName,
  );
  return roleByArn(resolved, text(fn?.properties.Role) ?? `(the role of ${functionName})`);
};

/**
 * The senders of plain CloudFormation resources (what the SAM transform produces, or what a
 * template declares itself): AWS::Events::Rule targets' DeadLetterConfig, AWS::Scheduler::Schedule
 * targets' DeadLetterConfig with their RoleArn, AWS::Lambda::EventInvokeConfig destinations and an
 * AWS::Lambda::Function's DeadLetterConfig (with the function's Role).
 */
export const cloudFormationSenders = (resolved: ResolvedTemplate): Sender[] => [
  ...ofType(resolved, 'AWS::Events::Rule').flatMap((rule) =>
    (Array.isArray(rule.properties.Targets) ? rule.properties.Targets : []).flatMap((target): Sender[] => {
      const queueArn = text(record(record(target).DeadLetterConfig).Arn);
      const arn = ruleArn(resolved, rule.name, text(rule.properties.EventBusName));
      return isQueueArn(queueArn)
        ? [
            {
              what: `${rule.logicalId} (AWS::Events::Rule)`,
              queueArn,
              identity: events('events.amazonaws.com', arn),
            },
          ]
        : [];
    }),
  ),
  ...ofType(resolved, 'AWS::Scheduler::Schedule').flatMap((schedule): Sender[] => {
    const target = record(schedule.properties.Target);
    const queueArn = text(record(target.DeadLetterConfig).Arn);
    const identity = roleByArn(resolved, text(target.RoleArn) ?? '(no RoleArn)');
    return isQueueArn(queueArn)
      ? [{ what: `${schedule.logicalId} (AWS::Scheduler::Schedule)`, queueArn, identity }]
      : [];
  }),
  ...ofType(resolved, 'AWS::Lambda::EventInvokeConfig').flatMap((config): Sender[] => {
    const destinations = record(config.properties.DestinationConfig);
    const identity = lambdaRole(resolved, String(config.properties.FunctionName));
    return ['OnFailure', 'OnSuccess'].flatMap((on): Sender[] => {
      const queueArn = text(record(destinations[on]).Destination);
      return isQueueArn(queueArn) ? [{ what: `${config.logicalId}.${on}`, queueArn, identity }] : [];
    });
  }),
  ...ofType(resolved, 'AWS::Lambda::Function').flatMap((fn): Sender[] => {
    const queueArn = text(record(fn.properties.DeadLetterConfig).TargetArn);
    const own = isQueueArn(queueArn)
      ? [{ what: `${fn.logicalId}.DeadLetterConfig`, queueArn, identity: lambdaRole(resolved, fn.ref) }]
      : [];
    const variables = record(record(fn.properties.Environment).Variables);
    return [...own, ...scheduleSenders(fn.logicalId, variables, resolved)];
  }),
];
