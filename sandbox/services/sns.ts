import { queryProtocol } from '../http/query-protocol.js';
import {
  type CallContext,
  type RunningStandIn,
  type SandboxServices,
  ServiceError,
  startStandIn,
} from '../http/stand-in.js';
import { uuidFrom } from '../ids.js';

/** One message attribute as Publish takes it (API_MessageAttributeValue). */
export interface SnsAttribute {
  readonly DataType: string;
  readonly StringValue?: string;
  readonly BinaryValue?: string;
}

/** A message the SNS stand-in accepted, for the sandbox to read. */
export interface PublishedMessage {
  readonly messageId: string;
  readonly topicArn: string;
  readonly subject?: string;
  readonly message: string;
  readonly attributes: Readonly<Record<string, SnsAttribute>>;
  /** Sandbox time, epoch milliseconds. */
  readonly at: number;
  /** The principal's name (a function's logical id...). */
  readonly caller: string;
  readonly account: string;
}

export interface RunningSns extends RunningStandIn {
  /** Seeds a topic (`arn:aws:sns:<region>:<account>:<name>`); Publish to any other topic is NotFound. */
  createTopic(arn: string): void;
  /** Every accepted message, in arrival order. */
  published(): readonly PublishedMessage[];
}

// API_Publish: "messages must be UTF-8 encoded strings and at most 256 KB in size (262,144 bytes, not
// 262,144 characters)"; message attributes count toward it (SNS "Amazon SNS message attributes").
const MAX_MESSAGE_BYTES = 262_144;
// "Amazon SNS message attributes": a message can have up to 10 attributes.
const MAX_ATTRIBUTES = 10;
// API_Publish: "Subjects must be UTF-8 text with no line breaks or control characters, and less than
// 100 characters long." SNS itself accepts exactly 100 (as moto models it); the toolkit keeps to 99.
const MAX_SUBJECT_CHARS = 100;
// 12 digits, or 13 as in AWS's own published sample events (1112233445566): the sandbox runs those too.
const TOPIC_ARN = /^arn:aws[a-z-]*:sns:([a-z0-9-]+):(\d{12,13}):([A-Za-z0-9_-]{1,256}(\.fifo)?)$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what SNS refuses in a subject.
const CONTROL = /[\u0000-\u001f\u007f]/;

const invalid = (what: string) => new ServiceError('InvalidParameter', `Invalid parameter: ${what}`, 400);

const attributesOf = (raw: unknown): Record<string, SnsAttribute> => {
  if (raw === undefined) return {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw invalid('MessageAttributes');
  const attributes = raw as Record<string, Partial<SnsAttribute>>;
  if (Object.keys(attributes).length > MAX_ATTRIBUTES) {
    throw invalid(`MessageAttributes: a message can have at most ${MAX_ATTRIBUTES} attributes`);
  }
  for (const [name, value] of Object.entries(attributes)) {
    const type = value.DataType ?? '';
    if (!/^(String|Number|Binary)(\..+)?$/.test(type)) {
      throw invalid(
        `The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`,
      );
    }
    const needed = type.startsWith('Binary') ? value.BinaryValue : value.StringValue;
    if (!needed) {
      throw invalid(
        `The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${type}'.`,
      );
    }
  }
  return attributes as Record<string, SnsAttribute>;
};

const sizeOf = (message: string, attributes: Record<string, SnsAttribute>) =>
  Buffer.byteLength(message) +
  Object.entries(attributes).reduce(
    (sum, [name, a]) =>
      sum +
      Buffer.byteLength(name) +
      Buffer.byteLength(a.DataType) +
      Buffer.byteLength(a.StringValue ?? a.BinaryValue ?? ''),
    0,
  );

/**
 * Starts the SNS stand-in: `Publish` to a topic (AWS Query protocol, API version 2010-03-31), checked
 * as API_Publish documents, every accepted message kept for the sandbox (`published()`). Other actions
 * answer `InvalidAction`. SNS topics cannot be published to from another account without a topic
 * policy, which the sandbox has no need for: such a call is `AuthorizationError`.
 */
export const startSns = async (shared: SandboxServices): Promise<RunningSns> => {
  const topics = new Set<string>();
  const messages: PublishedMessage[] = [];
  const seen = new Map<string, number>();

  const publish = (input: Record<string, unknown>, ctx: CallContext) => {
    const topicArn = input.TopicArn;
    if (typeof topicArn !== 'string' || topicArn === '') {
      // The toolkit only publishes to topics; TargetArn/PhoneNumber are not served here.
      throw invalid('TopicArn or TargetArn Reason: no value for required parameter');
    }
    const arn = TOPIC_ARN.exec(topicArn);
    if (!arn || arn[1] !== ctx.region) throw invalid('TopicArn');
    if (!topics.has(topicArn)) throw new ServiceError('NotFound', 'Topic does not exist', 404);
    if (arn[2] !== ctx.principal.account) {
      throw new ServiceError(
        'AuthorizationError',
        `User: arn:aws:sts::${ctx.principal.account}:assumed-role/${ctx.principal.name} is not authorized to perform: SNS:Publish on resource: ${topicArn}`,
        403,
      );
    }
    const message = input.Message;
    if (typeof message !== 'string') {
      throw new ServiceError(
        'ValidationError',
        "1 validation error detected: Value null at 'message' failed to satisfy constraint: Member must not be null",
        400,
      );
    }
    if (message === '') throw invalid('Empty message');
    const subject = input.Subject;
    if (subject !== undefined) {
      if (
        typeof subject !== 'string' ||
        subject === '' ||
        subject.length > MAX_SUBJECT_CHARS ||
        CONTROL.test(subject)
      ) {
        throw invalid('Subject');
      }
    }
    const attributes = attributesOf(input.MessageAttributes);
    if (sizeOf(message, attributes) > MAX_MESSAGE_BYTES) throw invalid('Message too long');

    // Deterministic: the same message from the same caller at the same instant gets the next id of its
    // own kind, whatever else arrived in between.
    const content = JSON.stringify([
      topicArn,
      subject ?? null,
      message,
      attributes,
      ctx.principal.account,
      ctx.principal.name,
      ctx.now,
    ]);
    const twins = seen.get(content) ?? 0;
    seen.set(content, twins + 1);
    const messageId = uuidFrom('sns', content, twins);
    messages.push({
      messageId,
      topicArn,
      ...(subject !== undefined ? { subject } : {}),
      message,
      attributes,
      at: ctx.now,
      caller: ctx.principal.name,
      account: ctx.principal.account,
    });
    return { MessageId: messageId, ResponseMetadata: { RequestId: ctx.requestId } };
  };

  const running = await startStandIn({
    service: 'sns',
    protocol: queryProtocol({
      version: '2010-03-31',
      xmlns: 'http://sns.amazonaws.com/doc/2010-03-31/',
      operations: ['Publish'],
    }),
    operations: { Publish: publish as (input: never, ctx: CallContext) => unknown },
    shared,
  });
  return {
    ...running,
    createTopic(arn: string) {
      if (!TOPIC_ARN.test(arn)) throw new TypeError(`not an SNS topic ARN: ${arn}`);
      topics.add(arn);
    },
    published: () => [...messages],
  };
};
