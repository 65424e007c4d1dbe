import { describe, expect, it } from 'vitest';
import { idempotencyToken } from '../../../shared/backup/index.js';
import { ValidationError } from '../../../shared/errors.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('idempotencyToken', () => {
  it('is deterministic and UUID-shaped', () => {
    const a = idempotencyToken('job-1', 2);
    expect(a).toMatch(UUID);
    expect(idempotencyToken('job-1', 2)).toBe(a);
    // Pinned: a change to the derivation would re-issue tokens for in-flight attempts after a deploy.
    expect(a).toMatchInlineSnapshot(`"53882328-71d3-599f-b37e-b71cfd90d7fb"`);
  });

  it.each([
    [
      ['job-1', 2],
      ['job-1', 3],
    ],
    [
      ['job-1', 2],
      ['job-2', 2],
    ],
    [
      ['ab', 'c'],
      ['a', 'bc'],
    ],
    [['1'], [1]],
    [['a:b'], ['a', 'b']],
  ])('different parts give different tokens: %j vs %j', (left, right) => {
    expect(idempotencyToken(...left)).not.toBe(idempotencyToken(...right));
  });

  it('gives distinct tokens across many attempts', () => {
    const tokens = new Set(Array.from({ length: 10_000 }, (_, i) => idempotencyToken('job', i)));
    expect(tokens.size).toBe(10_000);
  });

  it.each([[[]], [['']], [[Number.NaN]], [['a', Number.POSITIVE_INFINITY]]])('rejects %j', (parts) => {
    expect(() => idempotencyToken(...(parts as (string | number)[]))).toThrow(ValidationError);
  });
});
