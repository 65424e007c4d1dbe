import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OUT_MARKER, outDirProblem, resetOutDir } from '../../../sandbox/cli/out-dir.js';
import { runStart } from '../../../sandbox/cli/start.js';

let scratch: string;
beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), 'out-dir-'));
});
afterEach(() => rmSync(scratch, { recursive: true, force: true }));

describe('npm start --out: it empties only a directory it wrote', () => {
  it('takes a directory that does not exist, or an empty one, and marks it as its own', () => {
    for (const dir of [join(scratch, 'empty'), join(scratch, 'new', 'deeper')]) {
      if (dir.endsWith('empty')) mkdirSync(dir);
      expect(outDirProblem(dir)).toBeUndefined();
      resetOutDir(dir);
      expect(readdirSync(dir)).toEqual([OUT_MARKER]);
    }
  });

  it('empties a directory an earlier run wrote, its files and folders included', () => {
    resetOutDir(scratch);
    mkdirSync(join(scratch, 'alerts'));
    writeFileSync(join(scratch, 'alerts', '01-old.txt'), 'old alert');
    writeFileSync(join(scratch, 'summary.txt'), 'old summary');
    expect(outDirProblem(scratch)).toBeUndefined();
    resetOutDir(scratch);
    expect(readdirSync(scratch)).toEqual([OUT_MARKER]);
  });

  it('refuses a directory holding anything it did not write, names it, and deletes nothing', () => {
    writeFileSync(join(scratch, 'thesis.tex'), 'years of work');
    mkdirSync(join(scratch, 'photos'));
    const problem = outDirProblem(scratch);
    expect(problem).toBe(
      `--out ${scratch}: holds 2 entries that npm start did not write (no ${OUT_MARKER} file); each run empties its directory, so name a new or empty one`,
    );
    expect(() => resetOutDir(scratch)).toThrow(problem as string);
    expect(readdirSync(scratch).sort()).toEqual(['photos', 'thesis.tex']);
  });

  it('refuses a file', () => {
    const file = join(scratch, 'notes.txt');
    writeFileSync(file, 'keep me');
    expect(outDirProblem(file)).toBe(`--out ${file}: is a file, not a directory`);
    expect(existsSync(file)).toBe(true);
  });

  it('npm start exits 2 before it plays anything, with the reason on stderr', async () => {
    writeFileSync(join(scratch, 'keep.txt'), 'keep me');
    let stderr = '';
    let stdout = '';
    const sink = (write: (text: string) => void) =>
      new Writable({
        write(chunk, _encoding, done) {
          write(String(chunk));
          done();
        },
      });
    const code = await runStart(['--out', scratch], {
      stdout: sink((text) => (stdout += text)),
      stderr: sink((text) => (stderr += text)),
      env: process.env,
    });
    expect(code).toBe(2);
    expect(stderr).toBe(`${outDirProblem(scratch)}\n`);
    expect(stdout).toBe('');
    expect(readdirSync(scratch)).toEqual(['keep.txt']);
  });
});
