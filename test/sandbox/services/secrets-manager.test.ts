import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSecretsManager, startSecretsManager } from '../../../sandbox/services/secrets-manager.js';
import { clientConfig, HOME, sandboxServices } from './sandbox-services.js';

describe('Secrets Manager stand-in', () => {
  const { shared } = sandboxServices(Date.UTC(2025, 5, 1, 12));
  let secrets: RunningSecretsManager;
  let client: SecretsManagerClient;
  let arn: string;

  beforeAll(async () => {
    secrets = await startSecretsManager(shared, { home: HOME });
    arn = secrets.putSecret('backup-autopilot/slack', 'https://hooks.slack.test/one');
    client = new SecretsManagerClient({ ...clientConfig(shared, secrets.url, 'PostSummaryFunction'), maxAttempts: 1 });
  });
  afterAll(async () => {
    client.destroy();
    await secrets.close();
  });

  it('names the secret with the six-character suffix AWS appends to its ARN', () => {
    expect(arn).toMatch(
      /^arn:aws:secretsmanager:us-east-1:111122223333:secret:backup-autopilot\/slack-[A-Za-z0-9]{6}$/,
    );
  });

  it.each([
    { by: 'name', id: () => 'backup-autopilot/slack' },
    { by: 'complete ARN', id: () => arn },
    { by: 'partial ARN', id: () => arn.slice(0, -7) },
  ])('returns the current value by $by', async ({ id }) => {
    const out = await client.send(new GetSecretValueCommand({ SecretId: id() }));
    expect(out).toMatchObject({
      ARN: arn,
      Name: 'backup-autopilot/slack',
      SecretString: 'https://hooks.slack.test/one',
      VersionStages: ['AWSCURRENT'],
      CreatedDate: new Date(Date.UTC(2025, 5, 1, 12)),
    });
    expect(out.VersionId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('moves AWSCURRENT to a new version and keeps the former as AWSPREVIOUS', async () => {
    secrets.putSecret('rotating', 'v1');
    secrets.putSecret('rotating', 'v2');
    const current = await client.send(new GetSecretValueCommand({ SecretId: 'rotating' }));
    const previous = await client.send(
      new GetSecretValueCommand({ SecretId: 'rotating', VersionStage: 'AWSPREVIOUS' }),
    );
    expect([current.SecretString, previous.SecretString]).toEqual(['v2', 'v1']);
  });

  it('answers ResourceNotFoundException for a secret that does not exist', async () => {
    const error = await client.send(new GetSecretValueCommand({ SecretId: 'missing' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect(error).toMatchObject({ message: "Secrets Manager can't find the specified secret." });
    expect(shared.calls.list({ service: 'secretsmanager' }).at(-1)).toMatchObject({
      operation: 'GetSecretValue',
      status: 400,
      error: 'ResourceNotFoundException',
      input: { SecretId: 'missing' },
    });
  });

  it('does not show one account the secrets of another', async () => {
    const stranger = new SecretsManagerClient({
      ...clientConfig(shared, secrets.url, 'Other', '444455556666'),
      maxAttempts: 1,
    });
    await expect(
      stranger.send(new GetSecretValueCommand({ SecretId: 'backup-autopilot/slack' })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    stranger.destroy();
  });
});
