import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EventParseError } from '../../../shared/errors.js';
import {
  type BackupEvent,
  cleanStatusMessage,
  MAX_MESSAGE_LENGTH,
  parseBackupEvent,
  parseBackupJobEvent,
  parseCopyJobEvent,
  parseRestoreJobEvent,
} from '../../../shared/events/index.js';

type Json = Record<string, unknown> & { detail: Record<string, unknown> };
const load = (name: string): Json =>
  JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', '..', 'events', name), 'utf8')) as Json;
const failed = load('backup-job.failed.json');
const completed = load('backup-job.completed.json');
const running = load('backup-job.running.json');
const copyCompleted = load('copy-job.completed.json');
const copyFailed = load('copy-job.failed.json');
const restoreRunning = load('restore-job.running.json');
const with_ = (base: Json, change: (e: Json) => void): Json => {
  const e = structuredClone(base);
  change(e);
  return e;
};
const MB = 'x'.repeat(1_000_000);

/** The field an EventParseError names; fails the test for any other outcome (a TypeError, a success). */
const fieldOf = (call: () => unknown): string => {
  try {
    call();
  } catch (error) {
    expect(error).toBeInstanceOf(EventParseError);
    expect((error as Error).message).toMatch(/^event /);
    // The message quotes the value, never a whole megabyte of it.
    expect((error as Error).message.length).toBeLessThan(400);
    return (error as EventParseError).field;
  }
  throw new Error('expected an EventParseError');
};

describe('malformed events fail with an EventParseError naming the field, never a TypeError', () => {
  it.each<{ case: string; raw: unknown; field: string }>([
    { case: 'null', raw: null, field: '(event)' },
    { case: 'undefined', raw: undefined, field: '(event)' },
    { case: 'an array', raw: [failed], field: '(event)' },
    { case: 'a string', raw: JSON.stringify(failed), field: '(event)' },
    { case: 'a number', raw: 42, field: '(event)' },
    { case: 'missing source', raw: with_(failed, (e) => delete e.source), field: 'source' },
    { case: 'wrong source', raw: with_(failed, (e) => (e.source = 'aws.ec2')), field: 'source' },
    { case: 'a custom source posing as AWS', raw: with_(failed, (e) => (e.source = 'aws.backup ')), field: 'source' },
    {
      case: 'unknown detail-type',
      raw: with_(failed, (e) => (e['detail-type'] = 'Backup Plan State Change')),
      field: 'detail-type',
    },
    { case: 'missing detail-type', raw: with_(failed, (e) => delete e['detail-type']), field: 'detail-type' },
    { case: '1 MB detail-type', raw: with_(failed, (e) => (e['detail-type'] = MB)), field: 'detail-type' },
    {
      case: 'missing detail',
      raw: with_(failed, (e) => delete (e as Record<string, unknown>).detail),
      field: 'detail',
    },
    { case: 'detail null', raw: with_(failed, (e) => ((e as Record<string, unknown>).detail = null)), field: 'detail' },
    {
      case: 'detail an array',
      raw: with_(failed, (e) => ((e as Record<string, unknown>).detail = [])),
      field: 'detail',
    },
    {
      case: 'detail a string',
      raw: with_(failed, (e) => ((e as Record<string, unknown>).detail = '{}')),
      field: 'detail',
    },
    { case: 'missing id', raw: with_(failed, (e) => delete e.id), field: 'id' },
    { case: 'bad account', raw: with_(failed, (e) => (e.account = 'acct')), field: 'account' },
    { case: '1 MB account', raw: with_(failed, (e) => (e.account = MB)), field: 'account' },
    { case: 'bad region', raw: with_(failed, (e) => (e.region = 'mars')), field: 'region' },
    { case: 'invalid time', raw: with_(failed, (e) => (e.time = '2020-13-45T99:00:00Z')), field: 'time' },
    { case: 'time as epoch millis', raw: with_(failed, (e) => (e.time = 1595966126000)), field: 'time' },
    { case: '1 MB time', raw: with_(failed, (e) => (e.time = MB)), field: 'time' },
    { case: 'resources not an array', raw: with_(failed, (e) => (e.resources = 'arn')), field: 'resources' },
    { case: 'resources holding a number', raw: with_(failed, (e) => (e.resources = [1])), field: 'resources.0' },
    { case: 'a 1 MB resource', raw: with_(failed, (e) => (e.resources = [MB])), field: 'resources.0' },
    {
      case: '1001 resources',
      raw: with_(failed, (e) => (e.resources = Array.from({ length: 1001 }, () => 'arn:aws:s3:::b'))),
      field: 'resources',
    },
    { case: 'missing job id', raw: with_(failed, (e) => delete e.detail.backupJobId), field: 'detail.backupJobId' },
    { case: 'job id a number', raw: with_(failed, (e) => (e.detail.backupJobId = 42)), field: 'detail.backupJobId' },
    { case: 'empty job id', raw: with_(failed, (e) => (e.detail.backupJobId = '  ')), field: 'detail.backupJobId' },
    { case: '1 MB job id', raw: with_(failed, (e) => (e.detail.backupJobId = MB)), field: 'detail.backupJobId' },
    { case: 'missing state', raw: with_(failed, (e) => delete e.detail.state), field: 'detail.state' },
    { case: 'unknown state', raw: with_(failed, (e) => (e.detail.state = 'DONE')), field: 'detail.state' },
    { case: 'state lower-case', raw: with_(failed, (e) => (e.detail.state = 'failed')), field: 'detail.state' },
    {
      case: 'missing vault on FAILED',
      raw: with_(failed, (e) => delete e.detail.backupVaultName),
      field: 'detail.backupVaultName',
    },
    {
      case: '1 MB vault name',
      raw: with_(failed, (e) => (e.detail.backupVaultName = MB)),
      field: 'detail.backupVaultName',
    },
    {
      case: 'bad vault ARN',
      raw: with_(failed, (e) => (e.detail.backupVaultArn = 'vault')),
      field: 'detail.backupVaultArn',
    },
    {
      case: 'vault ARN of an S3 bucket',
      raw: with_(completed, (e) => (e.detail.backupVaultArn = 'arn:aws:s3:::backup-vault:prod')),
      field: 'detail.backupVaultArn',
    },
    {
      case: 'bad resource ARN',
      raw: with_(failed, (e) => (e.detail.resourceArn = 'vol-1')),
      field: 'detail.resourceArn',
    },
    {
      case: '1 MB resource ARN',
      raw: with_(failed, (e) => (e.detail.resourceArn = `arn:aws:ec2:us-west-2:111122223333:volume/${MB}`)),
      field: 'detail.resourceArn',
    },
    { case: 'role ARN {}', raw: with_(failed, (e) => (e.detail.iamRoleArn = {})), field: 'detail.iamRoleArn' },
    {
      case: 'recovery point not an ARN',
      raw: with_(completed, (e) => (e.detail.recoveryPointArn = 'rp-1')),
      field: 'detail.recoveryPointArn',
    },
    {
      case: 'COMPLETED backup whose resources[0] is not an ARN',
      raw: with_(completed, (e) => (e.resources = ['recovery-point-1'])),
      field: 'resources.0',
    },
    {
      case: 'size not numeric',
      raw: with_(failed, (e) => (e.detail.bytesTransferred = 'lots')),
      field: 'detail.bytesTransferred',
    },
    {
      case: 'percentDone a boolean',
      raw: with_(failed, (e) => (e.detail.percentDone = true)),
      field: 'detail.percentDone',
    },
    { case: 'percentDone null', raw: with_(failed, (e) => (e.detail.percentDone = null)), field: 'detail.percentDone' },
    {
      case: 'statusMessage a number',
      raw: with_(failed, (e) => (e.detail.statusMessage = 7)),
      field: 'detail.statusMessage',
    },
    {
      case: 'invalid date',
      raw: with_(failed, (e) => (e.detail.creationDate = 'yesterday')),
      field: 'detail.creationDate',
    },
    {
      case: 'ISO date that would roll over',
      raw: with_(failed, (e) => (e.detail.startBy = '2020-02-31T00:00:00Z')),
      field: 'detail.startBy',
    },
    {
      case: 'locale date that would roll over',
      raw: with_(running, (e) => (e.detail.expectedCompletionDate = 'Feb 30, 2020 9:39:07 PM')),
      field: 'detail.expectedCompletionDate',
    },
    {
      case: 'date as a number',
      raw: with_(completed, (e) => (e.detail.completionDate = 1594849265921)),
      field: 'detail.completionDate',
    },
    {
      case: 'createdBy without plan id',
      raw: with_(failed, (e) => (e.detail.createdBy = {})),
      field: 'detail.createdBy.backupPlanId',
    },
    {
      case: 'createdBy with a bad plan ARN',
      raw: with_(running, (e) => ((e.detail.createdBy as Record<string, unknown>).backupPlanArn = 'plan')),
      field: 'detail.createdBy.backupPlanArn',
    },
    {
      case: 'createdBy a string',
      raw: with_(running, (e) => (e.detail.createdBy = 'plan')),
      field: 'detail.createdBy',
    },
    {
      case: 'copy without job id',
      raw: with_(copyCompleted, (e) => delete e.detail.copyJobId),
      field: 'detail.copyJobId',
    },
    {
      case: 'COMPLETED copy without destination vault',
      raw: with_(copyCompleted, (e) => delete e.detail.destinationBackupVaultArn),
      field: 'detail.destinationBackupVaultArn',
    },
    {
      case: 'copy destination vault not an ARN',
      raw: with_(copyCompleted, (e) => (e.detail.destinationBackupVaultArn = 'vault')),
      field: 'detail.destinationBackupVaultArn',
    },
    {
      // An ARN, but of no vault: the copy function read the vault name out of it and failed naming
      // its own "vaultArn", never the event's field.
      case: 'copy source vault an ARN of a backup plan',
      raw: with_(
        copyCompleted,
        (e) => (e.detail.sourceBackupVaultArn = 'arn:aws:backup:us-west-2:1112233445566:backup-plan:b58e3621'),
      ),
      field: 'detail.sourceBackupVaultArn',
    },
    {
      case: 'copy destination vault an ARN of a role',
      raw: with_(
        copyCompleted,
        (e) => (e.detail.destinationBackupVaultArn = 'arn:aws:iam::1112233445566:role/backup-vault:dr'),
      ),
      field: 'detail.destinationBackupVaultArn',
    },
    {
      case: 'destination recovery point a number',
      raw: with_(copyCompleted, (e) => (e.detail.destinationRecoveryPointArn = 7)),
      field: 'detail.destinationRecoveryPointArn',
    },
    {
      case: 'destination recovery point a non-empty object',
      raw: with_(copyFailed, (e) => (e.detail.destinationRecoveryPointArn = { arn: 'x' })),
      field: 'detail.destinationRecoveryPointArn',
    },
    {
      case: 'copy state of a backup (EXPIRED)',
      raw: with_(copyFailed, (e) => (e.detail.state = 'EXPIRED')),
      field: 'detail.state',
    },
    {
      case: 'restore without job id',
      raw: with_(restoreRunning, (e) => delete e.detail.restoreJobId),
      field: 'detail.restoreJobId',
    },
    {
      case: 'restore unknown status',
      raw: with_(restoreRunning, (e) => (e.detail.status = 'DONE')),
      field: 'detail.status',
    },
    {
      case: 'restore without status or state',
      raw: with_(restoreRunning, (e) => delete e.detail.status),
      field: 'detail.status',
    },
    {
      case: 'restore with an unknown state',
      raw: with_(restoreRunning, (e) => {
        delete e.detail.status;
        e.detail.state = 'DONE';
      }),
      field: 'detail.state',
    },
  ])('$case -> $field', ({ raw, field }) => {
    expect(fieldOf(() => parseBackupEvent(raw))).toBe(field);
  });
});

describe('the kind-specific parsers check the envelope first', () => {
  it.each<{ case: string; parse: (raw: unknown) => BackupEvent; raw: unknown; field: string }>([
    { case: 'copy parser, backup event', parse: parseCopyJobEvent, raw: failed, field: 'detail-type' },
    { case: 'restore parser, copy event', parse: parseRestoreJobEvent, raw: copyCompleted, field: 'detail-type' },
    { case: 'backup parser, copy event', parse: parseBackupJobEvent, raw: copyCompleted, field: 'detail-type' },
    {
      case: 'backup parser, wrong source and no detail',
      parse: parseBackupJobEvent,
      raw: { source: 'aws.ec2', 'detail-type': 'Backup Job State Change' },
      field: 'source',
    },
    {
      case: 'copy parser, wrong detail-type and no detail',
      parse: parseCopyJobEvent,
      raw: { source: 'aws.backup', 'detail-type': 'Backup Job State Change' },
      field: 'detail-type',
    },
    { case: 'restore parser, null', parse: parseRestoreJobEvent, raw: null, field: '(event)' },
    { case: 'backup parser, an array', parse: parseBackupJobEvent, raw: [], field: '(event)' },
  ])('$case -> $field', ({ parse, raw, field }) => {
    expect(fieldOf(() => parse(raw))).toBe(field);
  });
});

// Every field of every published sample replaced by each hostile value: the outcome is either a
// parsed event or an EventParseError naming that field (or a field inside it), never a TypeError.
const HOSTILE: readonly unknown[] = [null, 42, true, [], { a: 1 }, '', MB];
const SAMPLES = [
  'backup-job.failed.json',
  'backup-job.running.json',
  'copy-job.failed.json',
  'restore-job.completed.json',
];
const mutations = SAMPLES.flatMap((file) => {
  const base = load(file);
  const top = Object.keys(base).map((key) => ({ file, path: [key] }));
  const detail = Object.keys(base.detail).map((key) => ({ file, path: ['detail', key] }));
  return [...top, ...detail];
});

describe('every field of the published samples, replaced by a hostile value', () => {
  it.each(mutations)('$file $path', ({ file, path }) => {
    const field = path.join('.');
    for (const value of HOSTILE) {
      const raw = with_(load(file), (e) => {
        const parent = (path.length === 1 ? e : e.detail) as Record<string, unknown>;
        parent[path[path.length - 1] as string] = value;
      });
      try {
        parseBackupEvent(raw);
      } catch (error) {
        expect(error, `${field} = ${String(value).slice(0, 20)}`).toBeInstanceOf(EventParseError);
        const named = (error as EventParseError).field;
        expect(named === field || named.startsWith(`${field}.`), `${field} named ${named}`).toBe(true);
      }
    }
  });
});

describe('lenient where AWS is inconsistent', () => {
  it('caps a 1 MB quoted status message at MAX_MESSAGE_LENGTH instead of rejecting the event', () => {
    const e = parseBackupJobEvent(with_(failed, (x) => (x.detail.statusMessage = `"${MB}"`)));
    expect(e.statusMessage).toBe(`${'x'.repeat(MAX_MESSAGE_LENGTH)}…`);
  });

  it('ignores fields AWS may add', () => {
    expect(parseBackupJobEvent(with_(failed, (x) => (x.detail.newField = { a: 1 }))).backupJobId).toBe(
      '34176239-e96d-4e1d-9fad-529dbb3c3556',
    );
  });

  it.each<{ case: string; raw: Json; check: (e: BackupEvent) => unknown; expected: unknown }>([
    {
      case: 'sizes as numbers (copy style) in a backup event',
      raw: with_(completed, (x) => (x.detail.backupSizeInBytes = 36048)),
      check: (e) => e.kind === 'backup-job' && e.backupSizeInBytes,
      expected: 36048,
    },
    {
      case: 'sizes as strings (backup style) in a copy event',
      raw: with_(copyCompleted, (x) => (x.detail.backupSizeInBytes = '3221225472')),
      check: (e) => e.kind === 'copy-job' && e.backupSizeInBytes,
      expected: 3221225472,
    },
    {
      case: 'an ISO expectedCompletionDate',
      raw: with_(running, (x) => (x.detail.expectedCompletionDate = '2020-07-15T21:39:07.000Z')),
      check: (e) => e.kind === 'backup-job' && e.expectedCompletionDate?.toISOString(),
      expected: '2020-07-15T21:39:07.000Z',
    },
    {
      case: 'a 12-digit account',
      raw: with_(failed, (x) => (x.account = '111122223333')),
      check: (e) => e.account,
      expected: '111122223333',
    },
    {
      case: 'missing resources (none to keep)',
      raw: with_(failed, (x) => delete x.resources),
      check: (e) => e.resources,
      expected: [],
    },
    {
      case: 'the recovery point in the detail wins over resources[0]',
      raw: with_(completed, (x) => (x.detail.recoveryPointArn = 'arn:aws:ec2:us-west-2::snapshot/snap-1')),
      check: (e) => e.kind === 'backup-job' && e.recoveryPointArn,
      expected: 'arn:aws:ec2:us-west-2::snapshot/snap-1',
    },
    {
      case: 'a COMPLETED backup without resources has no recovery point (the handler describes the job)',
      raw: with_(completed, (x) => (x.resources = [])),
      check: (e) => e.kind === 'backup-job' && e.recoveryPointArn,
      expected: undefined,
    },
    {
      case: 'an empty string for an absent ARN',
      raw: with_(copyFailed, (x) => (x.detail.destinationRecoveryPointArn = '')),
      check: (e) => e.kind === 'copy-job' && e.destinationRecoveryPointArn,
      expected: undefined,
    },
    {
      case: 'restore CREATED sent as status',
      raw: with_(restoreRunning, (x) => (x.detail.status = 'CREATED')),
      check: (e) => e.kind === 'restore-job' && e.status,
      expected: 'PENDING',
    },
    {
      case: 'a FAILED backup event without createdBy (as AWS sends it)',
      raw: failed,
      check: (e) => e.kind === 'backup-job' && e.createdBy,
      expected: undefined,
    },
    {
      case: 'createdBy.backupRuleId (the API name) as well as backupPlanRuleId',
      raw: with_(running, (x) => {
        const by = x.detail.createdBy as Record<string, unknown>;
        delete by.backupPlanRuleId;
        by.backupRuleId = 'rule-1';
      }),
      check: (e) => e.kind === 'backup-job' && e.createdBy?.backupRuleId,
      expected: 'rule-1',
    },
  ])('accepts $case', ({ raw, check, expected }) => {
    expect(check(parseBackupEvent(raw))).toEqual(expected);
  });
});

describe('cleanStatusMessage', () => {
  it.each<{ text: string; expected: string | undefined }>([
    { text: '"Backup job failed."', expected: 'Backup job failed.' },
    { text: '""nested""', expected: 'nested' },
    { text: ' " spaced " ', expected: 'spaced' },
    { text: '  plain  ', expected: 'plain' },
    { text: '""', expected: undefined },
    { text: '"', expected: '"' },
    { text: '', expected: undefined },
    { text: 'say "hi" now', expected: 'say "hi" now' },
    { text: '"unbalanced', expected: '"unbalanced' },
    { text: `${'a'.repeat(MAX_MESSAGE_LENGTH - 1)}😀`, expected: `${'a'.repeat(MAX_MESSAGE_LENGTH - 1)}…` },
    { text: 'a'.repeat(MAX_MESSAGE_LENGTH), expected: 'a'.repeat(MAX_MESSAGE_LENGTH) },
  ])('$text -> $expected', ({ text, expected }) => {
    expect(cleanStatusMessage(text)).toBe(expected);
  });

  it('strips a megabyte of nested quotes in linear time', () => {
    const started = performance.now();
    expect(cleanStatusMessage(`${'"'.repeat(500_000)}ok${'"'.repeat(500_000)}`)).toBe('ok');
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
