import type { ResolvedResource, ResolvedTemplate } from '../../../sandbox/template/resolve.js';
import { isRecord } from '../../../shared/objects.js';
import { decide, type Principal, type Request, type Statement, statementsOf } from './iam-policy.js';
import type { Sender } from './queue-senders.js';

const ofType = (resolved: ResolvedTemplate, type: string): ResolvedResource[] =>
  Object.values(resolved.resources).filter((resource) => resource.type === type);

/** The declared queue with this ARN. */
export const queueByArn = (resolved: ResolvedTemplate, arn: string): ResolvedResource | undefined =>
  ofType(resolved, 'AWS::SQS::Queue').find((queue) => queue.attributes.Arn === arn);

/**
 * The declared key a queue's KmsMasterKeyId names: a key id or ARN (Ref or GetAtt of an
 * AWS::KMS::Key), or an alias the template declares ("AWS::SQS::Queue KmsMasterKeyId").
 */
export const keyOf = (resolved: ResolvedTemplate, keyId: string): ResolvedResource | undefined => {
  const keys = ofType(resolved, 'AWS::KMS::Key');
  const direct = keys.find((key) => key.ref === keyId || key.attributes.Arn === keyId);
  if (direct) return direct;
  const alias = ofType(resolved, 'AWS::KMS::Alias').find((candidate) => candidate.properties.AliasName === keyId);
  const target = alias?.properties.TargetKeyId;
  return keys.find((key) => key.ref === target || key.attributes.Arn === target);
};

/** The statements of every AWS::SQS::QueuePolicy that covers the queue (Queues lists queue URLs). */
const queuePolicyStatements = (resolved: ResolvedTemplate, queue: ResolvedResource): Statement[] =>
  ofType(resolved, 'AWS::SQS::QueuePolicy')
    .filter((policy) => Array.isArray(policy.properties.Queues) && policy.properties.Queues.includes(queue.ref))
    .flatMap((policy) => statementsOf(policy.properties.PolicyDocument));

/**
 * Whether the sender may make `action` on `resource`. A service principal needs the resource
 * policy's Allow. A role needs its identity policy's Allow and, for a KMS key, the key policy's
 * delegation to the account's IAM (an Allow for the account root) unless the key policy names the
 * role itself; an explicit Deny anywhere refuses ("Policy evaluation logic", IAM User Guide;
 * "Key policies in AWS KMS": "IAM policies by themselves are not sufficient").
 */
const allowed = (
  resolved: ResolvedTemplate,
  sender: Sender,
  action: string,
  resource: string,
  resourcePolicy: readonly Statement[],
  needsDelegation: boolean,
  context: Record<string, string>,
): boolean => {
  const { identity } = sender;
  if (identity.kind === 'service') {
    const principal: Principal = { service: identity.service };
    const request: Request = {
      principal,
      action,
      resource,
      context: { ...context, 'aws:SourceArn': identity.sourceArn },
    };
    return decide(resourcePolicy, request, true) === 'allow';
  }
  const request = (principal: Principal): Request => ({ principal, action, resource, context });
  const direct = decide(resourcePolicy, request({ arn: identity.roleArn }), true);
  const own = decide(identity.statements, request({ arn: identity.roleArn }), false);
  if (direct === 'deny' || own === 'deny') return false;
  if (direct === 'allow') return true;
  if (own !== 'allow') return false;
  if (!needsDelegation) return true;
  const { partition, account } = resolved.environment;
  return decide(resourcePolicy, request({ arn: `arn:${partition}:iam::${account}:root` }), true) === 'allow';
};

/** What a producer of an encrypted queue needs of its key (SQS Developer Guide, "Key management"). */
export const PRODUCER_KEY_ACTIONS = ['kms:GenerateDataKey', 'kms:Decrypt'];

/**
 * Everything that stops `sender` from writing to its queue: the queue not being declared,
 * sqs:SendMessage not allowed, and for an encrypted queue its key not declared or
 * kms:GenerateDataKey / kms:Decrypt not allowed. The request context is what SQS and KMS see for a
 * same-account producer: the source account, SQS as the calling service, and the queue's ARN as
 * encryption context (SQS Developer Guide, "Encryption at rest": `aws:sqs:arn`).
 */
export const sendProblems = (resolved: ResolvedTemplate, sender: Sender): string[] => {
  const { region, account } = resolved.environment;
  const who = `${sender.what} as ${sender.identity.kind === 'service' ? sender.identity.service : sender.identity.roleArn}`;
  const queue = queueByArn(resolved, sender.queueArn);
  if (!queue) return [`${who}: sends to ${sender.queueArn}, which the template does not declare`];
  const context = {
    'aws:SourceAccount': account,
    'kms:CallerAccount': account,
    'kms:ViaService': `sqs.${region}.${resolved.environment.urlSuffix}`,
    'kms:EncryptionContext:aws:sqs:arn': sender.queueArn,
  };
  const problems: string[] = [];
  if (
    !allowed(
      resolved,
      sender,
      'sqs:SendMessage',
      sender.queueArn,
      queuePolicyStatements(resolved, queue),
      false,
      context,
    )
  ) {
    problems.push(`${who}: may not sqs:SendMessage to ${queue.logicalId}`);
  }
  const keyId = queue.properties.KmsMasterKeyId;
  if (typeof keyId !== 'string') return problems;
  const key = keyOf(resolved, keyId);
  if (!key)
    return [...problems, `${who}: ${queue.logicalId} is encrypted with ${keyId}, which the template does not declare`];
  const keyPolicy = statementsOf(isRecord(key.properties.KeyPolicy) ? key.properties.KeyPolicy : undefined);
  const keyArn = key.attributes.Arn as string;
  for (const action of PRODUCER_KEY_ACTIONS) {
    if (!allowed(resolved, sender, action, keyArn, keyPolicy, true, context)) {
      problems.push(`${who}: may not ${action} on ${key.logicalId}, the key of ${queue.logicalId}`);
    }
  }
  return problems;
};
