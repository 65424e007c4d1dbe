/**
 * The one place that says what an AWS identifier looks like: account ids, Regions, ARNs, SSM
 * parameter names and Secrets Manager secret names. Every check bounds the length before it runs a
 * regular expression, so hostile input of any size costs linear time.
 */
import { parse, validate } from '@aws-sdk/util-arn-parser';

/**
 * An account id a person types (a setting, a copy rule, a mute rule): exactly 12 digits, which is
 * what AWS account ids are ("a 12-digit number", IAM User Guide, "View AWS account identifiers").
 */
export const ACCOUNT_ID = /^\d{12}$/;

/**
 * An account id AWS hands us (an event's `account`, ACCOUNT_ID from `AWS::AccountId`, an ARN's
 * account part): 12 digits, or 13, because AWS's own published sample events carry `1112233445566`
 * (Backup Developer Guide, eventbridge.html) and the sandbox replays those samples. Lenient here,
 * strict in {@link ACCOUNT_ID}: rejecting AWS's own sample would reject nothing a person got wrong.
 */
export const AWS_ACCOUNT_ID = /^\d{12,13}$/;

/**
 * A Region code: `us-east-1`, `eu-central-2`, `us-gov-west-1`, `cn-north-1`, `eu-isoe-west-1`
 * (Regions and Zones, AWS General Reference). Every group starts with `-`, so the match is linear.
 */
export const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
/** Longest Region code accepted; the longest AWS has used so far has 14 characters. */
export const MAX_REGION_LENGTH = 32;

/**
 * An SSM parameter name, with or without the leading `/` of a hierarchy: letters, digits and
 * `_.-/`, at most 2048 characters (API_PutParameter, `Name`).
 */
export const SSM_PARAMETER_NAME = /^[A-Za-z0-9_.\-/]{1,2048}$/;

/** A Secrets Manager secret name: letters, digits and `/_+=.@-`, at most 512 characters (API_CreateSecret, `Name`). */
export const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;

/** Longest ARN accepted (the longest AWS Backup's model allows for a resource ARN is 2048). */
export const MAX_ARN_LENGTH = 2048;

/** True for a 12-digit account id (what a person should type). */
export function isAccountId(value: string): boolean {
  return value.length === 12 && ACCOUNT_ID.test(value);
}

/** True for an account id as AWS may send it (12 or 13 digits, see {@link AWS_ACCOUNT_ID}). */
export function isAwsAccountId(value: string): boolean {
  return value.length <= 13 && AWS_ACCOUNT_ID.test(value);
}

/** True for a Region code such as `us-east-1`. */
export function isRegion(value: string): boolean {
  return value.length <= MAX_REGION_LENGTH && REGION.test(value);
}

/** True for an SSM parameter name. */
export function isSsmParameterName(value: string): boolean {
  return value.length <= 2048 && SSM_PARAMETER_NAME.test(value);
}

/** True for a Secrets Manager secret name. */
export function isSecretName(value: string): boolean {
  return value.length <= 512 && SECRET_NAME.test(value);
}

/** The parts of an ARN, as `@aws-sdk/util-arn-parser` splits them. */
export interface ArnParts {
  readonly partition: string;
  readonly service: string;
  /** Empty for global resources (S3 buckets, IAM roles). */
  readonly region: string;
  /** Empty for S3 buckets. */
  readonly accountId: string;
  readonly resource: string;
}

/**
 * Splits an ARN through `@aws-sdk/util-arn-parser` (`arn:partition:service:region:account:resource`),
 * or returns `undefined` when `value` is not one: longer than {@link MAX_ARN_LENGTH}, fewer than six
 * parts, an empty resource, or an account part that is neither empty nor an AWS account id.
 */
export function arnParts(value: unknown): ArnParts | undefined {
  if (typeof value !== 'string' || value.length > MAX_ARN_LENGTH || !validate(value)) return undefined;
  const parts = parse(value);
  if (parts.resource === '' || (parts.accountId !== '' && !isAwsAccountId(parts.accountId))) return undefined;
  return parts;
}
