import { describe, expect, it } from 'vitest';
import { redact } from '../../shared/redact.js';

describe('redact', () => {
  it.each([
    { value: 'hooks.slack.com/services/T0/B0/xyz', shown: 'hooks.sl… (34 characters)' },
    { value: 'backup-autopilot/slack-webhook', shown: 'backup-a… (30 characters)' },
    // Never more than half: a short name is not shown whole.
    { value: 'slack', shown: 'sl… (5 characters)' },
    { value: 'ab', shown: 'a… (2 characters)' },
    { value: 'a', shown: '… (1 character)' },
    { value: '', shown: '… (0 characters)' },
    // A cut inside a surrogate pair drops its first half.
    { value: 'abc😀efgh', shown: 'abc… (9 characters)' },
  ])('$value -> $shown', ({ value, shown }) => {
    expect(redact(value)).toBe(shown);
  });

  it('never contains the value it redacts', () => {
    for (const value of ['x', 'secret', 'backup-autopilot/slack', `${'y'.repeat(100_000)}z`]) {
      expect(redact(value)).not.toContain(value);
    }
  });
});
