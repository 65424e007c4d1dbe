import {
  GetParameterCommand,
  GetParametersCommand,
  ParameterNotFound,
  ParameterVersionNotFound,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSsm, startSsm } from '../../../sandbox/services/ssm.js';
import { clientConfig, HOME, sandboxServices } from './sandbox-services.js';

describe('SSM Parameter Store stand-in', () => {
  const { shared } = sandboxServices(Date.UTC(2025, 5, 1, 12));
  let ssm: RunningSsm;
  let client: SSMClient;

  beforeAll(async () => {
    ssm = await startSsm(shared, { home: HOME });
    ssm.putParameter('/backup-autopilot/copy-rules', '[{"v":1}]', 'String');
    ssm.putParameter('/backup-autopilot/copy-rules', '[{"v":2}]', 'String');
    ssm.putParameter('teams-webhook', 'https://teams.test/hook', 'SecureString');
    client = new SSMClient({ ...clientConfig(shared, ssm.url, 'StartCopyJobFunction'), maxAttempts: 1 });
  });
  afterAll(async () => {
    client.destroy();
    await ssm.close();
  });

  it('returns the latest version of a String parameter, shaped as GetParameter answers', async () => {
    const out = await client.send(
      new GetParameterCommand({ Name: '/backup-autopilot/copy-rules', WithDecryption: true }),
    );
    expect(out.Parameter).toEqual({
      Name: '/backup-autopilot/copy-rules',
      Type: 'String',
      Value: '[{"v":2}]',
      Version: 2,
      LastModifiedDate: new Date(Date.UTC(2025, 5, 1, 12)),
      ARN: 'arn:aws:ssm:us-east-1:111122223333:parameter/backup-autopilot/copy-rules',
      DataType: 'text',
    });
  });

  it('returns an older version by name:version', async () => {
    const out = await client.send(new GetParameterCommand({ Name: '/backup-autopilot/copy-rules:1' }));
    expect(out.Parameter).toMatchObject({ Value: '[{"v":1}]', Version: 1, Selector: ':1' });
    await expect(
      client.send(new GetParameterCommand({ Name: '/backup-autopilot/copy-rules:9' })),
    ).rejects.toBeInstanceOf(ParameterVersionNotFound);
  });

  it('decrypts a SecureString only WithDecryption, and finds it by ARN', async () => {
    const plain = await client.send(new GetParameterCommand({ Name: 'teams-webhook', WithDecryption: true }));
    const sealed = await client.send(new GetParameterCommand({ Name: 'teams-webhook' }));
    const byArn = await client.send(
      new GetParameterCommand({
        Name: 'arn:aws:ssm:us-east-1:111122223333:parameter/teams-webhook',
        WithDecryption: true,
      }),
    );
    expect(plain.Parameter).toMatchObject({ Type: 'SecureString', Value: 'https://teams.test/hook' });
    expect(sealed.Parameter?.Value).not.toContain('teams.test');
    expect(byArn.Parameter).toMatchObject({ Name: 'teams-webhook', Value: 'https://teams.test/hook' });
  });

  it('answers ParameterNotFound for a parameter that does not exist', async () => {
    await expect(client.send(new GetParameterCommand({ Name: '/missing' }))).rejects.toBeInstanceOf(ParameterNotFound);
    expect(shared.calls.list({ service: 'ssm' }).at(-1)).toMatchObject({
      operation: 'GetParameter',
      status: 400,
      error: 'ParameterNotFound',
      caller: 'StartCopyJobFunction',
    });
  });

  it('answers UnknownOperationException to an operation the toolkit never calls', async () => {
    await expect(client.send(new GetParametersCommand({ Names: ['/missing'] }))).rejects.toMatchObject({
      name: 'UnknownOperationException',
      $metadata: { httpStatusCode: 400 },
    });
  });
});
