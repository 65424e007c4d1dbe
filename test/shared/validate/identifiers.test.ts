import { describe, expect, it } from 'vitest';
import {
  arnParts,
  isAccountId,
  isAwsAccountId,
  isRegion,
  isSecretName,
  isSsmParameterName,
} from '../../../shared/validate/identifiers.js';

describe('identifiers', () => {
  it.each([
    { value: '111122223333', person: true, aws: true },
    { value: '1112233445566', person: false, aws: true },
    { value: '1234', person: false, aws: false },
    { value: '11112222333a', person: false, aws: false },
  ])('account id $value: typed by a person $person, sent by AWS $aws', ({ value, person, aws }) => {
    expect(isAccountId(value)).toBe(person);
    expect(isAwsAccountId(value)).toBe(aws);
  });

  it.each([
    ['us-east-1', true],
    ['us-gov-west-1', true],
    ['eu-isoe-west-1', true],
    ['Ireland', false],
    ['us-east', false],
    [`${'a-'.repeat(50_000)}1`, false],
  ])('Region %s: %s', (value, expected) => {
    expect(isRegion(value)).toBe(expected);
  });

  it('checks SSM parameter and secret names, bounded in length', () => {
    expect(isSsmParameterName('/backup/rules')).toBe(true);
    expect(isSsmParameterName('/a b')).toBe(false);
    expect(isSsmParameterName('a'.repeat(2049))).toBe(false);
    expect(isSecretName('team/slack+hook@x')).toBe(true);
    expect(isSecretName('my secret!')).toBe(false);
  });

  it('splits ARNs through util-arn-parser, refusing malformed and oversized ones', () => {
    expect(arnParts('arn:aws:iam::111122223333:role/r')).toMatchObject({ service: 'iam', resource: 'role/r' });
    expect(arnParts('arn:aws:backup:us-east-1:1112233445566:backup-vault:v')?.accountId).toBe('1112233445566');
    expect(arnParts('arn:aws:backup:us-east-1:12ab:backup-vault:v')).toBeUndefined();
    expect(arnParts('arn:aws:sns:us-east-1:111122223333:')).toBeUndefined();
    expect(arnParts(`arn:aws:s3:::${'b'.repeat(3000)}`)).toBeUndefined();
    expect(arnParts(42)).toBeUndefined();
  });
});
