import { build, parse, validate } from '@aws-sdk/util-arn-parser';
import { ValidationError } from '../errors.js';
import { isAwsAccountId } from '../validate/identifiers.js';

/** The parts of an ARN, as `@aws-sdk/util-arn-parser` splits them. */
export interface ParsedArn {
  readonly partition: string;
  readonly service: string;
  /** Empty for global resources (S3 buckets, IAM roles). */
  readonly region: string;
  /** Empty for S3 buckets. Not checked for 12 digits: AWS's own sample events carry 13. */
  readonly accountId: string;
  readonly resource: string;
}

/** True when `value` is a string shaped like an ARN (`arn:partition:service:region:account:resource`). */
export function isArn(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 2048 && validate(value) && value.split(':')[5] !== '';
}

/**
 * Parses an ARN, or throws a {@link ValidationError} naming `field` and the value.
 * Lenient on the account id (12 or 13 digits, or empty), because AWS's published events use a
 * 13-digit account and S3 bucket ARNs have none.
 */
export function parseArn(arn: unknown, field = 'arn'): ParsedArn {
  if (!isArn(arn))
    throw new ValidationError(field, arn, 'must be an ARN (arn:partition:service:region:account:resource)');
  const parsed = parse(arn);
  if (parsed.accountId !== '' && !isAwsAccountId(parsed.accountId)) {
    throw new ValidationError(field, arn, 'must carry a numeric account id');
  }
  return parsed;
}

/** The account id of an ARN (may be empty for S3 buckets). */
export function accountOf(arn: string, field = 'arn'): string {
  return parseArn(arn, field).accountId;
}

/** The Region of an ARN (empty for global resources). */
export function regionOf(arn: string, field = 'arn'): string {
  return parseArn(arn, field).region;
}

/**
 * The vault name of a backup vault ARN (`arn:aws:backup:<region>:<account>:backup-vault:<name>`).
 * Everything after `backup-vault:` is the name: AWS's samples carry names with `/`.
 */
export function vaultNameFromArn(vaultArn: string, field = 'vaultArn'): string {
  const { service, resource } = parseArn(vaultArn, field);
  const prefix = 'backup-vault:';
  if (service !== 'backup' || !resource.startsWith(prefix) || resource.length === prefix.length) {
    throw new ValidationError(
      field,
      vaultArn,
      'must be a backup vault ARN (arn:aws:backup:<region>:<account>:backup-vault:<name>)',
    );
  }
  return resource.slice(prefix.length);
}

/**
 * The same ARN in another account: an IAM role of one name in each account (`inAccount(role,
 * '444455556666')`). Built by `@aws-sdk/util-arn-parser`.
 */
export function inAccount(arn: string, accountId: string, field = 'arn'): string {
  return build({ ...parseArn(arn, field), accountId });
}

/**
 * Builds a backup vault ARN. Pass the function's partition (its identity's): the default, `aws`, would
 * name a vault of another partition in aws-cn or GovCloud.
 */
export function vaultArn(region: string, accountId: string, vaultName: string, partition = 'aws'): string {
  return `arn:${partition}:backup:${region}:${accountId}:backup-vault:${vaultName}`;
}

/**
 * True for a continuous-backup recovery point (`…:recovery-point:continuous:…`, the form AWS uses for
 * point-in-time recovery points). StartCopyJob does not support continuous backups
 * (point-in-time-recovery-copying); AWS documents no flag on the recovery point, so the ARN form
 * is what we can check.
 */
export function isContinuousRecoveryPointArn(arn: string): boolean {
  return isArn(arn) && parse(arn).service === 'backup' && parse(arn).resource.startsWith('recovery-point:continuous:');
}
