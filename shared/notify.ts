import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';

/** A message for the notification topic. */
export interface Notification {
  /** One line; trimmed to SNS's 100-character limit and to printable ASCII (SNS rejects others). */
  readonly subject: string;
  /** Plain text, readable in an email on a phone. */
  readonly body: string;
  /** SNS message attributes for subscription filter policies (e.g. `kind`, `category`, `account`). */
  readonly attributes?: Readonly<Record<string, string>>;
}

/** SNS subjects: "ASCII text that begins with a letter, number, or punctuation mark; no line breaks or control characters; fewer than 100 characters" (SNS Publish API). */
export function snsSubject(subject: string): string {
  const ascii = subject
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/[^\x20-\x7E]/g, '?')
    .trim();
  return ascii.length > 99 ? `${ascii.slice(0, 96)}...` : ascii;
}

/**
 * Publishes one notification; returns the SNS message id. Errors propagate: callers decide
 * whether a failed alert fails the invocation (it should, so Lambda's retries resend it).
 */
export async function publishNotification(
  client: SNSClient,
  topicArn: string,
  notification: Notification,
  signal?: AbortSignal,
): Promise<string | undefined> {
  const out = await client.send(
    new PublishCommand({
      TopicArn: topicArn,
      Subject: snsSubject(notification.subject),
      Message: notification.body,
      MessageAttributes: Object.fromEntries(
        Object.entries(notification.attributes ?? {}).map(([k, v]) => [k, { DataType: 'String', StringValue: v }]),
      ),
    }),
    { abortSignal: signal },
  );
  return out.MessageId;
}
