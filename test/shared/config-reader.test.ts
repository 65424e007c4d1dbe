import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { EnvReader } from '../../shared/config-reader.js';
import { ConfigError } from '../../shared/errors.js';
import { ROLE_ARN } from '../../shared/validate/schemas.js';
import {
  boolean,
  integer,
  itemsOf,
  json,
  list,
  oneOf,
  optionalArn,
  optionalText,
  requiredText,
} from '../../shared/validate/settings.js';

describe('EnvReader', () => {
  it('collects every problem and reports them at once, each naming the setting and the value typed', () => {
    const r = new EnvReader({ N: ' x ', B: 'maybe', L: 'a,z', J: '{', A: 'arn:aws:sqs:us-east-1:1:q', O: 'c' });
    r.read({
      MISSING: requiredText(),
      N: integer(1, 1, 10),
      B: boolean(false),
      L: list([], itemsOf(['a', 'b'])),
      J: json(v.array(v.number())),
      A: optionalArn(ROLE_ARN),
      O: oneOf(['a', 'b'], 'a'),
    });
    expect(() => r.finish()).toThrow(ConfigError);
    expect(r.problems).toEqual([
      'MISSING is required',
      'N must be an integer from 1 to 10 (got "x")',
      'B must be true or false (got "maybe")',
      'L may only contain a, b (got "z")',
      expect.stringMatching(/^J is not valid JSON: /),
      'A must be an IAM role ARN arn:aws:iam::<account>:role/<name> (got "arn:aws:sqs:us-east-1:1:q")',
      'O must be one of a, b (got "c")',
    ]);
    expect(r.failed('N')).toBe(true);
    expect(r.failed('O')).toBe(true);
  });

  it('reads valid values and defaults blanks', () => {
    const r = new EnvReader({ N: ' 7 ', B: 'YES', L: ' a , ,b', S: '   ', J: '[1]' });
    expect(
      r.read({ N: integer(1, 1, 10), B: boolean(false), L: list([]), S: optionalText(), J: json(v.array(v.number())) }),
    ).toEqual({ N: 7, B: true, L: ['a', 'b'], S: undefined, J: [1] });
    expect(r.read({ D: integer(3, 0, 10) })).toEqual({ D: 3 });
    expect(() => r.finish()).not.toThrow();
  });

  it('names the JSON path of a problem inside a JSON setting, in the order of the JSON', () => {
    const r = new EnvReader({ J: '[{"b": "x", "a": "y"}]' });
    r.read({ J: json(v.array(v.object({ a: v.number('must be a number'), b: v.number('must be a number') }))) });
    expect(r.problems).toEqual(['J[0].b: must be a number (got "x")', 'J[0].a: must be a number (got "y")']);
  });

  it('refuses a list with an item listed twice, naming each repeated item once, with the items check too', () => {
    const r = new EnvReader({ L: 'b, a,c,a ,b,a', P: 'a,z,z' });
    r.read({ L: list([]), P: list([], itemsOf(['a', 'b'])) });
    expect(r.problems).toEqual([
      'L lists "b" twice',
      'L lists "a" 3 times',
      'P may only contain a, b (got "z,z")',
      'P lists "z" twice',
    ]);
    expect(r.failed('L')).toBe(true);
    // Blanks are dropped before the check, and items compare exactly (case counts).
    expect(new EnvReader({ L: 'a,,b, ,A' }).read({ L: list([]) })).toEqual({ L: ['a', 'b', 'A'] });
  });

  it('refuses a setting longer than any Lambda environment holds, without parsing it', () => {
    const r = new EnvReader({ J: `[${'1,'.repeat(20_000)}1]` });
    r.read({ J: json(v.array(v.number())) });
    expect(r.problems).toEqual(['J must be at most 32768 characters (got 40003)']);
  });
});
