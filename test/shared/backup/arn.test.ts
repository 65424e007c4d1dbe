import { describe, expect, it } from 'vitest';
import {
  accountOf,
  isArn,
  isContinuousRecoveryPointArn,
  parseArn,
  regionOf,
  resourceTypeFromArn,
  vaultArn,
  vaultNameFromArn,
} from '../../../shared/backup/index.js';
import { ValidationError } from '../../../shared/errors.js';

describe('ARN helpers', () => {
  it('parses the 13-digit account AWS sample events carry', () => {
    const arn = 'arn:aws:backup:us-east-1:1234567890123:backup-vault:aws/backup/AutomatedBackupVault';
    expect(parseArn(arn)).toEqual({
      partition: 'aws',
      service: 'backup',
      region: 'us-east-1',
      accountId: '1234567890123',
      resource: 'backup-vault:aws/backup/AutomatedBackupVault',
    });
    expect(accountOf(arn)).toBe('1234567890123');
    expect(regionOf(arn)).toBe('us-east-1');
  });

  it('keeps the / in vault names', () => {
    expect(vaultNameFromArn('arn:aws:backup:us-east-1:123456789012:backup-vault:aws/backup/Vault')).toBe(
      'aws/backup/Vault',
    );
    expect(vaultNameFromArn('arn:aws-us-gov:backup:us-gov-west-1:123456789012:backup-vault:dr')).toBe('dr');
    expect(vaultArn('eu-west-1', '222233334444', 'dr')).toBe('arn:aws:backup:eu-west-1:222233334444:backup-vault:dr');
  });

  it.each([
    ['arn:aws:ec2:us-east-1:123456789012:volume/vol-0abc', 'EBS'],
    ['arn:aws:ec2:us-east-1::snapshot/snap-0abc', 'EBS'],
    ['arn:aws:ec2:us-east-1:123456789012:instance/i-0abc', 'EC2'],
    ['arn:aws:ec2:us-east-1::image/ami-0abc', 'EC2'],
    ['arn:aws:rds:us-east-1:123456789012:db:orders', 'RDS'],
    ['arn:aws:rds:us-east-1:123456789012:cluster:orders', 'Aurora'],
    ['arn:aws:dynamodb:us-east-1:123456789012:table/orders', 'DynamoDB'],
    ['arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/fs-1', 'EFS'],
    ['arn:aws:fsx:us-east-1:123456789012:file-system/fs-1', 'FSx'],
    ['arn:aws:storagegateway:us-east-1:123456789012:gateway/sgw-1/volume/vol-1', 'Storage Gateway'],
    ['arn:aws:s3:::my-bucket', 'S3'],
    ['arn:aws:redshift:us-east-1:123456789012:cluster:dw', 'Redshift'],
    ['arn:aws:cloudformation:us-east-1:123456789012:stack/app/1', 'CloudFormation'],
    ['arn:aws:lambda:us-east-1:123456789012:function:f', undefined],
  ])('resource type of %s is %s', (arn, type) => {
    expect(resourceTypeFromArn(arn)).toBe(type);
  });

  it('recognises continuous recovery points by ARN form', () => {
    expect(
      isContinuousRecoveryPointArn('arn:aws:backup:us-east-1:123456789012:recovery-point:continuous:db-1-abc'),
    ).toBe(true);
    expect(isContinuousRecoveryPointArn('arn:aws:backup:us-east-1:123456789012:recovery-point:1EB3B5E7-9EB0')).toBe(
      false,
    );
    expect(isContinuousRecoveryPointArn('not an arn')).toBe(false);
  });

  it.each([
    ['not-an-arn', 'must be an ARN'],
    ['arn:aws:backup', 'must be an ARN'],
    [42, 'must be an ARN'],
    ['arn:aws:backup:us-east-1:12ab:backup-vault:v', 'must carry a numeric account id'],
    ['x'.repeat(5000), 'must be an ARN'],
  ])('rejects %s naming the field', (value, reason) => {
    expect(() => parseArn(value, 'destinationVaultArn')).toThrow(ValidationError);
    expect(() => parseArn(value, 'destinationVaultArn')).toThrow(new RegExp(`^destinationVaultArn ${reason}`));
  });

  it('rejects a non-vault ARN as a vault', () => {
    expect(() => vaultNameFromArn('arn:aws:s3:::bucket')).toThrow(/vaultArn must be a backup vault ARN/);
    expect(() => vaultNameFromArn('arn:aws:backup:us-east-1:123456789012:backup-vault:')).toThrow(ValidationError);
  });

  it('isArn is a type guard that refuses non-strings and empty resources', () => {
    expect(isArn(undefined)).toBe(false);
    expect(isArn({})).toBe(false);
    expect(isArn('arn:aws:s3:::bucket')).toBe(true);
  });
});
