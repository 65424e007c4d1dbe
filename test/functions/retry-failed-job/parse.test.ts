import { describe, expect, it } from 'vitest';
import { classifyInput } from '../../../functions/retry-failed-job/parse.js';
import { EventParseError } from '../../../shared/errors.js';
import { sampleEvent } from '../../support/events.js';

/** The error classifyInput throws for `raw`, or a failure when it throws none. */
const rejection = (raw: unknown): EventParseError => {
  try {
    classifyInput(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(EventParseError);
    return error as EventParseError;
  }
  throw new Error('classifyInput accepted the input');
};

describe('classifyInput: AWS Backup events', () => {
  it.each([
    ['backup-job.failed.json', 'backup', '34176239-e96d-4e1d-9fad-529dbb3c3556', 'FAILED'],
    ['backup-job.expired.json', 'backup', undefined, 'EXPIRED'],
    ['backup-job.aborted.json', 'backup', undefined, 'ABORTED'],
    ['copy-job.failed.json', 'copy', undefined, 'FAILED'],
  ])('%s is a %s job to handle, with the state the event reported', (file, kind, jobId, state) => {
    const event = sampleEvent(file);
    const detail = event.detail as Record<string, string>;
    const trigger = classifyInput(event);
    expect(trigger).toEqual({
      type: 'job',
      ref: {
        kind,
        jobId: jobId ?? (kind === 'copy' ? detail.copyJobId : detail.backupJobId),
        trigger: 'event',
        eventState: state,
        // The parsed event rides along: whether it is the function's to act on is decided with it.
        event: expect.objectContaining({ account: event.account, region: event.region }),
        // The job is described and retried where the event says it is (central mode: a member's).
        place: { account: event.account, region: event.region },
      },
    });
  });

  it('takes a FAILED restore event as a restore to alert on, with the parsed event', () => {
    const event = sampleEvent('restore-job.failed.json');
    expect(classifyInput(event)).toEqual({
      type: 'restore',
      event: expect.objectContaining({
        kind: 'restore-job',
        restoreJobId: '1B234A56-789B-01CD-2A34-4567A08901FD',
        status: 'FAILED',
        account: event.account,
        region: event.region,
      }),
    });
  });

  it.each([
    ['restore-job.completed.json', 'COMPLETED'],
    ['restore-job.running.json', 'RUNNING'],
    ['restore-job.pending.json', 'PENDING'],
    // AWS's CREATED sample is read as PENDING, the API's first restore status.
    ['restore-job.created.json', 'PENDING'],
  ])('refuses %s: only a FAILED restore is handled', (file, status) => {
    const error = rejection(sampleEvent(file));
    expect(error.field).toBe('detail.status');
    expect(error.value).toBe(status);
    expect(error.message).toContain('must be FAILED');
  });

  it('refuses an ABORTED restore (someone stopped it: nothing to tell)', () => {
    const event = sampleEvent('restore-job.failed.json');
    const aborted = { ...event, detail: { ...(event.detail as object), status: 'ABORTED' } };
    expect(rejection(aborted).field).toBe('detail.status');
  });

  it('names the field of a malformed restore event', () => {
    const event = sampleEvent('restore-job.failed.json');
    const broken = { ...event, detail: { ...(event.detail as object), restoreJobId: 42 } };
    expect(rejection(broken).field).toBe('detail.restoreJobId');
  });

  it.each([
    ['scan-job.failed.json', 'FAILED', undefined],
    ['scan-job.completed.json', 'COMPLETED', 'THREATS_FOUND'],
  ])('takes %s as a scan to alert on, with the parsed event', (file, state, result) => {
    expect(classifyInput(sampleEvent(file))).toEqual({
      type: 'scan',
      event: expect.objectContaining({
        kind: 'scan-job',
        scanJobId: '4d5fc12e-7e33-4336-a981-bbe43c300298',
        state,
        ...(result ? { scanResultStatus: result } : {}),
      }),
    });
  });

  it('takes a COMPLETED_WITH_ISSUES scan that found threats', () => {
    const event = sampleEvent('scan-job.completed-with-issues.json');
    const threats = {
      ...event,
      detail: { ...(event.detail as object), scanResult: { scanResultStatus: 'THREATS_FOUND' } },
    };
    expect(classifyInput(threats)).toMatchObject({ type: 'scan', event: { state: 'COMPLETED_WITH_ISSUES' } });
  });

  it.each([
    ['scan-job.created.json', 'detail.state', 'CREATED'],
    ['scan-job.running.json', 'detail.state', 'RUNNING'],
    ['scan-job.canceled.json', 'detail.state', 'CANCELED'],
    // The published COMPLETED_WITH_ISSUES sample found nothing.
    ['scan-job.completed-with-issues.json', 'detail.scanResult.scanResultStatus', 'NO_THREATS_FOUND'],
  ])('refuses %s by %s: only a failed scan or one that found threats is alerted', (file, field, value) => {
    const error = rejection(sampleEvent(file));
    expect(error.field).toBe(field);
    expect(error.value).toBe(value);
  });

  it('refuses a finished scan without a result, naming the field', () => {
    const event = sampleEvent('scan-job.completed.json');
    const detail = { ...(event.detail as Record<string, unknown>) };
    delete detail.scanResult;
    const error = rejection({ ...event, detail });
    expect(error.field).toBe('detail.scanResult.scanResultStatus');
    expect(error.message).toContain('is required for a finished scan');
  });

  it('names the field of a malformed scan event', () => {
    const event = sampleEvent('scan-job.failed.json');
    expect(rejection({ ...event, detail: { ...(event.detail as object), scanJobId: 42 } }).field).toBe(
      'detail.scanJobId',
    );
  });

  it("refuses a copy event without a copy job id (AWS's CREATED sample has none)", () => {
    expect(rejection(sampleEvent('copy-job.created.json')).field).toBe('detail.copyJobId');
  });

  it('names the field of a malformed event', () => {
    const event = sampleEvent('backup-job.failed.json');
    delete event.detail;
    expect(rejection(event).field).toBe('detail');
  });
});

describe('classifyInput: its own schedules', () => {
  it('reads the sweep schedule', () => {
    expect(classifyInput(sampleEvent('retry-failed-job.sweep.json'))).toEqual({ type: 'sweep' });
  });

  it('reads an attempt schedule into the job to re-describe and the attempt it was made for', () => {
    expect(classifyInput(sampleEvent('retry-failed-job.attempt.json'))).toEqual({
      type: 'job',
      ref: {
        kind: 'backup',
        jobId: '01EE26DC-7107-4D8E-0C54-EAC27C662BA4',
        trigger: 'attempt',
        attempt: { logicalKey: '3f2a9c4e1b7d5a8f0c6e2b9d4a7f1c3e5b8d0a2f', attempt: 1 },
      },
    });
  });

  it('reads the look again of a waiting attempt', () => {
    expect(classifyInput({ ...sampleEvent('retry-failed-job.attempt.json'), wait: 3 })).toMatchObject({
      ref: { trigger: 'attempt', attempt: { attempt: 1, wait: 3 } },
    });
  });

  it("reads an attempt schedule's account and Region into the place the job is retried in", () => {
    const central = { ...sampleEvent('retry-failed-job.attempt.json'), account: '444455556666', region: 'eu-west-1' };
    expect(classifyInput(central)).toMatchObject({
      type: 'job',
      ref: { trigger: 'attempt', place: { account: '444455556666', region: 'eu-west-1' } },
    });
  });

  it.each([
    { case: 'an account without a Region', edit: { account: '444455556666' }, field: 'region', says: 'is required' },
    { case: 'a Region without an account', edit: { region: 'eu-west-1' }, field: 'account', says: 'is required' },
    { case: 'a bad account', edit: { account: '4444', region: 'eu-west-1' }, field: 'account', says: 'account id' },
    { case: 'a bad Region', edit: { account: '444455556666', region: 'Mars' }, field: 'region', says: 'Region' },
    { case: 'no key', edit: { logicalKey: undefined }, field: 'logicalKey', says: 'is required' },
    {
      case: 'a short key',
      edit: { logicalKey: 'abc' },
      field: 'logicalKey',
      says: 'must be a 40-character ledger key',
    },
    {
      case: 'an upper-case key',
      edit: { logicalKey: '3F2A9C4E1B7D5A8F0C6E2B9D4A7F1C3E5B8D0A2F' },
      field: 'logicalKey',
      says: 'must be a 40-character ledger key',
    },
    { case: 'attempt 0', edit: { attempt: 0 }, field: 'attempt', says: 'must be an integer from 1 to 10' },
    { case: 'attempt 11', edit: { attempt: 11 }, field: 'attempt', says: 'must be an integer from 1 to 10' },
    { case: 'attempt 1.5', edit: { attempt: 1.5 }, field: 'attempt', says: 'must be an integer from 1 to 10' },
    { case: 'attempt "1"', edit: { attempt: '1' }, field: 'attempt', says: 'must be an integer from 1 to 10' },
    { case: 'wait 0', edit: { wait: 0 }, field: 'wait', says: 'must be an integer from 1 to 24' },
    { case: 'wait 25', edit: { wait: 25 }, field: 'wait', says: 'must be an integer from 1 to 24' },
    { case: 'wait "2"', edit: { wait: '2' }, field: 'wait', says: 'must be an integer from 1 to 24' },
    { case: 'a restore kind', edit: { kind: 'restore' }, field: 'kind', says: 'must be backup or copy' },
    { case: 'an empty job id', edit: { jobId: '' }, field: 'jobId', says: 'must be a job id' },
    {
      case: 'a huge job id',
      edit: { jobId: 'j'.repeat(1025) },
      field: 'jobId',
      says: 'must be at most 1024 characters',
    },
  ])('refuses an attempt with $case, naming $field', ({ edit, field, says }) => {
    const error = rejection({ ...sampleEvent('retry-failed-job.attempt.json'), ...edit });
    expect(error.field).toBe(field);
    expect(error.message).toContain(says);
  });

  it('refuses an unknown action, naming it', () => {
    const error = rejection({ source: 'backup-autopilot', action: 'explode' });
    expect(error.field).toBe('action');
    expect(error.message).toContain('must be sweep or retry-attempt');
  });

  it.each([null, 'sweep', 42, [sampleEvent('retry-failed-job.sweep.json')]])('refuses %j: not an object', (raw) => {
    expect(rejection(raw).field).toBe('(event)');
  });
});

const attempt = sampleEvent('retry-failed-job.attempt.json') as Record<string, unknown>;

const messageOf = (raw: unknown): string => {
  try {
    classifyInput(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(EventParseError);
    return (error as Error).message;
  }
  throw new Error('expected an EventParseError');
};

describe('an attempt payload (the input of an attempt schedule) is worded as events are', () => {
  it('the published sample is an attempt', () => {
    expect(classifyInput(attempt)).toMatchObject({ type: 'job', ref: { trigger: 'attempt', jobId: attempt.jobId } });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['without jobId', { ...attempt, jobId: undefined }, 'event jobId is required'],
    ['without logicalKey', { ...attempt, logicalKey: undefined }, 'event logicalKey is required'],
    ['a numeric jobId', { ...attempt, jobId: 5 }, 'event jobId must be a job id (got number 5)'],
    ['an empty jobId', { ...attempt, jobId: '' }, 'event jobId must be a job id (got "")'],
    [
      'a jobId with a lone surrogate',
      { ...attempt, jobId: 'job-\uD800' },
      'event jobId must be well-formed Unicode (no lone surrogate) (got "job-\\ud800")',
    ],
    ['attempt 0', { ...attempt, attempt: 0 }, 'event attempt must be an integer from 1 to 10 (got number 0)'],
  ])('%s', (_case, raw, expected) => {
    expect(messageOf(raw)).toBe(expected);
  });
});
