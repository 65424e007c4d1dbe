import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';

/**
 * The plain text of an SSM parameter: a String's value, or a SecureString's decrypted with the
 * parameter's KMS key (GetParameter WithDecryption; ignored for a String). `undefined` when AWS
 * returns no value. SDK errors (ParameterNotFound, AccessDeniedException...) propagate: the caller
 * names the setting the parameter belongs to.
 *
 * Imported by side bundles only (shared/side-bundle.ts): the SSM client is not in any handler's
 * own bundle.
 */
export async function readParameterText(
  ssm: SSMClient,
  name: string,
  signal?: AbortSignal,
): Promise<string | undefined> {
  const out = await ssm.send(new GetParameterCommand({ Name: name, WithDecryption: true }), { abortSignal: signal });
  return out.Parameter?.Value;
}
