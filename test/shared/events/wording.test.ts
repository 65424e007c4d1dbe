/**
 * The wording of event errors (docs/events.md): `event <path> <what was expected> (got <value>)`,
 * `is required` for an absent member, every word ours, ids checked for well-formed Unicode.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { describeEventValue, EventParseError } from '../../../shared/errors.js';
import { cleanStatusMessage, parseBackupEvent, parseEventShape } from '../../../shared/events/index.js';

type Json = Record<string, unknown> & { detail: Record<string, unknown> };
const dir = join(import.meta.dirname, '..', '..', '..', 'events');
const load = (name: string): Json => JSON.parse(readFileSync(join(dir, name), 'utf8')) as Json;
// Every job event in events/ (published samples, derived states and function variants).
const SAMPLES = readdirSync(dir).filter((f) => /^(backup|copy|restore)-job\..+\.json$/.test(f));

/** The message parseBackupEvent throws for `raw`; fails the test for any other outcome. */
const messageOf = (raw: unknown): string => {
  try {
    parseBackupEvent(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(EventParseError);
    return (error as Error).message;
  }
  throw new Error('expected an EventParseError');
};

/** A copy of `base` with the member at `path` (`detail.createdBy.backupPlanId`) changed by `change`. */
const edited = (
  base: Json,
  path: readonly string[],
  change: (parent: Record<string, unknown>, key: string) => void,
) => {
  const raw = structuredClone(base) as Record<string, unknown>;
  let parent = raw;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string, unknown>;
  change(parent, path[path.length - 1] as string);
  return raw;
};
const without = (base: Json, path: readonly string[]) => edited(base, path, (p, k) => delete p[k]);
const setTo = (base: Json, path: readonly string[], value: unknown) => edited(base, path, (p, k) => (p[k] = value));

/** Every member path of a sample: the envelope's, the detail's and createdBy's. */
const membersOf = (raw: Json): string[][] => {
  const paths = Object.keys(raw).map((key) => [key]);
  for (const key of Object.keys(raw.detail)) {
    paths.push(['detail', key]);
    const inner = raw.detail[key];
    if (key === 'createdBy' && inner && typeof inner === 'object') {
      for (const k of Object.keys(inner)) paths.push(['detail', key, k]);
    }
  }
  return paths;
};

const ENVELOPE_REQUIRED = ['id', 'source', 'detail-type', 'account', 'region', 'time', 'detail'];

/**
 * What deleting `path` from a sample must say, or `undefined` when the member is optional and the
 * event must still parse. Written from AWS's samples and eventbridge.html, not from the schema.
 */
const requiredMessage = (file: string, raw: Json, path: readonly string[]): string | undefined => {
  const name = path.join('.');
  const state = String(raw.detail.state ?? raw.detail.status);
  if (path.length === 1) return ENVELOPE_REQUIRED.includes(name) ? `event ${name} is required` : undefined;
  if (name === 'detail.createdBy.backupPlanId' || (name === 'detail.state' && !file.startsWith('restore'))) {
    return `event ${name} is required`;
  }
  if (file.startsWith('backup-job.')) {
    if (name === 'detail.backupJobId') return `event ${name} is required`;
    if (name === 'detail.backupVaultName' && state !== 'CREATED')
      return `event ${name} is required for a ${state} backup job`;
  }
  if (file.startsWith('copy-job.')) {
    if (name === 'detail.copyJobId' && state !== 'CREATED') return `event ${name} is required for a ${state} copy job`;
    if (name === 'detail.destinationBackupVaultArn' && state === 'COMPLETED') {
      return 'event detail.destinationBackupVaultArn is required for a COMPLETED copy job';
    }
  }
  if (file.startsWith('restore-job.')) {
    if (name === 'detail.restoreJobId') return `event ${name} is required`;
    // `status`, or `state` on AWS's CREATED sample: deleting the one there is names `status`.
    if (name === 'detail.status' || name === 'detail.state') return 'event detail.status is required (or detail.state)';
  }
  return undefined;
};

const deletions = SAMPLES.flatMap((file) => {
  const raw = load(file);
  return membersOf(raw).map((path) => ({ file, path, expected: requiredMessage(file, raw, path) }));
});

describe('every member of every sample in events/, deleted in turn', () => {
  it('covers the required members of each kind', () => {
    const required = new Set(deletions.filter((d) => d.expected).map((d) => d.path.join('.')));
    for (const name of [...ENVELOPE_REQUIRED, 'detail.backupJobId', 'detail.copyJobId', 'detail.restoreJobId']) {
      expect(required).toContain(name);
    }
    expect(required).toContain('detail.createdBy.backupPlanId');
  });

  it.each(deletions)('$file without $path: $expected', ({ file, path, expected }) => {
    const raw = without(load(file), path);
    if (expected === undefined) expect(() => parseBackupEvent(raw)).not.toThrow();
    else expect(messageOf(raw)).toBe(expected);
  });
});

const failed = load('backup-job.failed.json');
const running = load('backup-job.running.json');
const completed = load('backup-job.completed.json');
const copyFailed = load('copy-job.failed.json');
const restoreCompleted = load('restore-job.completed.json');

describe('a member of the wrong type names its path, the value with its type and what was expected', () => {
  it.each<{ raw: unknown; path: readonly string[]; value: unknown; expected: string }>([
    {
      raw: failed,
      path: ['detail', 'backupJobId'],
      value: 5,
      expected: 'event detail.backupJobId must be a string (got number 5)',
    },
    {
      raw: failed,
      path: ['detail', 'backupJobId'],
      value: null,
      expected: 'event detail.backupJobId must be a string (got null)',
    },
    {
      raw: failed,
      path: ['detail', 'backupJobId'],
      value: '  ',
      expected: 'event detail.backupJobId must not be empty (got "  ")',
    },
    {
      raw: copyFailed,
      path: ['detail', 'copyJobId'],
      value: [1, 2],
      expected: 'event detail.copyJobId must be a string (got an array of 2 items)',
    },
    {
      raw: restoreCompleted,
      path: ['detail', 'restoreJobId'],
      value: {},
      expected: 'event detail.restoreJobId must be a string (got an object)',
    },
    { raw: failed, path: ['id'], value: 7, expected: 'event id must be a string (got number 7)' },
    { raw: failed, path: ['version'], value: 0, expected: 'event version must be a string (got number 0)' },
    {
      raw: failed,
      path: ['detail', 'backupVaultName'],
      value: true,
      expected: 'event detail.backupVaultName must be a string (got boolean true)',
    },
    {
      raw: failed,
      path: ['detail', 'resourceArn'],
      value: 5,
      expected: 'event detail.resourceArn must be an ARN (got number 5)',
    },
    {
      raw: failed,
      path: ['detail', 'iamRoleArn'],
      value: 'role',
      expected: 'event detail.iamRoleArn must be an ARN (got "role")',
    },
    {
      raw: completed,
      path: ['detail', 'recoveryPointArn'],
      value: 5,
      expected: 'event detail.recoveryPointArn must be an ARN or {} (got number 5)',
    },
    {
      raw: copyFailed,
      path: ['detail', 'destinationRecoveryPointArn'],
      value: { arn: 'x' },
      expected: 'event detail.destinationRecoveryPointArn must be an ARN or {} (got an object)',
    },
    {
      raw: failed,
      path: ['detail', 'creationDate'],
      value: 1594849265921,
      expected: 'event detail.creationDate must be a date string (got number 1594849265921)',
    },
    {
      raw: failed,
      path: ['detail', 'startBy'],
      value: 'soon',
      expected: 'event detail.startBy must be an ISO 8601 date or AWS\'s "Jul 15, 2020 9:39:07 PM" form (got "soon")',
    },
    {
      raw: failed,
      path: ['detail', 'bytesTransferred'],
      value: 'lots',
      expected: 'event detail.bytesTransferred must be a number or a numeric string (got "lots")',
    },
    {
      raw: failed,
      path: ['detail', 'percentDone'],
      value: true,
      expected: 'event detail.percentDone must be a number or a numeric string (got boolean true)',
    },
    {
      raw: failed,
      path: ['detail', 'statusMessage'],
      value: 7,
      expected: 'event detail.statusMessage must be a string (got number 7)',
    },
    {
      raw: failed,
      path: ['detail', 'state'],
      value: 5,
      expected:
        'event detail.state must be one of CREATED, PENDING, RUNNING, ABORTING, ABORTED, COMPLETED, FAILED, EXPIRED, PARTIAL (got number 5)',
    },
    {
      raw: running,
      path: ['detail', 'createdBy'],
      value: 'plan',
      expected: 'event detail.createdBy must be an object (got "plan")',
    },
    {
      raw: running,
      path: ['detail', 'createdBy', 'backupPlanArn'],
      value: 1,
      expected: 'event detail.createdBy.backupPlanArn must be an ARN (got number 1)',
    },
    {
      raw: failed,
      path: ['account'],
      value: 111122223333,
      expected: 'event account must be an account id (12 digits, or 13) (got number 111122223333)',
    },
    {
      raw: failed,
      path: ['region'],
      value: 'mars',
      expected: 'event region must be an AWS Region code such as us-east-1 (got "mars")',
    },
    {
      raw: failed,
      path: ['time'],
      value: 1595966126000,
      expected: 'event time must be a date string (got number 1595966126000)',
    },
    { raw: failed, path: ['resources'], value: 'arn', expected: 'event resources must be an array (got "arn")' },
    { raw: failed, path: ['resources'], value: [5], expected: 'event resources.0 must be a string (got number 5)' },
    { raw: failed, path: ['source'], value: 5, expected: 'event source must be "aws.backup" (got number 5)' },
    {
      raw: failed,
      path: ['detail-type'],
      value: 5,
      expected:
        'event detail-type must be one of Backup Job State Change, Copy Job State Change, Restore Job State Change (got number 5)',
    },
    { raw: failed, path: ['detail'], value: [], expected: 'event detail must be an object (got an array of 0 items)' },
  ])('$path = $value', ({ raw, path, value, expected }) => {
    expect(messageOf(setTo(raw as Json, path, value))).toBe(expected);
  });

  it('a non-object event is described by its shape, never quoted', () => {
    expect(messageOf([failed])).toBe('event (event) must be an EventBridge event object (got an array of 1 item)');
    expect(messageOf(42)).toBe('event (event) must be an EventBridge event object (got number 42)');
  });

  // Object.prototype's keys must not find a parser: "constructor" used to return the raw input as a
  // parsed event, "__proto__" to throw a TypeError.
  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])('detail-type %s is not a parser', (name) => {
    expect(messageOf(setTo(failed, ['detail-type'], name))).toBe(
      `event detail-type must be one of Backup Job State Change, Copy Job State Change, Restore Job State Change (got "${name}")`,
    );
  });
});

// Members whose value has a shape of its own (a literal, a state, a pattern, a number, a date): a lone
// surrogate there fails that shape first. Members the parser ignores are dropped, never checked.
const SHAPED = new Set([
  'source',
  'detail-type',
  'account',
  'region',
  'time',
  'detail.state',
  'detail.status',
  // Numeric strings (backup events send sizes as strings).
  'detail.bytesTransferred',
  'detail.backupSizeInBytes',
]);
const IGNORED = new Set(['detail.retryCount', 'detail.sourceResourceArn']);
const isDate = (name: string) => /Date$|startBy$/.test(name);

/** Every string the parser reads as an id, ARN or name, in every sample, with a lone surrogate appended. */
const identifiers = SAMPLES.flatMap((file) => {
  const raw = load(file);
  const paths: string[][] = membersOf(raw).filter(
    (path) => typeof path.reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], raw) === 'string',
  );
  const resources = (raw.resources as string[]).map((_r, i) => ['resources', String(i)]);
  return (
    [...paths, ...resources]
      .filter((path) => {
        const name = path.join('.');
        return !SHAPED.has(name) && !IGNORED.has(name) && !isDate(name) && name !== 'detail.statusMessage';
      })
      // restore events carry backupVaultArn, which the parser does not read.
      .filter((path) => !(file.startsWith('restore') && path.join('.') === 'detail.backupVaultArn'))
      .map((path) => ({ file, path }))
  );
});

describe('a lone surrogate in an id, ARN or name is refused at parse time, naming the field', () => {
  it('covers the ids, ARNs and names of every kind', () => {
    const names = new Set(identifiers.map((i) => i.path.join('.')));
    for (const name of [
      'id',
      'version',
      'resources.0',
      'detail.backupJobId',
      'detail.copyJobId',
      'detail.restoreJobId',
      'detail.backupVaultName',
      'detail.backupVaultArn',
      'detail.resourceArn',
      'detail.iamRoleArn',
      'detail.resourceType',
      'detail.sourceBackupVaultArn',
      'detail.destinationBackupVaultArn',
      'detail.destinationRecoveryPointArn',
      'detail.recoveryPointArn',
      'detail.createdResourceArn',
      'detail.createdBy.backupPlanId',
      'detail.createdBy.backupPlanArn',
      'detail.createdBy.backupPlanVersion',
      'detail.createdBy.backupPlanRuleId',
    ]) {
      expect(names).toContain(name);
    }
  });

  it.each(identifiers)('$file $path', ({ file, path }) => {
    for (const lone of ['\uD800', '\uDFFF', '\uDC00\uD800']) {
      const raw = edited(load(file), path, (p, k) => (p[k] = `${p[k] as string}${lone}`));
      const message = messageOf(raw);
      expect(message).toMatch(
        new RegExp(`^event ${path.join('\\.')} must be well-formed Unicode \\(no lone surrogate\\) \\(got ".*\\\\u`),
      );
      // The message itself is well-formed: the surrogate shows as its escape.
      expect(message.isWellFormed()).toBe(true);
    }
  });

  it('accepts characters outside the BMP written as surrogate pairs', () => {
    const event = parseBackupEvent(setTo(failed, ['detail', 'backupVaultName'], 'vault-😀'));
    expect(event.kind === 'backup-job' && event.backupVaultName).toBe('vault-😀');
  });

  it('ignored members are dropped, whatever they hold', () => {
    const event = parseBackupEvent(setTo(restoreCompleted, ['detail', 'sourceResourceArn'], 'x\uD800'));
    expect(JSON.stringify(event)).not.toContain('sourceResourceArn');
  });

  it('a status message, prose for people, keeps the event: a lone surrogate becomes U+FFFD', () => {
    const event = parseBackupEvent(setTo(failed, ['detail', 'statusMessage'], '"Backup failed \uD800 here"'));
    expect(event.statusMessage).toBe('Backup failed \uFFFD here');
    expect(cleanStatusMessage(`"\uDC00${'a'.repeat(5000)}"`)?.isWellFormed()).toBe(true);
  });
});

// valibot's own wording starts "Invalid type: Expected string but received 5".
const VALIBOT_WORDING = /Invalid \w+:|Expected .* but received|Received /;
const HOSTILE: readonly unknown[] = [undefined, null, 42, true, [], { a: 1 }, '', '\uD800', 'x'.repeat(5000)];

describe("no message is valibot's own", () => {
  const all = SAMPLES.flatMap((file) => membersOf(load(file)).map((path) => ({ file, path })));
  it.each(all)('$file $path, every hostile value', ({ file, path }) => {
    for (const value of HOSTILE) {
      let message = '';
      try {
        parseBackupEvent(setTo(load(file), path, value));
      } catch (error) {
        expect(error).toBeInstanceOf(EventParseError);
        message = (error as Error).message;
      }
      expect(message).not.toMatch(VALIBOT_WORDING);
      expect(message.length).toBeLessThan(400);
    }
  });

  it('a schema without messages of its own still speaks ours (the net under a future schema)', () => {
    const schema = v.object({
      name: v.pipe(v.string(), v.maxLength(3)),
      count: v.optional(v.pipe(v.number(), v.integer())),
      kind: v.optional(v.picklist(['a', 'b'])),
      list: v.optional(v.pipe(v.array(v.string()), v.minLength(1))),
      flag: v.optional(v.boolean()),
      nested: v.optional(v.strictObject({})),
      exact: v.optional(v.literal('x')),
      code: v.optional(v.pipe(v.string(), v.regex(/^\d+$/))),
    });
    const message = (raw: unknown) => {
      try {
        parseEventShape(schema, raw);
      } catch (error) {
        return (error as Error).message;
      }
      return 'parsed';
    };
    expect(message({})).toBe('event name is required');
    expect(message({ name: 5 })).toBe('event name must be a string (got number 5)');
    expect(message({ name: 'long' })).toBe('event name must be at most 3 characters (got "long")');
    expect(message({ name: 'ok', count: 1.5 })).toBe('event count must be an integer (got number 1.5)');
    expect(message({ name: 'ok', kind: 'c' })).toBe('event kind must be one of "a", "b" (got "c")');
    expect(message({ name: 'ok', list: [] })).toBe('event list must hold at least 1 entry (got an array of 0 items)');
    expect(message({ name: 'ok', flag: 1 })).toBe('event flag must be true or false (got number 1)');
    expect(message({ name: 'ok', nested: 1 })).toBe('event nested must be an object (got number 1)');
    expect(message({ name: 'ok', exact: 'y' })).toBe('event exact must be "x" (got "y")');
    expect(message({ name: 'ok', code: 'x' })).toBe('event code is not a value this field accepts (got "x")');
    expect(message(null)).toBe('event (event) must be an object (got null)');
    expect(message({ name: 'ok' })).toBe('parsed');
  });
});

describe('the value in a message', () => {
  it.each<[unknown, string]>([
    [5, 'number 5'],
    [Number.NaN, 'number NaN'],
    [false, 'boolean false'],
    [null, 'null'],
    ['DONE', '"DONE"'],
    ['a\nb', '"a\\nb"'],
    ['\uD800', '"\\ud800"'],
    [[], 'an array of 0 items'],
    [[1], 'an array of 1 item'],
    [{ detail: { secret: 'x' } }, 'an object'],
    [10n, 'a bigint'],
  ])('%s -> %s', (value, expected) => {
    expect(describeEventValue(value)).toBe(expected);
  });

  it('cuts a long string at 120 characters, never inside a surrogate pair, and says how long it was', () => {
    expect(describeEventValue('x'.repeat(1_000_000))).toBe(`"${'x'.repeat(120)}"… (1000000 characters)`);
    const pairs = `a${'😀'.repeat(100)}`; // the 120th code unit is a high surrogate
    const shown = describeEventValue(pairs);
    expect(shown).toBe(`"a${'😀'.repeat(59)}"… (201 characters)`);
    expect(shown.isWellFormed()).toBe(true);
  });

  it('an absent member has no "(got ...)"', () => {
    expect(new EventParseError('detail.backupJobId', undefined, 'is required').message).toBe(
      'event detail.backupJobId is required',
    );
  });

  it('the value is kept on the error but never copied by a logger that walks its keys', () => {
    const body = { ...failed, detail: { ...failed.detail, marker: 'whole-body-marker' } };
    const error = new EventParseError('(event)', [body], 'must be an EventBridge event object');
    expect(error.value).toEqual([body]);
    const copied: Record<string, unknown> = {};
    for (const key in error) copied[key] = (error as unknown as Record<string, unknown>)[key];
    expect(JSON.stringify({ ...copied, message: error.message })).not.toContain('whole-body-marker');
    expect(JSON.stringify(error)).not.toContain('whole-body-marker');
  });
});
