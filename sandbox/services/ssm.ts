import { jsonProtocol } from '../http/json-protocol.js';
import {
  type CallContext,
  type RunningStandIn,
  type SandboxServices,
  ServiceError,
  startStandIn,
} from '../http/stand-in.js';
import { digest } from '../ids.js';
import { type HomeScope, scopedId, scopedKey } from './scope.js';

/** The parameter types of SSM Parameter Store. */
export type ParameterType = 'String' | 'StringList' | 'SecureString';

export interface RunningSsm extends RunningStandIn {
  /** Seeds a parameter (again: its next version, as PutParameter with Overwrite). Returns the version. */
  putParameter(name: string, value: string, type: ParameterType, where?: HomeScope): number;
}

interface ParameterVersion {
  readonly value: string;
  readonly type: ParameterType;
  readonly version: number;
  readonly modified: number;
}

// 12 digits, or 13 as in AWS's own published sample events (1112233445566): the sandbox runs those too.
const ARN = /^arn:aws[a-z-]*:ssm:([a-z0-9-]+):(\d{12,13}):parameter(\/.*)$/;

// API_GetParameter: "To query by parameter label, use "Name": "name:label". To query by parameter
// version, use "Name": "name:version"." A label cannot start with a digit, so digits mean a version.
const SELECTOR = /^(.*?)(?::([^:/]+))?$/;

// The ARN of a parameter: `parameter` followed by the name, with a slash added for names without a leading one
// (Systems Manager User Guide, "Working with parameter hierarchies"; IAM "Resource types defined by Systems Manager").
const arnOf = (where: HomeScope, name: string) =>
  `arn:aws:ssm:${where.region}:${where.account}:parameter${name.startsWith('/') ? '' : '/'}${name}`;

/**
 * Starts the SSM stand-in: `GetParameter` (API_GetParameter) by name, ARN, `name:version`, over AWS JSON
 * 1.1 (`X-Amz-Target: AmazonSSM.GetParameter`). A SecureString comes back decrypted only `WithDecryption`;
 * without it, the value is an opaque base64 blob, as AWS returns the ciphertext.
 */
export const startSsm = async (shared: SandboxServices, options: { readonly home: HomeScope }): Promise<RunningSsm> => {
  const parameters = new Map<string, ParameterVersion[]>();

  const getParameter = (input: { Name?: unknown; WithDecryption?: unknown }, ctx: CallContext) => {
    const { where, name, byArn } = scopedId(input.Name, 'name', ARN, ctx);
    const [, named = '', selector] = SELECTOR.exec(name) ?? [];
    // A name without a leading slash still has one after `parameter` in its ARN.
    const base = byArn && !parameters.has(scopedKey(where, named)) ? named.slice(1) : named;
    if (where.account !== ctx.principal.account || where.region !== ctx.region) {
      // Parameters are not shared across accounts or Regions (except advanced ones via RAM, not served here).
      throw new ServiceError('ParameterNotFound', '', 400);
    }
    const versions = parameters.get(scopedKey(where, base));
    if (!versions) throw new ServiceError('ParameterNotFound', '', 400);
    let found = versions.at(-1) as ParameterVersion;
    if (selector !== undefined) {
      const wanted = /^\d+$/.test(selector) ? versions.find((v) => v.version === Number(selector)) : undefined;
      if (!wanted) {
        throw new ServiceError(
          'ParameterVersionNotFound',
          `Systems Manager could not find version ${selector} of ${base}. Verify the version and try again.`,
          400,
        );
      }
      found = wanted;
    }
    const decrypt = input.WithDecryption === true;
    const value =
      found.type === 'SecureString' && !decrypt
        ? digest('ssm-ciphertext', where.account, base, found.version).toString('base64')
        : found.value;
    return {
      Parameter: {
        Name: base,
        Type: found.type,
        Value: value,
        Version: found.version,
        ...(selector !== undefined ? { Selector: `:${selector}` } : {}),
        // AWS JSON timestamps are epoch seconds.
        LastModifiedDate: found.modified / 1000,
        ARN: arnOf(where, base),
        DataType: 'text',
      },
    };
  };

  const running = await startStandIn({
    service: 'ssm',
    protocol: jsonProtocol({ version: '1.1', targetPrefix: 'AmazonSSM', operations: ['GetParameter'] }),
    operations: { GetParameter: getParameter as (input: never, ctx: CallContext) => unknown },
    shared,
  });
  return {
    ...running,
    putParameter(name, value, type, where = options.home) {
      const k = scopedKey(where, name);
      const versions = parameters.get(k) ?? [];
      const version = versions.length + 1;
      versions.push({ value, type, version, modified: shared.clock.ms() });
      parameters.set(k, versions);
      return version;
    },
  };
};
