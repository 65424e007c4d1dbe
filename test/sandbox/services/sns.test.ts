import {
  InvalidParameterException,
  ListTopicsCommand,
  NotFoundException,
  PublishCommand,
  SNSClient,
} from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSns, startSns } from '../../../sandbox/services/sns.js';
import { publishNotification } from '../../../shared/notify.js';
import { clientConfig, sandboxServices } from './sandbox-services.js';

const TOPIC = 'arn:aws:sns:us-east-1:111122223333:backup-autopilot-notify';

describe('SNS stand-in', () => {
  const { shared } = sandboxServices();
  let sns: RunningSns;
  let client: SNSClient;

  beforeAll(async () => {
    sns = await startSns(shared);
    sns.createTopic(TOPIC);
    client = new SNSClient({ ...clientConfig(shared, sns.url, 'PostSummaryFunction'), maxAttempts: 1 });
  });
  afterAll(async () => {
    client.destroy();
    await sns.close();
  });

  it('keeps what the toolkit publishes, attributes and subject included, and answers its MessageId', async () => {
    shared.clock.advanceBy(60_000);
    const id = await publishNotification(client, TOPIC, {
      subject: 'Backup summary: 3 failed',
      body: 'line one\nline two & <three>',
      attributes: { kind: 'summary', account: '111122223333' },
    });

    const [message] = sns.published();
    expect(message).toEqual({
      messageId: id,
      topicArn: TOPIC,
      subject: 'Backup summary: 3 failed',
      message: 'line one\nline two & <three>',
      attributes: {
        kind: { DataType: 'String', StringValue: 'summary' },
        account: { DataType: 'String', StringValue: '111122223333' },
      },
      at: shared.clock.ms(),
      caller: 'PostSummaryFunction',
      account: '111122223333',
    });
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(shared.calls.list({ service: 'sns', operation: 'Publish' }).at(-1)).toMatchObject({
      status: 200,
      caller: 'PostSummaryFunction',
      input: { TopicArn: TOPIC, MessageAttributes: { kind: { DataType: 'String', StringValue: 'summary' } } },
    });
  });

  it('gives the same message ids to the same messages in another sandbox', async () => {
    const other = sandboxServices();
    const again = await startSns(other.shared);
    again.createTopic(TOPIC);
    const otherClient = new SNSClient(clientConfig(other.shared, again.url, 'PostSummaryFunction'));
    other.shared.clock.advanceBy(60_000);
    const first = await otherClient.send(new PublishCommand({ TopicArn: TOPIC, Message: 'same' }));
    const second = await otherClient.send(new PublishCommand({ TopicArn: TOPIC, Message: 'same' }));
    const here = await client.send(new PublishCommand({ TopicArn: TOPIC, Message: 'same' }));
    expect(first.MessageId).not.toEqual(second.MessageId);
    expect(here.MessageId).toEqual(first.MessageId);
    otherClient.destroy();
    await again.close();
  });

  it('maps a missing topic to NotFoundException, as AWS answers it', async () => {
    const error = await client
      .send(new PublishCommand({ TopicArn: 'arn:aws:sns:us-east-1:111122223333:nope', Message: 'm' }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundException);
    expect(error).toMatchObject({ message: 'Topic does not exist', $metadata: { httpStatusCode: 404 } });
  });

  it.each([
    {
      case: 'a subject with a line break',
      input: { Subject: 'a\nb', Message: 'm' },
      message: 'Invalid parameter: Subject',
    },
    {
      case: 'a subject over 100 characters',
      input: { Subject: 'x'.repeat(101), Message: 'm' },
      message: 'Invalid parameter: Subject',
    },
    { case: 'an empty message', input: { Message: '' }, message: 'Invalid parameter: Empty message' },
    {
      case: 'a message over 256 KB',
      input: { Message: 'é'.repeat(131_073) },
      message: 'Invalid parameter: Message too long',
    },
  ])('refuses $case with InvalidParameterException', async ({ input, message }) => {
    const error = await client.send(new PublishCommand({ TopicArn: TOPIC, ...input })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidParameterException);
    expect((error as Error).message).toBe(message);
  });

  it('accepts a subject of exactly 100 characters', async () => {
    await expect(
      client.send(new PublishCommand({ TopicArn: TOPIC, Subject: 's'.repeat(100), Message: 'm' })),
    ).resolves.toHaveProperty('MessageId');
  });

  it('answers InvalidAction to an action the toolkit never calls', async () => {
    await expect(client.send(new ListTopicsCommand({}))).rejects.toMatchObject({ name: 'InvalidAction' });
  });
});
