import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { matchesPattern, validatePattern } from '../../../sandbox/template/event-pattern.js';
import { functionsOf } from '../../../sandbox/template/functions.js';
import { resolveTemplate } from '../../../sandbox/template/resolve.js';

const root = join(import.meta.dirname, '..', '..', '..');
/** The account the stack is deployed in; the rules match its events only. */
const STACK_ACCOUNT = '111122223333';
const OTHER_ACCOUNT = '444455556666';
const functions = functionsOf(
  resolveTemplate(readFileSync(join(root, 'template.yaml'), 'utf8'), {
    stackName: 'autopilot',
    account: STACK_ACCOUNT,
    region: 'us-west-2',
  }),
);
const rules = functions.flatMap((fn) => fn.rules.map((rule) => ({ id: `${fn.logicalId}.${rule.name}`, ...rule })));
const KINDS: Record<string, string> = {
  'backup-job': 'Backup Job State Change',
  'copy-job': 'Copy Job State Change',
  'restore-job': 'Restore Job State Change',
  'scan-job': 'Scan Job State Change',
};
const files = readdirSync(join(root, 'events')).filter((file) => file.endsWith('.json'));
const sample = (file: string): Record<string, unknown> => JSON.parse(readFileSync(join(root, 'events', file), 'utf8'));

describe('every template rule against every sample event', () => {
  it('has rules and events to check, from this account and others', () => {
    expect(rules.map((rule) => rule.id)).toEqual([
      'RetryFailedJobFunction.BackupJobFailed',
      'RetryFailedJobFunction.CopyJobFailed',
      'RetryFailedJobFunction.RestoreJobFailed',
      'RetryFailedJobFunction.ScanJobAlert',
      'StartCopyJobFunction.BackupJobCompleted',
      'StartCopyJobFunction.CopyJobCompleted',
    ]);
    expect(files.length).toBeGreaterThan(20);
    // AWS's samples carry several accounts (one of them 13 digits long): the as-published case below
    // sees both outcomes.
    const accounts = new Set(files.map((file) => sample(file).account));
    expect(accounts.has(STACK_ACCOUNT)).toBe(true);
    expect(accounts.size).toBeGreaterThan(1);
  });

  for (const rule of rules) {
    // Backup and copy events say `state`; restore events `status` (events/restore-job.failed.json).
    const pattern = rule.pattern as {
      'detail-type': string[];
      detail: { state?: string[]; status?: string[]; $or?: { state: string[]; scanResult?: unknown }[] };
    };
    it(`${rule.id} is a valid pattern that names the stack's account`, () => {
      expect(validatePattern(rule.pattern)).toEqual([]);
      expect(rule.pattern.account).toEqual([STACK_ACCOUNT]);
    });
    for (const file of files) {
      // `<kind>.<state>[.<variant>].json`: the rule exists for its detail-type and its state list.
      const [kind = '', state = ''] = file.split('.');
      const detail = sample(file).detail as { state?: string; scanResult?: { scanResultStatus?: string } };
      // The scan rule: FAILED, or finished with THREATS_FOUND (the only $or in the template).
      const alternatives = pattern.detail.$or ?? [{ state: pattern.detail.state ?? pattern.detail.status ?? [] }];
      const expected =
        pattern['detail-type'].includes(KINDS[kind] ?? '') &&
        alternatives.some(
          (a) =>
            a.state.includes(state.toUpperCase().replace(/-/g, '_')) &&
            (a.scanResult === undefined || detail.scanResult?.scanResultStatus === 'THREATS_FOUND'),
        );
      it(`${rule.id} ${expected ? 'matches' : 'does not match'} ${file} from the stack's account, and never from another`, () => {
        const event = sample(file);
        expect(matchesPattern(rule.pattern, { ...event, account: STACK_ACCOUNT })).toBe(expected);
        expect(matchesPattern(rule.pattern, { ...event, account: OTHER_ACCOUNT })).toBe(false);
        expect(matchesPattern(rule.pattern, event)).toBe(expected && event.account === STACK_ACCOUNT);
      });
    }
  }

  it('routes the FAILED restore sample to the restore rule only', () => {
    const event = { ...sample('restore-job.failed.json'), account: STACK_ACCOUNT };
    expect(rules.filter((rule) => matchesPattern(rule.pattern, event)).map((rule) => rule.id)).toEqual([
      'RetryFailedJobFunction.RestoreJobFailed',
    ]);
  });

  it.each([
    ['scan-job.failed.json', ['RetryFailedJobFunction.ScanJobAlert']],
    ['scan-job.completed.json', ['RetryFailedJobFunction.ScanJobAlert']],
    // AWS's COMPLETED_WITH_ISSUES sample found nothing: not alerted.
    ['scan-job.completed-with-issues.json', []],
    ['scan-job.canceled.json', []],
  ])('routes %s to %j', (file, expected) => {
    const event = { ...sample(file), account: STACK_ACCOUNT };
    expect(rules.filter((rule) => matchesPattern(rule.pattern, event)).map((rule) => rule.id)).toEqual(expected);
  });

  it('routes a COMPLETED_WITH_ISSUES scan that found threats to the scan rule', () => {
    const raw = sample('scan-job.completed-with-issues.json');
    const event = {
      ...raw,
      account: STACK_ACCOUNT,
      detail: { ...(raw.detail as object), scanResult: { scanResultStatus: 'THREATS_FOUND' } },
    };
    expect(rules.filter((rule) => matchesPattern(rule.pattern, event)).map((rule) => rule.id)).toEqual([
      'RetryFailedJobFunction.ScanJobAlert',
    ]);
  });

  it('routes each FAILED/EXPIRED backup sample to the retry rule only', () => {
    const event = { ...sample('backup-job.expired.json'), account: STACK_ACCOUNT };
    expect(rules.filter((rule) => matchesPattern(rule.pattern, event)).map((rule) => rule.id)).toEqual([
      'RetryFailedJobFunction.BackupJobFailed',
    ]);
  });
});

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
