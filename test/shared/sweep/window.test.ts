import { describe, expect, it } from 'vitest';
import { sweepSince, sweepSlices } from '../../../shared/sweep/window.js';

const NOW = new Date('2026-11-24T03:00:00Z');

describe('sweepSince', () => {
  it.each([
    { case: 'first sweep', cursor: undefined, expected: '2026-11-23T03:00:00.000Z' },
    { case: 'after a sweep', cursor: new Date('2026-11-24T02:00:00Z'), expected: '2026-11-24T01:45:00.000Z' },
    {
      case: 'cursor older than 30 days',
      cursor: new Date('2026-09-01T00:00:00Z'),
      expected: '2026-10-26T03:00:00.000Z',
    },
  ])('starts at the right time: $case', ({ cursor, expected }) => {
    expect(sweepSince(cursor, NOW, { sweepOverlapMinutes: 15, sweepLookbackHours: 24 }).toISOString()).toBe(expected);
  });
});

describe('sweepSlices', () => {
  const at = (iso: string) => new Date(iso);

  it("an hourly sweep's window (an hour and its overlap) is one open slice", () => {
    expect(sweepSlices(at('2026-11-24T01:45:00Z'), at('2026-11-24T03:00:00Z'))).toEqual([
      { after: at('2026-11-24T01:45:00Z') },
    ]);
  });

  it('a backlog is listed two hours at a time, oldest first, each slice a minute into the one before', () => {
    expect(sweepSlices(at('2026-11-24T00:00:00Z'), at('2026-11-24T05:00:00Z'))).toEqual([
      { after: at('2026-11-24T00:00:00Z'), before: at('2026-11-24T02:00:00Z') },
      { after: at('2026-11-24T01:59:00Z'), before: at('2026-11-24T04:00:00Z') },
      { after: at('2026-11-24T03:59:00Z') },
    ]);
  });

  it('a window of exactly two hours is one slice', () => {
    expect(sweepSlices(at('2026-11-24T00:00:00Z'), at('2026-11-24T02:00:00Z'))).toHaveLength(1);
  });
});
