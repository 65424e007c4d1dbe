import { jsonProtocol } from '../http/json-protocol.js';
import {
  type CallContext,
  type RunningStandIn,
  type SandboxServices,
  ServiceError,
  startStandIn,
} from '../http/stand-in.js';
import { digest, uuidFrom } from '../ids.js';
import { type HomeScope, type ScopedId, scopedId, scopedKey } from './scope.js';

export interface RunningSecretsManager extends RunningStandIn {
  /**
   * Seeds a secret (or a new version of it: the new one becomes AWSCURRENT, the former AWSPREVIOUS).
   * Returns its ARN, with the six-character suffix AWS appends.
   */
  putSecret(name: string, value: string, where?: HomeScope): string;
}

interface Version {
  readonly id: string;
  readonly value: string;
  readonly created: number;
  stages: string[];
}

interface Secret {
  readonly arn: string;
  readonly name: string;
  readonly versions: Version[];
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

// "Secrets Manager appends a hyphen and six random characters after the secret name at the end of the
// ARN" (Secrets Manager User Guide, "Find secrets": "ARN of a secret"). Here they come from the name.
const suffixOf = (account: string, region: string, name: string) =>
  [...digest('secret', account, region, name).subarray(0, 6)].map((b) => ALPHANUMERIC[b % 62]).join('');

// 12 digits, or 13 as in AWS's own published sample events (1112233445566): the sandbox runs those too.
const ARN = /^arn:aws[a-z-]*:secretsmanager:([a-z0-9-]+):(\d{12,13}):secret:(.+)$/;

const notFound = (detail = 'secret') =>
  new ServiceError('ResourceNotFoundException', `Secrets Manager can't find the specified ${detail}.`, 400);

/**
 * Starts the Secrets Manager stand-in: `GetSecretValue` by name, full ARN or partial ARN (API_GetSecretValue),
 * over AWS JSON 1.1 (`X-Amz-Target: secretsmanager.GetSecretValue`). Secrets belong to an account and a
 * Region, as in AWS; a caller from another account is refused (the sandbox has no resource policies).
 */
export const startSecretsManager = async (
  shared: SandboxServices,
  options: { readonly home: HomeScope },
): Promise<RunningSecretsManager> => {
  const secrets = new Map<string, Secret>();

  const find = ({ raw, where, name, byArn }: ScopedId, ctx: CallContext): Secret | undefined => {
    if (!byArn) return secrets.get(scopedKey(where, name));
    if (where.account !== ctx.principal.account) {
      throw new ServiceError(
        'AccessDeniedException',
        `User: arn:aws:sts::${ctx.principal.account}:assumed-role/${ctx.principal.name} is not authorized to perform: secretsmanager:GetSecretValue on resource: ${raw} because no resource-based policy allows the secretsmanager:GetSecretValue action`,
        400,
      );
    }
    if (where.region !== ctx.region) return undefined;
    // A complete ARN matches exactly; a partial one (no suffix) by name, as AWS resolves it.
    for (const secret of secrets.values()) if (secret.arn === raw) return secret;
    return secrets.get(scopedKey(where, name));
  };

  const getSecretValue = (
    input: { SecretId?: unknown; VersionId?: unknown; VersionStage?: unknown },
    ctx: CallContext,
  ) => {
    const secret = find(scopedId(input.SecretId, 'secretId', ARN, ctx), ctx);
    if (!secret) throw notFound();
    let version: Version | undefined;
    if (typeof input.VersionId === 'string') {
      version = secret.versions.find((v) => v.id === input.VersionId);
      if (!version) throw notFound(`secret value for VersionId: ${input.VersionId}`);
    } else {
      const stage = typeof input.VersionStage === 'string' ? input.VersionStage : 'AWSCURRENT';
      version = secret.versions.find((v) => v.stages.includes(stage));
      if (!version) throw notFound(`secret value for staging label: ${stage}`);
    }
    return {
      ARN: secret.arn,
      Name: secret.name,
      VersionId: version.id,
      SecretString: version.value,
      VersionStages: [...version.stages],
      // AWS JSON timestamps are epoch seconds.
      CreatedDate: version.created / 1000,
    };
  };

  const running = await startStandIn({
    service: 'secretsmanager',
    protocol: jsonProtocol({ version: '1.1', targetPrefix: 'secretsmanager', operations: ['GetSecretValue'] }),
    operations: { GetSecretValue: getSecretValue as (input: never, ctx: CallContext) => unknown },
    shared,
  });
  return {
    ...running,
    putSecret(name, value, where = options.home) {
      const k = scopedKey(where, name);
      const secret = secrets.get(k) ?? {
        arn: `arn:aws:secretsmanager:${where.region}:${where.account}:secret:${name}-${suffixOf(where.account, where.region, name)}`,
        name,
        versions: [],
      };
      secrets.set(k, secret);
      for (const v of secret.versions) v.stages = v.stages.includes('AWSCURRENT') ? ['AWSPREVIOUS'] : [];
      secret.versions.push({
        id: uuidFrom('secret-version', secret.arn, secret.versions.length + 1),
        value,
        created: shared.clock.ms(),
        stages: ['AWSCURRENT'],
      });
      return secret.arn;
    },
  };
};
