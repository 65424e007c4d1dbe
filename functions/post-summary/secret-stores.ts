// Side bundle of post-summary: see shared/side-bundle.ts.
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import { SDK_RETRY } from '../../shared/clients.js';
import { readParameterText } from '../../shared/parameter-text.js';
import type { SecretRef } from './config.js';

/** The clients a secret is read with. */
export interface SecretStores {
  readonly secrets: SecretsManagerClient;
  readonly ssm: SSMClient;
}

let defaults: SecretStores | undefined;

/** The function's own clients (toolkit retry settings), created on the first secret read and reused. */
export function defaultSecretStores(): SecretStores {
  defaults ??= { secrets: new SecretsManagerClient({ ...SDK_RETRY }), ssm: new SSMClient({ ...SDK_RETRY }) };
  return defaults;
}

/**
 * The raw text a secret holds: Secrets Manager GetSecretValue (SecretString) or SSM GetParameter
 * WithDecryption (a SecureString's plain text). A side bundle of post-summary (shared/side-bundle.ts,
 * listed in the function's EntryPoints), loaded by secrets.ts on the first read only: a summary
 * that posts to SNS alone never loads either client.
 */
export async function readSecretText(
  stores: SecretStores,
  ref: SecretRef,
  signal?: AbortSignal,
): Promise<string | undefined> {
  if (ref.store === 'ssm') return readParameterText(stores.ssm, ref.name, signal);
  const out = await stores.secrets.send(new GetSecretValueCommand({ SecretId: ref.name }), { abortSignal: signal });
  return out.SecretString;
}
