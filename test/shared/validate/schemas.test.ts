import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { MAX_GLOB_LENGTH } from '../../../shared/glob.js';
import { describeIssues } from '../../../shared/validate/problems.js';
import {
  BACKUP_VAULT_ARN,
  globSchema,
  isArnOf,
  listOf,
  ROLE_ARN,
  regionSchema,
} from '../../../shared/validate/schemas.js';
import { isWellFormed } from '../../../shared/validate/unicode.js';

const problemsOf = (schema: v.GenericSchema, input: unknown): string[] => {
  const result = v.safeParse(schema, input);
  return result.success ? [] : describeIssues('S', result.issues);
};

describe('listOf', () => {
  it('refuses every repeat at its position, naming where the item was first listed', () => {
    expect(problemsOf(listOf(v.string()), ['a', 'b', 'a', 'c', 'b', 'a'])).toEqual([
      'S[2]: "a" is already listed at [0]',
      'S[4]: "b" is already listed at [1]',
      'S[5]: "a" is already listed at [0]',
    ]);
    expect(problemsOf(listOf(v.number()), [1, 2, 1])).toEqual(['S[2]: 1 is already listed at [0]']);
  });

  it('accepts distinct items, which compare exactly', () => {
    expect(v.parse(listOf(v.string()), ['a', 'A', ' a'])).toEqual(['a', 'A', ' a']);
  });

  it('reports a malformed item once, not again as a repeat of another malformed one', () => {
    expect(problemsOf(listOf(regionSchema), ['Ireland', 'us-east-1', 'Ireland', 'us-east-1'])).toEqual([
      'S[0]: must be a Region code such as us-east-1 (got "Ireland")',
      'S[2]: must be a Region code such as us-east-1 (got "Ireland")',
      'S[3]: "us-east-1" is already listed at [1]',
    ]);
  });

  it('leaves object items to their own schema', () => {
    expect(v.parse(listOf(v.object({ a: v.number() })), [{ a: 1 }, { a: 1 }])).toEqual([{ a: 1 }, { a: 1 }]);
  });

  it('checks the length bounds as before', () => {
    expect(problemsOf(listOf(v.string()), [])).toEqual(['S must be a non-empty array (got [])']);
  });
});

describe('globSchema', () => {
  it('accepts a glob of up to the bound', () => {
    const longest = 'a*'.repeat(MAX_GLOB_LENGTH / 2);
    expect(v.parse(globSchema(), longest)).toBe(longest);
    expect(v.parse(globSchema(), 'é😀?')).toBe('é😀?');
  });

  it.each([
    ['', 'S must be a non-empty string (a vault name glob) (got "")'],
    ['  ', 'S must be a non-empty string (a vault name glob) (got "  ")'],
    [7, 'S must be a non-empty string (a vault name glob) (got 7)'],
    ['a\udc00', 'S must be well-formed Unicode (no lone surrogate) (got "a\\udc00")'],
  ])('refuses %j', (input, problem) => {
    expect(problemsOf(globSchema('a vault name glob'), input)).toEqual([problem]);
  });

  it('refuses a glob longer than the bound, saying the bound', () => {
    const [problem] = problemsOf(globSchema('an ARN glob'), 'a'.repeat(MAX_GLOB_LENGTH + 1));
    expect(problem).toMatch(/^S must be an ARN glob of at most 2048 characters \(got "a+… \(2051 characters\)\)$/);
  });
});

describe('isWellFormed', () => {
  it.each([
    ['', true],
    ['plain', true],
    ['😀 pair', true],
    ['\ud83d', false],
    ['\ude00', false],
    ['\ude00\ud83d', false],
  ])('%j: %s', (text, expected) => {
    expect(isWellFormed(text)).toBe(expected);
  });
});

describe('isArnOf: the ARN names what it must, down to its Region, account and resource', () => {
  it.each([
    ['arn:aws:iam::111122223333:role/service-role/AWSBackupDefaultServiceRole', true],
    ['arn:aws-us-gov:iam::111122223333:role/a/b/copy+=,.@_-role', true],
    ['arn:aws:iam::111122223333:role/*', false],
    ['arn:aws:iam::111122223333:role/backup*', false],
    ['arn:aws:iam::111122223333:role/back?up', false],
    ['arn:aws:iam::111122223333:role/team//copier', false],
    [`arn:aws:iam::111122223333:role/${'r'.repeat(65)}`, false],
    ['arn:aws:iam:us-east-1:111122223333:role/copier', false],
    ['arn:aws:iam:::role/copier', false],
  ])('role %s: %s', (arn, ok) => {
    expect(isArnOf(arn, ROLE_ARN)).toBe(ok);
  });

  it.each([
    ['arn:aws:backup:us-east-1:111122223333:backup-vault:prod', true],
    ['arn:aws:backup::111122223333:backup-vault:prod', false],
    ['arn:aws:backup:us-east-1::backup-vault:prod', false],
    ['arn:aws:backup:not a region:111122223333:backup-vault:prod', false],
    ['arn:aws:backup:us-east-1:111122223333:backup-vault:', false],
  ])('vault %s: %s', (arn, ok) => {
    expect(isArnOf(arn, BACKUP_VAULT_ARN)).toBe(ok);
  });
});
