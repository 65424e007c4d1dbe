import { describe, expect, it } from 'vitest';
import scheduled from '../../../events/post-summary.scheduled.json' with { type: 'json' };
import { resolveWindow } from '../../../functions/post-summary/window.js';
import { ValidationError } from '../../../shared/errors.js';

const NOW = new Date('2026-11-24T08:00:05.000Z');

describe('resolveWindow', () => {
  it.each([
    {
      case: 'no event',
      event: undefined,
      since: '2026-11-23T08:00:05.000Z',
      until: '2026-11-24T08:00:05.000Z',
      source: 'schedule',
    },
    {
      case: 'an empty object',
      event: {},
      since: '2026-11-23T08:00:05.000Z',
      until: '2026-11-24T08:00:05.000Z',
      source: 'schedule',
    },
    {
      case: 'the template schedule (scheduled time)',
      event: scheduled,
      since: '2026-11-23T08:00:00.000Z',
      until: '2026-11-24T08:00:00.000Z',
      source: 'schedule',
    },
    {
      case: 'an EventBridge Scheduled Event',
      event: {
        version: '0',
        id: 'e-1',
        'detail-type': 'Scheduled Event',
        source: 'aws.events',
        account: '111122223333',
        time: '2026-11-24T08:00:00Z',
        region: 'eu-west-1',
        resources: [],
        detail: {},
      },
      since: '2026-11-23T08:00:00.000Z',
      until: '2026-11-24T08:00:00.000Z',
      source: 'schedule',
    },
    {
      case: 'windowHours 6',
      event: { windowHours: 6 },
      since: '2026-11-24T02:00:05.000Z',
      until: '2026-11-24T08:00:05.000Z',
      source: 'windowHours',
    },
    {
      case: 'windowHours 720 (30 days)',
      event: { windowHours: 720 },
      since: '2026-10-25T08:00:05.000Z',
      until: '2026-11-24T08:00:05.000Z',
      source: 'windowHours',
    },
    {
      case: 'since and until',
      event: { since: '2026-11-20T00:00:00Z', until: '2026-11-21T00:00:00Z' },
      since: '2026-11-20T00:00:00.000Z',
      until: '2026-11-21T00:00:00.000Z',
      source: 'since-until',
    },
    {
      case: 'since alone (until = now)',
      event: { since: '2026-11-24T00:00:00+01:00' },
      since: '2026-11-23T23:00:00.000Z',
      until: '2026-11-24T08:00:05.000Z',
      source: 'since-until',
    },
    {
      case: 'until 30 s ahead (clock skew)',
      event: { since: '2026-11-24T00:00:00Z', until: '2026-11-24T08:00:35Z' },
      since: '2026-11-24T00:00:00.000Z',
      until: '2026-11-24T08:00:35.000Z',
      source: 'since-until',
    },
    {
      case: 'a correlation id',
      event: { id: 'manual-1', windowHours: 1 },
      since: '2026-11-24T07:00:05.000Z',
      until: '2026-11-24T08:00:05.000Z',
      source: 'windowHours',
    },
  ])('accepts $case', ({ event, since, until, source }) => {
    const window = resolveWindow(event, NOW, 24);
    expect({ since: window.since.toISOString(), until: window.until.toISOString(), source: window.source }).toEqual({
      since,
      until,
      source,
    });
  });

  it.each([
    { case: 'a Scheduler event', event: scheduled, fixed: true },
    {
      case: 'an EventBridge scheduled rule',
      event: { source: 'aws.events', 'detail-type': 'Scheduled Event', time: '2026-11-24T08:00:00Z' },
      fixed: true,
    },
    { case: 'since and until', event: { since: '2026-11-23T00:00:00Z', until: '2026-11-24T00:00:00Z' }, fixed: true },
    { case: 'since alone (until is now)', event: { since: '2026-11-23T00:00:00Z' }, fixed: false },
    { case: 'windowHours', event: { windowHours: 6 }, fixed: false },
    { case: '{}', event: {}, fixed: false },
    { case: 'no event', event: undefined, fixed: false },
  ])('$case: fixed (the event names the end, so a retry is the same window) is $fixed', ({ event, fixed }) => {
    expect(resolveWindow(event, NOW, 24).fixed).toBe(fixed);
  });

  it.each([
    { case: 'a string event', event: 'daily', field: 'event', message: 'event must be an object (got "daily")' },
    {
      case: 'windowHours 0',
      event: { windowHours: 0 },
      field: 'windowHours',
      message: 'windowHours must be an integer from 1 to 720 (got 0)',
    },
    {
      case: 'windowHours 721',
      event: { windowHours: 721 },
      field: 'windowHours',
      message: 'windowHours must be an integer from 1 to 720 (got 721)',
    },
    {
      case: 'windowHours as text',
      event: { windowHours: '6' },
      field: 'windowHours',
      message: 'windowHours must be an integer from 1 to 720 (got "6")',
    },
    {
      case: 'windowHours 1.5',
      event: { windowHours: 1.5 },
      field: 'windowHours',
      message: 'windowHours must be an integer from 1 to 720 (got 1.5)',
    },
    {
      case: 'windowHours with since',
      event: { windowHours: 6, since: '2026-11-24T00:00:00Z' },
      field: 'windowHours',
      message: 'windowHours cannot be combined with since/until (got 6)',
    },
    {
      case: 'a misspelt option',
      event: { windowhours: 6 },
      field: 'windowhours',
      message: 'windowhours is not a summary option (use windowHours, or since and until) (got 6)',
    },
    {
      case: 'until without since',
      event: { until: '2026-11-24T00:00:00Z' },
      field: 'since',
      message: 'since is required with until (got undefined)',
    },
    {
      case: 'a date without a time',
      event: { since: '2026-11-20' },
      field: 'since',
      message: 'since must be an ISO 8601 time with a zone, e.g. 2026-05-04T08:00:00Z (got "2026-11-20")',
    },
    {
      case: 'a time without a zone',
      event: { since: '2026-11-20T00:00:00' },
      field: 'since',
      message: 'since must be an ISO 8601 time with a zone, e.g. 2026-05-04T08:00:00Z (got "2026-11-20T00:00:00")',
    },
    {
      case: 'an impossible date',
      event: { since: '2026-13-40T00:00:00Z' },
      field: 'since',
      message: 'since must be an ISO 8601 time with a zone, e.g. 2026-05-04T08:00:00Z (got "2026-13-40T00:00:00Z")',
    },
    {
      case: 'since after until',
      event: { since: '2026-11-22T00:00:00Z', until: '2026-11-21T00:00:00Z' },
      field: 'since',
      message: 'since must be before until (2026-11-21T00:00:00.000Z) (got "2026-11-22T00:00:00.000Z")',
    },
    {
      case: 'since equal to until',
      event: { since: '2026-11-21T00:00:00Z', until: '2026-11-21T00:00:00Z' },
      field: 'since',
      message: 'since must be before until (2026-11-21T00:00:00.000Z) (got "2026-11-21T00:00:00.000Z")',
    },
    {
      case: 'until in the future',
      event: { since: '2026-11-24T00:00:00Z', until: '2026-11-24T08:01:10Z' },
      field: 'until',
      message: 'until must not be in the future (now 2026-11-24T08:00:05.000Z) (got "2026-11-24T08:01:10.000Z")',
    },
    {
      case: 'since 31 days back',
      event: { since: '2026-10-24T08:00:00Z', until: '2026-10-25T08:00:00Z' },
      field: 'since',
      message:
        'since must be at most 30 days back (AWS Backup lists jobs of the last 30 days only) (got "2026-10-24T08:00:00.000Z")',
    },
    {
      case: 'a day November does not have',
      event: { since: '2026-11-31T00:00:00Z' },
      field: 'since',
      message: 'since must be an ISO 8601 time with a zone, e.g. 2026-05-04T08:00:00Z (got "2026-11-31T00:00:00Z")',
    },
    {
      case: 'a schedule time on February 30th',
      event: { source: 'aws.events', 'detail-type': 'Scheduled Event', time: '2026-02-30T08:00:00Z' },
      field: 'time',
      message: 'time must be an ISO 8601 time with a zone, e.g. 2026-05-04T08:00:00Z (got "2026-02-30T08:00:00Z")',
    },
    {
      case: 'a misspelt option of a megabyte',
      event: { [`x${'y'.repeat(1_000_000)}`]: 6 },
      field: `"x${'y'.repeat(62)}… (1000003 characters)`,
      message: `"x${'y'.repeat(62)}… (1000003 characters) is not a summary option (use windowHours, or since and until) (got 6)`,
    },
    {
      case: 'a misspelt option with a line break',
      event: { 'windowHours\n': 6 },
      field: '"windowHours\\n"',
      message: '"windowHours\\n" is not a summary option (use windowHours, or since and until) (got 6)',
    },
    {
      case: 'a schedule without its time',
      event: { source: 'backup-autopilot', action: 'summary' },
      field: 'scheduledTime',
      message: 'scheduledTime must be an ISO 8601 time with a zone, e.g. 2026-05-04T08:00:00Z (got undefined)',
    },
  ])('rejects $case naming the field', ({ event, field, message }) => {
    let error: unknown;
    try {
      resolveWindow(event, NOW, 24);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe(field);
    expect((error as ValidationError).message).toBe(message);
  });

  it('a since on a day its month does not have is refused, not taken as a day of the next month', () => {
    // Inside the 30 days of a March 10th: Date.parse reads 2026-02-30 as March 2nd.
    expect(() => resolveWindow({ since: '2026-02-30T00:00:00Z' }, new Date('2026-03-10T00:00:00Z'), 24)).toThrow(
      'since must be an ISO 8601 time with a zone, e.g. 2026-05-04T08:00:00Z (got "2026-02-30T00:00:00Z")',
    );
  });
});
