import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { collectCopyRules } from '../../../functions/start-copy-job/rules.js';
import { arnSchema, BACKUP_VAULT_ARN, nonEmptyString } from '../../../shared/validate/schemas.js';
import { boundedString, wellFormed } from '../../../shared/validate/unicode.js';

const WELL_FORMED_EXPECTED = 'must be well-formed Unicode (no lone surrogate)';
const isWellFormed = (value: string): boolean => v.safeParse(v.pipe(v.string(), wellFormed()), value).success;

const firstMessage = (schema: v.GenericSchema, value: unknown): string | undefined =>
  v.safeParse(schema, value, { abortEarly: true }).issues?.[0]?.message;

describe('wellFormed', () => {
  it.each<[string, boolean]>([
    ['', true],
    ['plain ascii', true],
    ['vol-😀', true],
    ['\uD83D\uDE00', true],
    ['\uD800', false],
    ['\uDFFF', false],
    ['a\uDC00\uD800b', false],
    ['ends high \uDBFF', false],
  ])('%j: %s', (value, expected) => {
    expect(isWellFormed(value)).toBe(expected);
  });

  it('scans 2 MB in linear time', () => {
    const big = `${'😀'.repeat(1_000_000)}\uD800`;
    const started = performance.now();
    expect(isWellFormed(big)).toBe(false);
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe('boundedString, the shared string schema', () => {
  const schema = boundedString(8, 'must be a job id');

  it.each<[unknown, string | undefined]>([
    ['job-1', undefined],
    ['job-😀', undefined],
    [5, 'must be a job id'],
    ['job-\uD800', WELL_FORMED_EXPECTED],
    // The length bound comes first, so a huge value is never scanned.
    [`${'x'.repeat(100)}\uD800`, 'must be at most 8 characters'],
  ])('%j -> %s', (value, expected) => {
    expect(firstMessage(schema, value)).toBe(expected);
  });
});

describe('the settings schemas refuse lone surrogates', () => {
  it('nonEmptyString (vault names, globs, rule names)', () => {
    expect(firstMessage(nonEmptyString(), 'prod-*')).toBeUndefined();
    expect(firstMessage(nonEmptyString(), 'prod-\uD800')).toBe(WELL_FORMED_EXPECTED);
  });

  it('arnSchema', () => {
    // A vault name, whose characters the ARN check leaves to AWS (a role name's are IAM's: refused before).
    const vault = 'arn:aws:backup:us-east-1:111122223333:backup-vault:prod';
    expect(firstMessage(arnSchema(BACKUP_VAULT_ARN), vault)).toBeUndefined();
    expect(firstMessage(arnSchema(BACKUP_VAULT_ARN), `${vault}\uDC00`)).toBe(WELL_FORMED_EXPECTED);
  });

  it('a copy rule read from JSON with a \\uD800 escape names its path', () => {
    const rules = JSON.parse(`[{
      "name": "r",
      "match": { "sourceVault": "prod-\\uD800" },
      "destinations": [{ "vaultArn": "arn:aws:backup:us-west-2:111122223333:backup-vault:dr\\uDC00" }]
    }]`);
    const ctx = { accountId: '111122223333', defaultRoleArn: 'arn:aws:iam::111122223333:role/backup' };
    expect(collectCopyRules(rules, ctx).problems).toEqual([
      `COPY_RULES[0] ("r").match.sourceVault: ${WELL_FORMED_EXPECTED} (got "prod-\\ud800")`,
      `COPY_RULES[0] ("r").destinations[0].vaultArn: ${WELL_FORMED_EXPECTED} (got "arn:aws:backup:us-west-2:111122223333:backup-vault:dr\\udc00")`,
    ]);
  });
});
