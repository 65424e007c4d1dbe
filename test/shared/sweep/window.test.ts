import { describe, expect, it } from 'vitest';
import { sweepSince } from '../../../shared/sweep/window.js';

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
