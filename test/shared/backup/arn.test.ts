import { describe, expect, it } from 'vitest';
import {
  accountOf,
  inAccount,
  isArn,
  isContinuousRecoveryPointArn,
  parseArn,
  regionOf,
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

describe('inAccount', () => {
  it('names the same role in another account, partition and path kept', () => {
    expect(
      inAccount('arn:aws-us-gov:iam::111122223333:role/service-role/AWSBackupDefaultServiceRole', '444455556666'),
    ).toBe('arn:aws-us-gov:iam::444455556666:role/service-role/AWSBackupDefaultServiceRole');
  });

  it('refuses what is not an ARN, naming the field', () => {
    expect(() => inAccount('copy-role', '444455556666', 'DEFAULT_COPY_ROLE_ARN')).toThrow(/DEFAULT_COPY_ROLE_ARN/);
  });
});
