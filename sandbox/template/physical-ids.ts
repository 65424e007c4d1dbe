import { uuidFrom } from '../ids.js';

/** Where a stack lives: what every physical id and ARN is built from. */
export interface StackEnvironment {
  readonly stackName: string;
  readonly account: string;
  readonly region: string;
  readonly partition: string;
  /** `amazonaws.com`, or the partition's own (AWS::URLSuffix). */
  readonly urlSuffix: string;
}

/** What `Ref` and `Fn::GetAtt` of one resource return, and the name AWS knows it by. */
export interface ResourceIdentity {
  readonly name: string;
  readonly ref: string;
  readonly attributes: Readonly<Record<string, string>>;
}

/**
 * The property that names a resource explicitly, per type (each type's CloudFormation reference
 * page); without it CloudFormation generates a name, here `${stackName}-${LogicalId}` (CloudFormation
 * adds a random suffix; the sandbox must replay byte for byte, so it does not).
 */
export const NAME_PROPERTY: Readonly<Record<string, string>> = {
  'AWS::Serverless::Function': 'FunctionName',
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::SNS::Topic': 'TopicName',
  'AWS::SQS::Queue': 'QueueName',
  'AWS::DynamoDB::Table': 'TableName',
  'AWS::KMS::Alias': 'AliasName',
  'AWS::IAM::Role': 'RoleName',
  'AWS::Scheduler::ScheduleGroup': 'Name',
  'AWS::Scheduler::Schedule': 'Name',
  'AWS::CloudWatch::Alarm': 'AlarmName',
  'AWS::Events::Rule': 'Name',
  'AWS::Logs::LogGroup': 'LogGroupName',
};

/** The partition's domain (AWS::URLSuffix): China Regions use amazonaws.com.cn. */
export const urlSuffixOf = (partition: string): string =>
  partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';

/**
 * Ref and GetAtt of one resource, in each service's ARN format ("Return values" of each type's
 * CloudFormation page; ARN formats from the Service Authorization Reference):
 * - SNS topic: Ref = ARN `arn:<p>:sns:<region>:<acct>:<name>`; TopicArn, TopicName.
 * - SQS queue: Ref = URL `https://sqs.<region>.<suffix>/<acct>/<name>`; Arn, QueueName, QueueUrl.
 * - DynamoDB table: Ref = name; Arn `arn:<p>:dynamodb:<region>:<acct>:table/<name>`.
 * - KMS key: Ref = key id (UUID); Arn `arn:<p>:kms:<region>:<acct>:key/<id>`, KeyId.
 * - IAM role: Ref = name; Arn `arn:<p>:iam::<acct>:role<path><name>` (path default `/`), RoleId.
 * - Scheduler schedule group: Ref = name; Arn `arn:<p>:scheduler:<region>:<acct>:schedule-group/<name>`.
 * - Lambda function: Ref = name; Arn `arn:<p>:lambda:<region>:<acct>:function:<name>`.
 * - CloudWatch Logs log group: Ref = name; Arn `arn:<p>:logs:<region>:<acct>:log-group:<name>:*` (with
 *   the `:*` CloudFormation's Arn attribute has).
 * Other types: Ref = the physical name, no attributes.
 * `property(key)` reads one resolved property (IAM Path, SNS subscription's TopicArn).
 */
export const identityOf = (
  env: StackEnvironment,
  logicalId: string,
  type: string,
  name: string,
  property: (key: string) => unknown,
): ResourceIdentity => {
  const { partition: p, region, account } = env;
  const arn = (service: string, resource: string, regional = true) =>
    `arn:${p}:${service}:${regional ? region : ''}:${account}:${resource}`;
  switch (type) {
    case 'AWS::SNS::Topic': {
      const topicArn = arn('sns', name);
      return { name, ref: topicArn, attributes: { TopicArn: topicArn, TopicName: name } };
    }
    case 'AWS::SNS::Subscription': {
      const ref = `${String(property('TopicArn'))}:${uuidFrom('sns-subscription', env.stackName, logicalId)}`;
      return { name: ref, ref, attributes: { Arn: ref } };
    }
    case 'AWS::SQS::Queue': {
      const url = `https://sqs.${region}.${env.urlSuffix}/${account}/${name}`;
      return { name, ref: url, attributes: { Arn: arn('sqs', name), QueueName: name, QueueUrl: url } };
    }
    case 'AWS::DynamoDB::Table':
      return { name, ref: name, attributes: { Arn: arn('dynamodb', `table/${name}`) } };
    case 'AWS::KMS::Key': {
      const keyId = uuidFrom('kms-key', account, region, env.stackName, logicalId);
      return { name: keyId, ref: keyId, attributes: { Arn: arn('kms', `key/${keyId}`), KeyId: keyId } };
    }
    case 'AWS::IAM::Role': {
      const path = typeof property('Path') === 'string' ? String(property('Path')) : '/';
      const roleId = `AROA${uuidFrom('iam-role', account, name).replaceAll('-', '').slice(0, 17).toUpperCase()}`;
      return { name, ref: name, attributes: { Arn: arn('iam', `role${path}${name}`, false), RoleId: roleId } };
    }
    case 'AWS::Scheduler::ScheduleGroup':
      return { name, ref: name, attributes: { Arn: arn('scheduler', `schedule-group/${name}`) } };
    case 'AWS::Scheduler::Schedule': {
      const group = typeof property('GroupName') === 'string' ? String(property('GroupName')) : 'default';
      return { name, ref: name, attributes: { Arn: arn('scheduler', `schedule/${group}/${name}`) } };
    }
    case 'AWS::Serverless::Function':
    case 'AWS::Lambda::Function':
      return { name, ref: name, attributes: { Arn: arn('lambda', `function:${name}`) } };
    case 'AWS::CloudWatch::Alarm':
      return { name, ref: name, attributes: { Arn: arn('cloudwatch', `alarm:${name}`) } };
    case 'AWS::Logs::LogGroup':
      return { name, ref: name, attributes: { Arn: arn('logs', `log-group:${name}:*`) } };
    case 'AWS::Events::Rule':
      return { name, ref: name, attributes: { Arn: arn('events', `rule/${name}`) } };
    default:
      return { name, ref: name, attributes: {} };
  }
};
