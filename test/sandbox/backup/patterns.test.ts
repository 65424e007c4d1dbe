import { describe, expect, it, vi } from 'vitest';
import { loadBackupModel } from '../../../sandbox/backup/model.js';
import { MODEL_DEVIATIONS } from '../../../sandbox/backup/model-deviations.js';
import { compilePattern, translateJavaPattern } from '../../../sandbox/backup/patterns.js';
import { PATTERN_LENGTH_BOUND } from '../../../sandbox/backup/validate.js';

const model = loadBackupModel();
const modelPatterns = [...new Set(Object.values(model.raw.shapes).flatMap((s) => (s.pattern ? [s.pattern] : [])))];

describe('translateJavaPattern', () => {
  it.each([
    { java: '^[a-z]{1,5}$', source: '^[a-z]{1,5}$', flags: '' },
    { java: 'a*+b++c?+d{2}+', source: 'a*b+c?d{2}', flags: '' },
    { java: 'a+?b', source: 'a+?b', flags: '' },
    { java: '(?>ab|a)c', source: '(?:ab|a)c', flags: '' },
    { java: '(?:x)?+', source: '(?:x)?', flags: '' },
    { java: '\\Aabc\\z', source: '^abc$', flags: '' },
    { java: '\\p{Alpha}[\\p{Digit}_]\\P{Alnum}', source: '[a-zA-Z][0-9_][^a-zA-Z0-9]', flags: '' },
    { java: '^[\\p{L}\\_\\-]+\\_$', source: '^[\\p{L}_\\-]+_$', flags: 'u' },
    { java: '\\p{IsAlphabetic}\\(\\+', source: '\\p{Alphabetic}\\(\\+', flags: 'u' },
    { java: '[]a]+', source: '[\\]a]+', flags: '' },
  ])('$java -> $source', ({ java, source, flags }) => {
    expect(translateJavaPattern(java)).toEqual({ source, flags });
  });

  it('a translated possessive pattern matches what the Java one does for bounded input', () => {
    const regex = compilePattern('^[a-zA-Z0-9\\-\\_]++$');
    expect(regex?.test('ab-c_1')).toBe(true);
    expect(regex?.test('ab c')).toBe(false);
  });
});

describe('compilePattern', () => {
  it('compiles every pattern of the Backup model (7 distinct in 13 shapes) and of the deviation table (2)', () => {
    // Prepare
    const deviationPatterns = MODEL_DEVIATIONS.flatMap((d) => (d.pattern ? [d.pattern] : []));
    // Act
    const compiled = [...modelPatterns, ...deviationPatterns].map(compilePattern);
    // Assess
    expect(modelPatterns).toHaveLength(7);
    expect(compiled.filter((r) => r instanceof RegExp)).toHaveLength(12);
  });

  it('logs a pattern JavaScript cannot compile once, and skips it instead of crashing', () => {
    // Prepare
    const warn = vi.spyOn(console, 'warn');
    // Act
    const first = compilePattern('[a-z&&[^b]](?<!x{2,}');
    const second = compilePattern('[a-z&&[^b]](?<!x{2,}');
    // Assess
    expect(first).toBeUndefined();
    expect(second).toBeUndefined();
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('returns the same RegExp for the same pattern (compiled once)', () => {
    expect(compilePattern('^[0-9]{12}$')).toBe(compilePattern('^[0-9]{12}$'));
  });

  it('no pattern on a shape without max can match a string longer than the bound (so refusing it unrun is exact)', () => {
    // Prepare
    const maxless = Object.values(model.raw.shapes).filter((s) => s.pattern && s.max === undefined);
    const long = 'a'.repeat(PATTERN_LENGTH_BOUND + 1);
    // Act, Assess
    expect(maxless.length).toBeGreaterThan(0);
    for (const shape of maxless) {
      expect(compilePattern(shape.pattern as string)?.test(long), shape.pattern).toBe(false);
      expect(compilePattern(shape.pattern as string)?.test(`${long}*`), shape.pattern).toBe(false);
    }
  });
});
