import { describe, expect, it } from 'vitest';
import { matchesPattern, validatePattern } from '../../../sandbox/template/event-pattern.js';

// The matcher itself. template.yaml's rules against the sample events of events/ are checked in
// test/template/rule-patterns.test.ts.
const event = {
  source: 'aws.backup',
  'detail-type': 'Backup Job State Change',
  resources: ['arn:aws:ec2:us-west-2::snapshot/snap-1', 'arn:aws:backup:us-west-2:1:recovery-point:abc'],
  detail: {
    state: 'FAILED',
    percentDone: 42.5,
    bytesTransferred: '0',
    isParent: false,
    parent: null,
    sourceIp: '10.0.3.7',
    sourceIp6: '2001:db8::17',
    vault: 'Prod-Vault/Daily',
    createdBy: { backupPlanId: 'plan-1' },
    tags: [
      { key: 'env', value: 'prod' },
      { key: 'team', value: 'db' },
    ],
    empty: [],
  },
};
const m = (detail: Record<string, unknown>) => matchesPattern({ detail }, event);

describe('matchesPattern, as EventBridge evaluates patterns', () => {
  it('ANDs fields, ORs listed values, and matches exact strings, numbers, booleans and null by type', () => {
    expect(matchesPattern({ source: ['aws.backup'], detail: { state: ['COMPLETED', 'FAILED'] } }, event)).toBe(true);
    expect(matchesPattern({ source: ['aws.backup'], detail: { state: ['COMPLETED'] } }, event)).toBe(false);
    expect(m({ percentDone: [42.5] })).toBe(true);
    expect(m({ bytesTransferred: [0] })).toBe(false);
    expect(m({ bytesTransferred: ['0'] })).toBe(true);
    expect(m({ isParent: [false] })).toBe(true);
    expect(m({ isParent: ['false'] })).toBe(false);
    expect(m({ parent: [null] })).toBe(true);
    expect(m({ missing: [null] })).toBe(false);
    expect(matchesPattern({ 'detail-type': ['backup job state change'] }, event)).toBe(false);
  });

  it('matches a field whose value is an array when any element matches, including arrays of objects', () => {
    expect(matchesPattern({ resources: [{ prefix: 'arn:aws:backup:' }] }, event)).toBe(true);
    expect(matchesPattern({ resources: ['arn:aws:ec2:us-west-2::snapshot/snap-1'] }, event)).toBe(true);
    expect(m({ tags: { key: ['team'], value: ['db'] } })).toBe(true);
    // One element must match the whole nested pattern (array consistency).
    expect(m({ tags: { key: ['team'], value: ['prod'] } })).toBe(false);
  });

  it('supports prefix, suffix and equals-ignore-case, alone and combined', () => {
    expect(m({ vault: [{ prefix: 'Prod-' }] })).toBe(true);
    expect(m({ vault: [{ prefix: 'prod-' }] })).toBe(false);
    expect(m({ vault: [{ prefix: { 'equals-ignore-case': 'prod-' } }] })).toBe(true);
    expect(m({ vault: [{ suffix: '/Daily' }] })).toBe(true);
    expect(m({ vault: [{ suffix: { 'equals-ignore-case': '/DAILY' } }] })).toBe(true);
    expect(m({ vault: [{ 'equals-ignore-case': 'prod-vault/daily' }] })).toBe(true);
    expect(m({ state: [{ prefix: 'F' }, 'COMPLETED'] })).toBe(true);
  });

  it('supports anything-but with values, lists, prefix, suffix, equals-ignore-case and wildcard', () => {
    expect(m({ state: [{ 'anything-but': 'COMPLETED' }] })).toBe(true);
    expect(m({ state: [{ 'anything-but': ['FAILED', 'EXPIRED'] }] })).toBe(false);
    expect(m({ percentDone: [{ 'anything-but': [42.5] }] })).toBe(false);
    expect(m({ vault: [{ 'anything-but': { prefix: 'Prod' } }] })).toBe(false);
    expect(m({ vault: [{ 'anything-but': { suffix: '/Weekly' } }] })).toBe(true);
    expect(m({ state: [{ 'anything-but': { 'equals-ignore-case': ['failed'] } }] })).toBe(false);
    expect(m({ vault: [{ 'anything-but': { wildcard: '*/Daily' } }] })).toBe(false);
    // anything-but needs the field to be there.
    expect(m({ missing: [{ 'anything-but': 'x' }] })).toBe(false);
  });

  it('supports numeric ranges and equality on numbers only', () => {
    expect(m({ percentDone: [{ numeric: ['>', 0, '<=', 50] }] })).toBe(true);
    expect(m({ percentDone: [{ numeric: ['>=', 50] }] })).toBe(false);
    expect(m({ percentDone: [{ numeric: ['=', 42.5] }] })).toBe(true);
    expect(m({ bytesTransferred: [{ numeric: ['=', 0] }] })).toBe(false);
  });

  it('supports exists on leaves only', () => {
    expect(m({ state: [{ exists: true }] })).toBe(true);
    expect(m({ missing: [{ exists: false }] })).toBe(true);
    expect(m({ missing: [{ exists: true }] })).toBe(false);
    expect(m({ createdBy: [{ exists: true }] })).toBe(false);
    expect(m({ empty: [{ exists: false }] })).toBe(true);
    expect(matchesPattern({ nothing: { deeper: [{ exists: false }] } }, event)).toBe(true);
  });

  it('supports wildcard with escapes, cidr (IPv4 and IPv6) and $or', () => {
    expect(m({ vault: [{ wildcard: 'Prod-*/D*y' }] })).toBe(true);
    expect(m({ vault: [{ wildcard: 'Prod-*/W*' }] })).toBe(false);
    expect(matchesPattern({ a: [{ wildcard: 'x\\*y' }] }, { a: 'x*y' })).toBe(true);
    expect(matchesPattern({ a: [{ wildcard: 'x\\*y' }] }, { a: 'xzy' })).toBe(false);
    expect(m({ sourceIp: [{ cidr: '10.0.0.0/16' }] })).toBe(true);
    expect(m({ sourceIp: [{ cidr: '10.1.0.0/16' }] })).toBe(false);
    expect(m({ sourceIp6: [{ cidr: '2001:db8::/32' }] })).toBe(true);
    expect(m({ $or: [{ state: ['COMPLETED'] }, { percentDone: [{ numeric: ['>', 40] }] }] })).toBe(true);
    expect(m({ $or: [{ state: ['COMPLETED'] }, { percentDone: [{ numeric: ['>', 50] }] }] })).toBe(false);
  });

  it('matches nothing with an invalid pattern', () => {
    expect(matchesPattern({ source: 'aws.backup' }, event)).toBe(false);
  });
});

describe('validatePattern, what PutRule refuses', () => {
  it('accepts the documented forms', () => {
    expect(
      validatePattern({
        source: ['aws.backup', { prefix: 'aws.' }],
        detail: {
          n: [{ numeric: ['>', 0, '<=', 5] }, { numeric: ['=', 3] }],
          ip: [{ cidr: '10.0.0.0/24' }],
          x: [{ exists: false }, null, true, 1],
          y: [{ 'anything-but': { prefix: 'us-' } }, { 'anything-but': [1, 2] }, { wildcard: 'a*b' }],
          $or: [{ a: ['1'] }, { b: ['2'] }],
        },
      }),
    ).toEqual([]);
  });

  it('names each problem and where it is', () => {
    expect(
      validatePattern({
        source: 'aws.backup',
        'detail-type': [],
        detail: {
          a: [{ prefix: 1 }],
          b: [{ numeric: ['>', 5, '<', 1] }],
          c: [{ cidr: '10.0.0.0/33' }],
          d: [{ wildcard: 'a**b' }],
          e: [{ 'anything-but': ['x', 1] }],
          f: [{ exists: 'yes' }],
          g: [{ contains: 'x' }],
          h: [[1]],
          i: {},
          $or: [{ z: ['1'] }],
        },
      }),
    ).toEqual([
      'source: a value must be in a list (got "aws.backup")',
      'detail-type: empty lists are not allowed',
      'detail.a[0]: prefix takes a string or {"equals-ignore-case": string}',
      'detail.b[0]: numeric range is empty (5 .. 1)',
      'detail.c[0]: cidr must be an IPv4 or IPv6 network/prefix (got "10.0.0.0/33")',
      'detail.d[0]: consecutive wildcard characters are not allowed',
      'detail.e[0]: anything-but takes a non-empty list of only strings or only numbers',
      'detail.f[0]: exists takes true or false',
      'detail.g[0]: contains is not an event pattern operator',
      'detail.h[0]: must be a string, number, boolean, null or content filter',
      'detail.i: empty objects are not allowed',
      'detail.$or: $or takes a list of at least two objects',
    ]);
    expect(validatePattern([])).toEqual(['an event pattern must be a JSON object']);
    expect(validatePattern({ n: [{ numeric: ['>', 6e9] }] })[0]).toContain('between -5e9 and 5e9');
  });
});
