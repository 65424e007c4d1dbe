import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSts, startSts } from '../../../sandbox/services/sts.js';
import { clientConfig, HOME, sandboxServices } from './sandbox-services.js';

const MEMBER = '444455556666';
const ROLE = `arn:aws:iam::${MEMBER}:role/backup-autopilot-member`;

describe('STS stand-in', () => {
  const { shared } = sandboxServices(Date.UTC(2026, 10, 30, 1));
  let sts: RunningSts;
  let central: STSClient;

  beforeAll(async () => {
    sts = await startSts(shared);
    sts.declareRole({
      account: MEMBER,
      name: 'backup-autopilot-member',
      trusts: (caller) => caller.account === HOME.account && caller.name === 'RetryFailedJobFunction',
    });
    central = new STSClient({ ...clientConfig(shared, sts.url, 'RetryFailedJobFunction'), maxAttempts: 1 });
  });
  afterAll(async () => {
    central.destroy();
    await sts.close();
  });

  it("issues credentials bound to the role's account, shaped as AssumeRole answers, expiring after DurationSeconds", async () => {
    const out = await central.send(
      new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: 'backup-autopilot-retry', DurationSeconds: 900 }),
    );
    expect(out.Credentials).toMatchObject({
      AccessKeyId: expect.stringMatching(/^ASIA/),
      SecretAccessKey: 'sandbox',
      SessionToken: expect.any(String),
      Expiration: new Date(Date.UTC(2026, 10, 30, 1, 15)),
    });
    expect(out.AssumedRoleUser?.Arn).toBe(
      `arn:aws:sts::${MEMBER}:assumed-role/backup-autopilot-member/backup-autopilot-retry`,
    );
    const principal = shared.principals.of(out.Credentials?.AccessKeyId ?? '');
    expect(principal).toMatchObject({
      account: MEMBER,
      name: 'assumed-role/backup-autopilot-member/backup-autopilot-retry',
    });
    expect(sts.assumed()).toEqual([
      expect.objectContaining({ roleArn: ROLE, caller: 'RetryFailedJobFunction', region: HOME.region }),
    ]);
  });

  it.each([
    ['a role that does not exist', `arn:aws:iam::${MEMBER}:role/nobody`, 'RetryFailedJobFunction', HOME.account],
    ['a caller the trust does not name', ROLE, 'SomeoneElse', HOME.account],
    ['a caller of another account', ROLE, 'RetryFailedJobFunction', '999988887777'],
  ])('refuses %s with AccessDenied', async (_case, roleArn, name, account) => {
    const client = new STSClient({ ...clientConfig(shared, sts.url, name, account), maxAttempts: 1 });
    await expect(client.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'x1' }))).rejects.toMatchObject(
      {
        name: 'AccessDenied',
        message: expect.stringContaining(`is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`),
      },
    );
    client.destroy();
  });

  it.each([
    [{ RoleArn: 'not-an-arn', RoleSessionName: 'x1' }, 'roleArn'],
    [{ RoleArn: ROLE, RoleSessionName: 'has space' }, 'roleSessionName'],
    [{ RoleArn: ROLE, RoleSessionName: 'x1', DurationSeconds: 600 }, 'durationSeconds'],
    [{ RoleArn: ROLE, RoleSessionName: 'x1', DurationSeconds: 7200 }, 'MaxSessionDuration'],
  ])('refuses %j with ValidationError naming %s', async (input, says) => {
    await expect(central.send(new AssumeRoleCommand(input))).rejects.toMatchObject({
      name: 'ValidationError',
      message: expect.stringContaining(says),
    });
  });

  it('a request signed after the credentials expired is refused with ExpiredTokenException', async () => {
    const out = await central.send(
      new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: 'x2', DurationSeconds: 900 }),
    );
    shared.clock.advanceBy(15 * 60_000);
    const expired = new STSClient({
      region: HOME.region,
      endpoint: sts.url,
      maxAttempts: 1,
      credentials: {
        accessKeyId: out.Credentials?.AccessKeyId ?? '',
        secretAccessKey: 'sandbox',
        sessionToken: out.Credentials?.SessionToken ?? '',
      },
    });
    await expect(expired.send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: 'x3' }))).rejects.toMatchObject({
      name: 'ExpiredTokenException',
    });
    expired.destroy();
  });
});
