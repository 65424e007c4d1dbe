import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EventParseError } from '../../../shared/errors.js';
import {
  cleanStatusMessage,
  parseBackupEvent,
  parseBackupJobEvent,
  parseCopyJobEvent,
  parseEventDate,
  parseRestoreJobEvent,
} from '../../../shared/events/index.js';

type Json = Record<string, unknown> & { detail: Record<string, unknown> };
const load = (name: string): Json =>
  JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', '..', 'events', name), 'utf8')) as Json;
const failed = load('backup-job.failed.json');
const copyCompleted = load('copy-job.completed.json');
const with_ = (base: Json, change: (e: Json) => void): Json => {
  const e = structuredClone(base);
  change(e);
  return e;
};

const fieldOf = (call: () => unknown): string => {
  try {
    call();
  } catch (error) {
    expect(error).toBeInstanceOf(EventParseError);
    expect((error as Error).message).toMatch(/^event /);
    return (error as EventParseError).field;
  }
  throw new Error('expected an EventParseError');
};

describe('malformed events fail with an error naming the field, never a TypeError', () => {
  it.each<[string, unknown, string]>([
    ['null', null, '(event)'],
    ['an array', [failed], '(event)'],
    ['a string', 'event', '(event)'],
    ['wrong source', with_(failed, (e) => (e.source = 'aws.ec2')), 'source'],
    ['unknown detail-type', with_(failed, (e) => (e['detail-type'] = 'Backup Plan State Change')), 'detail-type'],
    ['missing detail-type', with_(failed, (e) => delete e['detail-type']), 'detail-type'],
    ['missing detail', with_(failed, (e) => delete (e as Record<string, unknown>).detail), 'detail'],
    ['detail null', with_(failed, (e) => ((e as Record<string, unknown>).detail = null)), 'detail'],
    ['missing job id', with_(failed, (e) => delete e.detail.backupJobId), 'detail.backupJobId'],
    ['job id a number', with_(failed, (e) => (e.detail.backupJobId = 42)), 'detail.backupJobId'],
    ['empty job id', with_(failed, (e) => (e.detail.backupJobId = '  ')), 'detail.backupJobId'],
    ['unknown state', with_(failed, (e) => (e.detail.state = 'DONE')), 'detail.state'],
    ['state lower-case', with_(failed, (e) => (e.detail.state = 'failed')), 'detail.state'],
    ['missing vault on FAILED', with_(failed, (e) => delete e.detail.backupVaultName), 'detail.backupVaultName'],
    ['bad resource ARN', with_(failed, (e) => (e.detail.resourceArn = 'vol-1')), 'detail.resourceArn'],
    ['bad role ARN', with_(failed, (e) => (e.detail.iamRoleArn = {})), 'detail.iamRoleArn'],
    ['size not numeric', with_(failed, (e) => (e.detail.bytesTransferred = 'lots')), 'detail.bytesTransferred'],
    ['invalid date', with_(failed, (e) => (e.detail.creationDate = 'yesterday')), 'detail.creationDate'],
    ['invalid time', with_(failed, (e) => (e.time = '2020-13-45T99:00:00Z')), 'time'],
    ['bad account', with_(failed, (e) => (e.account = 'acct')), 'account'],
    ['resources not an array', with_(failed, (e) => (e.resources = 'arn')), 'resources'],
    ['huge job id', with_(failed, (e) => (e.detail.backupJobId = 'x'.repeat(1_000_000))), 'detail.backupJobId'],
    ['createdBy without plan id', with_(failed, (e) => (e.detail.createdBy = {})), 'detail.createdBy.backupPlanId'],
    ['copy without job id', with_(copyCompleted, (e) => delete e.detail.copyJobId), 'detail.copyJobId'],
    [
      'COMPLETED copy without destination vault',
      with_(copyCompleted, (e) => delete e.detail.destinationBackupVaultArn),
      'detail.destinationBackupVaultArn',
    ],
    [
      'destination recovery point a number',
      with_(copyCompleted, (e) => (e.detail.destinationRecoveryPointArn = 7)),
      'detail.destinationRecoveryPointArn',
    ],
  ])('%s', (_name, raw, field) => {
    expect(fieldOf(() => parseBackupEvent(raw))).toBe(field);
  });

  it('each kind-specific parser refuses another kind', () => {
    expect(fieldOf(() => parseCopyJobEvent(failed))).toBe('detail-type');
    expect(fieldOf(() => parseRestoreJobEvent(copyCompleted))).toBe('detail-type');
    expect(fieldOf(() => parseBackupJobEvent(copyCompleted))).toBe('detail-type');
  });

  it('a restore event without status or state names detail.status', () => {
    const e = with_(load('restore-job.running.json'), (x) => delete x.detail.status);
    expect(fieldOf(() => parseRestoreJobEvent(e))).toBe('detail.status');
  });

  it('caps a 1 MB status message instead of rejecting the event', () => {
    const e = parseBackupJobEvent(with_(failed, (x) => (x.detail.statusMessage = `"${'m'.repeat(1_000_000)}"`)));
    expect(e.statusMessage?.length).toBe(4097);
  });

  it('ignores fields AWS may add', () => {
    expect(parseBackupJobEvent(with_(failed, (x) => (x.detail.newField = { a: 1 }))).backupJobId).toBe(
      '34176239-e96d-4e1d-9fad-529dbb3c3556',
    );
  });
});

describe('parseEventDate', () => {
  it.each<[string, string | undefined]>([
    ['2020-07-15T21:38:31.152Z', '2020-07-15T21:38:31.152Z'],
    ['2020-07-16T05:00:00Z', '2020-07-16T05:00:00.000Z'],
    ['2020-07-16T07:00:00+02:00', '2020-07-16T05:00:00.000Z'],
    ['Jul 15, 2020 9:39:07 PM', '2020-07-15T21:39:07.000Z'],
    ['Jan 1, 2021 12:00:00 AM', '2021-01-01T00:00:00.000Z'],
    ['Jan 1, 2021 12:30:00 PM', '2021-01-01T12:30:00.000Z'],
    ['Feb 31, 2021 1:00:00 PM', undefined],
    ['Foo 1, 2021 1:00:00 PM', undefined],
    ['Jul 15, 2020 13:39:07 PM', undefined],
    ['2020-07-15', undefined],
    ['2020-07-15T21:38:31', undefined],
    ['', undefined],
  ])('%j -> %s', (text, iso) => {
    expect(parseEventDate(text)?.toISOString()).toBe(iso);
  });
});

describe('cleanStatusMessage', () => {
  it.each<[string, string | undefined]>([
    ['"Backup job failed."', 'Backup job failed.'],
    ['""nested""', 'nested'],
    ['  plain  ', 'plain'],
    ['""', undefined],
    ['', undefined],
    ['say "hi" now', 'say "hi" now'],
  ])('%j -> %j', (text, expected) => {
    expect(cleanStatusMessage(text)).toBe(expected);
  });
});
