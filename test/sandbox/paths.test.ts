import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bundlePath, findRepoRoot, lambdaRuntime, repoRoot } from '../../sandbox/paths.js';

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('paths', () => {
  it('finds the backup-autopilot package from the sources', () => {
    expect(JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).name).toBe('backup-autopilot');
    expect(bundlePath('retry-failed-job')).toBe(join(repoRoot, 'dist', 'retry-failed-job', 'handler.mjs'));
    expect(existsSync(lambdaRuntime.worker) && existsSync(lambdaRuntime.virtualClock)).toBe(true);
  });

  it('skips package.json files of other packages on the way up (e.g. from dist/sandbox)', () => {
    // Prepare
    const root = mkdtempSync(join(tmpdir(), 'paths-'));
    temps.push(root);
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'backup-autopilot' }));
    const nested = join(root, 'dist', 'sandbox');
    mkdirSync(nested, { recursive: true });
    writeFileSync(join(root, 'dist', 'package.json'), JSON.stringify({ name: 'other' }));

    // Act, Assess
    expect(findRepoRoot(nested)).toBe(root);
    expect(() => findRepoRoot(tmpdir())).toThrow('no package.json named backup-autopilot');
  });
});
