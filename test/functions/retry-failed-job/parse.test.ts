import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyInput } from '../../../functions/retry-failed-job/parse.js';
import { EventParseError } from '../../../shared/errors.js';

const attempt = JSON.parse(
  readFileSync(join(import.meta.dirname, '..', '..', '..', 'events', 'retry-failed-job.attempt.json'), 'utf8'),
) as Record<string, unknown>;

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
