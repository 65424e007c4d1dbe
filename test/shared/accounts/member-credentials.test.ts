import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  MemberCredentials,
  MemberRoleError,
  REFRESH_MARGIN_MS,
  SESSION_SECONDS,
} from '../../../shared/accounts/member-credentials.js';
import { ValidationError } from '../../../shared/errors.js';

const sts = mockClient(STSClient);
const T0 = Date.parse('2026-12-01T00:00:00Z');
const HOUR = 3_600_000;

/** An AssumeRole answer as STS gives it (API_AssumeRole, Credentials), expiring an hour after `now`. */
const answer = (account: string, now: number, n = 1) => ({
  Credentials: {
    AccessKeyId: `ASIA${account}${n}`,
    SecretAccessKey: 'secret',
    SessionToken: 'token',
    Expiration: new Date(now + HOUR),
  },
  AssumedRoleUser: { Arn: `arn:aws:sts::${account}:assumed-role/backup-autopilot-member/fn`, AssumedRoleId: 'AROA:fn' },
});

const made: string[] = [];
const credentialsAt = (clock: { now: number }) =>
  new MemberCredentials({
    roleName: 'backup-autopilot-member',
    partition: 'aws',
    sessionName: 'backup-autopilot-RetryFailedJob',
    stsFor: (region) => {
      made.push(region);
      return new STSClient({ region });
    },
    now: () => clock.now,
  });

beforeEach(() => {
  sts.reset();
  made.length = 0;
});

describe('MemberCredentials', () => {
  it("assumes the member role of the account, in the event's Region, naming the function", async () => {
    sts.on(AssumeRoleCommand).resolves(answer('444455556666', T0));
    const c = await credentialsAt({ now: T0 }).credentials('444455556666', 'eu-west-1');
    expect(c).toMatchObject({ accessKeyId: 'ASIA4444555566661', sessionToken: 'token', accountId: '444455556666' });
    expect(sts).toHaveReceivedCommandWith(AssumeRoleCommand, {
      RoleArn: 'arn:aws:iam::444455556666:role/backup-autopilot-member',
      RoleSessionName: 'backup-autopilot-RetryFailedJob',
      DurationSeconds: SESSION_SECONDS,
    });
    expect(made).toEqual(['eu-west-1']);
  });

  it('concurrent requests for one account share one AssumeRole; another account gets its own', async () => {
    sts
      .on(AssumeRoleCommand)
      .callsFake(async (input: { RoleArn: string }) => answer(input.RoleArn.split(':')[4] ?? '', T0));
    const credentials = credentialsAt({ now: T0 });
    const all = await Promise.all([
      ...Array.from({ length: 20 }, () => credentials.credentials('444455556666', 'us-east-1')),
      credentials.credentials('777788889999', 'us-east-1'),
    ]);
    expect(sts).toHaveReceivedCommandTimes(AssumeRoleCommand, 2);
    expect(credentials.assumeRoleCalls).toBe(2);
    expect(new Set(all.map((c) => c.accessKeyId))).toEqual(new Set(['ASIA4444555566661', 'ASIA7777888899991']));
  });

  it('reuses credentials across Regions until the refresh margin before they expire, then asks again', async () => {
    const clock = { now: T0 };
    let n = 0;
    sts.on(AssumeRoleCommand).callsFake(async () => {
      n += 1;
      return answer('444455556666', clock.now, n);
    });
    const credentials = credentialsAt(clock);
    await credentials.credentials('444455556666', 'us-east-1');
    clock.now = T0 + HOUR - REFRESH_MARGIN_MS - 1;
    expect((await credentials.credentials('444455556666', 'eu-west-1')).accessKeyId).toBe('ASIA4444555566661');
    clock.now = T0 + HOUR - REFRESH_MARGIN_MS;
    expect((await credentials.credentials('444455556666', 'eu-west-1')).accessKeyId).toBe('ASIA4444555566662');
    expect(sts).toHaveReceivedCommandTimes(AssumeRoleCommand, 2);
  });

  it('a refusal is raised naming the role, and not cached: the next request asks again', async () => {
    const denied = Object.assign(
      new Error('User: arn:aws:sts::999900001111:assumed-role/x/y is not authorized to perform: sts:AssumeRole'),
      {
        name: 'AccessDenied',
      },
    );
    sts.on(AssumeRoleCommand).rejectsOnce(denied).resolves(answer('444455556666', T0));
    const credentials = credentialsAt({ now: T0 });
    const error = await credentials.credentials('444455556666', 'us-east-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MemberRoleError);
    expect((error as Error).message).toContain('arn:aws:iam::444455556666:role/backup-autopilot-member');
    expect((error as Error).message).toContain('AccessDenied');
    await expect(credentials.credentials('444455556666', 'us-east-1')).resolves.toMatchObject({
      accountId: '444455556666',
    });
  });

  it('refuses an answer without complete credentials', async () => {
    sts.on(AssumeRoleCommand).resolves({ Credentials: undefined });
    await expect(credentialsAt({ now: T0 }).credentials('444455556666', 'us-east-1')).rejects.toThrow(
      'STS returned no complete Credentials',
    );
  });

  it.each([
    ['4444', 'us-east-1', 'account'],
    ['444455556666', 'Mars', 'region'],
  ])('refuses account %s / Region %s before any STS call, naming %s', async (account, region, field) => {
    const error = await credentialsAt({ now: T0 })
      .credentials(account, region)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe(field);
    expect(sts.calls()).toHaveLength(0);
  });

  it('cuts a session name to what STS allows', async () => {
    sts.on(AssumeRoleCommand).resolves(answer('444455556666', T0));
    const credentials = new MemberCredentials({
      roleName: 'r',
      partition: 'aws-us-gov',
      sessionName: `fn:${'x'.repeat(80)}`,
      stsFor: (region) => new STSClient({ region }),
      now: () => T0,
    });
    await credentials.credentials('444455556666', 'us-gov-west-1');
    const input = sts.commandCalls(AssumeRoleCommand)[0]?.args[0].input;
    expect(input?.RoleArn).toBe('arn:aws-us-gov:iam::444455556666:role/r');
    expect(input?.RoleSessionName).toMatch(/^fn-x{61}$/);
  });
});
