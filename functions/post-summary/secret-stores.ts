import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { SDK_RETRY } from '../../shared/clients.js';
import type { SecretRef } from './config.js';

/** The clients a secret is read with. */
export interface SecretStores {
  readonly secrets: SecretsManagerClient;
  readonly ssm: SSMClient;
}

let defaults: SecretStores | undefined;

/** The function's own clients (toolkit retry settings), created on the first secret read and reused. */
export const defaultSecretStores = (): SecretStores => {
  defaults ??= { secrets: new SecretsManagerClient({ ...SDK_RETRY }), ssm: new SSMClient({ ...SDK_RETRY }) };
  return defaults;
};

/**
 * The raw text a secret holds: Secrets Manager GetSecretValue (SecretString) or SSM GetParameter
 * WithDecryption (a SecureString's plain text). Loaded by secrets.ts on the first read only: a
 * summary that posts to SNS alone never evaluates either client.
 */
export const readSecretText = async (
  stores: SecretStores,
  ref: SecretRef,
  signal?: AbortSignal,
): Promise<string | undefined> => {
  if (ref.store === 'ssm') {
    const out = await stores.ssm.send(new GetParameterCommand({ Name: ref.name, WithDecryption: true }), {
      abortSignal: signal,
    });
    return out.Parameter?.Value;
  }
  const out = await stores.secrets.send(new GetSecretValueCommand({ SecretId: ref.name }), { abortSignal: signal });
  return out.SecretString;
};
