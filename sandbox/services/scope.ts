/**
 * Where the seeded resources of the account-scoped stand-ins (Secrets Manager, SSM, EventBridge
 * Scheduler) live, and how Secrets Manager and SSM read the name-or-ARN id their Get call takes.
 */
import { type CallContext, ServiceError } from '../http/stand-in.js';

/** Where a seeded resource lives (and which callers can read it). */
export interface HomeScope {
  readonly account: string;
  readonly region: string;
}

/** The key a stand-in files a resource under: a name is unique within an account and Region. */
export const scopedKey = (where: HomeScope, name: string): string => `${where.account}/${where.region}/${name}`;

/** What a name-or-ARN id names. */
export interface ScopedId {
  /** The id as the caller sent it. */
  readonly raw: string;
  /** The ARN's account and Region, else the caller's own. */
  readonly where: HomeScope;
  /** The ARN's resource part (the last capture of the pattern), else the id itself. */
  readonly name: string;
  readonly byArn: boolean;
}

/**
 * Reads the id of a GetSecretValue (SecretId) or GetParameter (Name) call: a name, or an ARN matched
 * by `arn` (captures: Region, account, resource part), of 1 to 2048 characters (API_GetSecretValue,
 * API_GetParameter). A bare name names a resource of the caller's account and Region.
 */
export const scopedId = (value: unknown, member: string, arn: RegExp, ctx: CallContext): ScopedId => {
  if (typeof value !== 'string' || value.length < 1 || value.length > 2048) {
    throw new ServiceError(
      'ValidationException',
      `1 validation error detected: Value at '${member}' failed to satisfy constraint: Member must have length between 1 and 2048`,
      400,
    );
  }
  const match = arn.exec(value);
  if (!match)
    return { raw: value, where: { account: ctx.principal.account, region: ctx.region }, name: value, byArn: false };
  return { raw: value, where: { region: match[1] ?? '', account: match[2] ?? '' }, name: match[3] ?? '', byArn: true };
};
