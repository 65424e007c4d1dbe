import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { backupJobLink, copyJobLink, protectedResourceLink, restoreJobLink } from '../../shared/console-links.js';
import { ConfigError, describeValue, EventParseError, ValidationError } from '../../shared/errors.js';
import { publishNotification, snsSubject } from '../../shared/notify.js';

describe('console links', () => {
  it.each([
    [
      backupJobLink('eu-west-1', 'job/1'),
      'https://eu-west-1.console.aws.amazon.com/backup/home?region=eu-west-1#/jobs/backup/details/job%2F1',
    ],
    [
      copyJobLink('us-east-1', 'c1'),
      'https://us-east-1.console.aws.amazon.com/backup/home?region=us-east-1#/jobs/copy/details/c1',
    ],
    [
      restoreJobLink('us-east-1', 'r1'),
      'https://us-east-1.console.aws.amazon.com/backup/home?region=us-east-1#/jobs/restore/details/r1',
    ],
    [
      protectedResourceLink('us-east-1', 'arn:aws:ec2:us-east-1:111122223333:volume/vol-1'),
      'https://us-east-1.console.aws.amazon.com/backup/home?region=us-east-1#/resources/arn%3Aaws%3Aec2%3Aus-east-1%3A111122223333%3Avolume%2Fvol-1',
    ],
  ])('%s', (link, expected) => {
    expect(link).toBe(expected);
  });
});

describe('errors', () => {
  it('name the field and the value, shortened', () => {
    expect(new ValidationError('pageSize', 5000, 'must be at most 1000').message).toBe(
      'pageSize must be at most 1000 (got 5000)',
    );
    expect(new EventParseError('detail.state', 'DONE', 'is not a backup job state').message).toBe(
      'event detail.state is not a backup job state (got "DONE")',
    );
    expect(describeValue('x'.repeat(500))).toMatch(/… \(502 characters\)$/);
    expect(describeValue(undefined)).toBe('undefined');
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(describeValue(circular)).toBe('[object Object]');
    expect(new ConfigError(['A is required', 'B must be an integer']).message).toBe(
      'invalid configuration: A is required; B must be an integer',
    );
  });
});

describe('SNS notifications', () => {
  const sns = mockClient(SNSClient);
  beforeEach(() => sns.reset());

  it.each([
    ['Backup failed\nfor vol-1', 'Backup failed for vol-1'],
    ['Résumé ✓ done', 'R?sum? ? done'],
    ['x'.repeat(120), `${'x'.repeat(96)}...`],
  ])('subject %j is SNS-safe', (subject, expected) => {
    expect(snsSubject(subject)).toBe(expected);
  });

  it('publishes subject, body and string attributes', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    const id = await publishNotification(new SNSClient({}), 'arn:aws:sns:us-east-1:111122223333:t', {
      subject: 'Backup failed',
      body: 'text',
      attributes: { kind: 'alert' },
    });
    expect(id).toBe('m-1');
    expect(sns).toHaveReceivedCommandWith(PublishCommand, {
      TopicArn: 'arn:aws:sns:us-east-1:111122223333:t',
      Subject: 'Backup failed',
      Message: 'text',
      MessageAttributes: { kind: { DataType: 'String', StringValue: 'alert' } },
    });
  });
});
