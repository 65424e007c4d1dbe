import { describe, expect, it } from 'vitest';
import type { CallContext } from '../../../sandbox/http/stand-in.js';
import { scopedId, scopedKey } from '../../../sandbox/services/scope.js';

const ARN = /^arn:aws:ssm:([a-z0-9-]+):(\d{12}):parameter(\/.*)$/;
const ctx: CallContext = {
  principal: { accessKeyId: 'AKID', account: '111122223333', name: 'Fn' },
  region: 'us-east-1',
  now: 0,
  requestId: 'r',
};

describe('scopedId', () => {
  it("reads a bare name as the caller's account and Region", () => {
    expect(scopedId('/app/url', 'name', ARN, ctx)).toEqual({
      raw: '/app/url',
      where: { account: '111122223333', region: 'us-east-1' },
      name: '/app/url',
      byArn: false,
    });
  });

  it('reads an ARN as its own account and Region, and its resource part as the name', () => {
    const arn = 'arn:aws:ssm:eu-west-1:444455556666:parameter/app/url';
    expect(scopedId(arn, 'name', ARN, ctx)).toEqual({
      raw: arn,
      where: { account: '444455556666', region: 'eu-west-1' },
      name: '/app/url',
      byArn: true,
    });
  });

  it.each([[''], ['x'.repeat(2049)], [undefined], [7]])('refuses %j naming the member', (value) => {
    expect(() => scopedId(value, 'secretId', ARN, ctx)).toThrow(
      "1 validation error detected: Value at 'secretId' failed to satisfy constraint: Member must have length between 1 and 2048",
    );
  });

  it('keys a name per account and Region', () => {
    expect(scopedKey({ account: '1', region: 'r' }, 'n')).not.toBe(scopedKey({ account: '1', region: 's' }, 'n'));
  });
});
