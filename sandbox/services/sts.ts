/**
 * The STS stand-in: AssumeRole only, the one STS call the functions make (central mode assumes each
 * member account's role). It issues session credentials bound to the role's account, so every
 * stand-in sees the member account as the caller of what is signed with them, as AWS does.
 *
 * Roles are declared by the sandbox (`declareRole`), as the member template (org/member.yaml) creates
 * them: a name in an account and a trust that admits named principals of the central account. An
 * ARN with no role, or a caller the trust does not admit, is refused with AccessDenied, the answer
 * AWS gives for both ("User: <caller> is not authorized to perform: sts:AssumeRole on resource:
 * <role>", IAM User Guide, "Troubleshooting IAM roles").
 */
import type { Principal } from '../http/principals.js';
import { queryProtocol } from '../http/query-protocol.js';
import {
  type CallContext,
  type RunningStandIn,
  type SandboxServices,
  ServiceError,
  startStandIn,
} from '../http/stand-in.js';
import { uuidFrom } from '../ids.js';

/** A role the sandbox declares, and who may assume it. */
export interface DeclaredRole {
  readonly account: string;
  readonly name: string;
  /** The trust policy, as a predicate over the caller (the member template: the central functions' roles). */
  readonly trusts: (caller: Principal) => boolean;
  /** MaxSessionDuration in seconds (IAM default 3600). */
  readonly maxSessionSeconds?: number;
}

/** One AssumeRole the stand-in granted. */
export interface AssumedRole {
  readonly at: number;
  readonly roleArn: string;
  readonly sessionName: string;
  /** Who asked (a function's logical id). */
  readonly caller: string;
  /** The Region of the credential scope: the regional endpoint it was sent to. */
  readonly region: string;
  /** The access key id issued: every call signed with it is the role's account's. */
  readonly accessKeyId: string;
  readonly expiresAt: number;
}

export interface RunningSts extends RunningStandIn {
  declareRole(role: DeclaredRole): void;
  /** Every role assumed, in order. */
  assumed(): readonly AssumedRole[];
}

// API_AssumeRole: RoleArn 20 to 2048 characters; RoleSessionName 2 to 64 of [\w+=,.@-]; DurationSeconds 900 to 43200.
const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12,13}):role\/([\w+=,.@-]{1,64})$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
const XMLNS = 'https://sts.amazonaws.com/doc/2011-06-15/';

const validation = (message: string) => new ServiceError('ValidationError', message, 400);

/** Starts the STS stand-in (the Query protocol, API version 2011-06-15). */
export const startSts = async (shared: SandboxServices): Promise<RunningSts> => {
  const roles = new Map<string, DeclaredRole>();
  const assumed: AssumedRole[] = [];
  let issued = 0;

  const assumeRole = (input: Record<string, unknown>, ctx: CallContext) => {
    const roleArn = typeof input.RoleArn === 'string' ? input.RoleArn : '';
    const sessionName = typeof input.RoleSessionName === 'string' ? input.RoleSessionName : '';
    const match = roleArn.length <= 2048 ? ROLE_ARN.exec(roleArn) : null;
    if (!match) {
      throw validation(`1 validation error detected: Value '${roleArn}' at 'roleArn' failed to satisfy constraint`);
    }
    if (!SESSION_NAME.test(sessionName)) {
      throw validation(
        `1 validation error detected: Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`,
      );
    }
    const role = roles.get(`${match[1]}/${match[2]}`);
    const caller = ctx.principal;
    if (!role?.trusts(caller)) {
      throw new ServiceError(
        'AccessDenied',
        `User: arn:aws:sts::${caller.account}:assumed-role/${caller.name}/${caller.container ?? 'sandbox'} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
        403,
      );
    }
    const seconds = input.DurationSeconds === undefined ? 3600 : Number(input.DurationSeconds);
    const max = role.maxSessionSeconds ?? 3600;
    if (!Number.isInteger(seconds) || seconds < 900) {
      throw validation(
        `1 validation error detected: Value '${String(input.DurationSeconds)}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900`,
      );
    }
    if (seconds > max) {
      throw validation('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
    }
    issued += 1;
    const expiresAt = ctx.now + seconds * 1000;
    const principal = shared.principals.issue(role.account, `assumed-role/${role.name}/${sessionName}`, undefined, {
      expiresAt,
    });
    const roleId = `AROA${uuidFrom('sts', role.account, role.name).replace(/-/g, '').slice(0, 17).toUpperCase()}`;
    assumed.push({
      at: ctx.now,
      roleArn,
      sessionName,
      caller: caller.name,
      region: ctx.region,
      accessKeyId: principal.accessKeyId,
      expiresAt,
    });
    return {
      Credentials: {
        AccessKeyId: principal.accessKeyId,
        SecretAccessKey: 'sandbox',
        SessionToken: `sandbox-session-${issued}`,
        Expiration: new Date(expiresAt),
      },
      AssumedRoleUser: {
        AssumedRoleId: `${roleId}:${sessionName}`,
        Arn: `arn:aws:sts::${role.account}:assumed-role/${role.name}/${sessionName}`,
      },
      ResponseMetadata: { RequestId: ctx.requestId },
    };
  };

  const server = await startStandIn({
    service: 'sts',
    protocol: queryProtocol({ version: '2011-06-15', xmlns: XMLNS, operations: ['AssumeRole'] }),
    operations: { AssumeRole: assumeRole as never },
    shared,
  });
  return {
    ...server,
    declareRole: (role) => roles.set(`${role.account}/${role.name}`, role),
    assumed: () => [...assumed],
  };
};
