import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BARE_START, lambdaNodeArgs, lambdaStart, RUNTIME_BUILTINS } from '../../bench/cold-start/lambda-start.js';
import { importCost, writeDriver } from '../../bench/cold-start/measure.js';

describe('lambdaNodeArgs', () => {
  it("gives the flags Lambda's bootstrap computes from the function's memory", () => {
    // A 128 MB function's node, as recorded from Lambda: --max-semi-space-size=6 --max-old-space-size=116.
    expect(lambdaNodeArgs(128)).toEqual([
      '--expose-gc',
      '--max-http-header-size=81920',
      '--max-semi-space-size=6',
      '--max-old-space-size=116',
    ]);
    expect(lambdaNodeArgs(256).slice(2)).toEqual(['--max-semi-space-size=12', '--max-old-space-size=231']);
    expect(lambdaNodeArgs(10_240).slice(2)).toEqual(['--max-semi-space-size=512', '--max-old-space-size=9216']);
  });

  it('refuses a memory size Lambda does not have, naming it', () => {
    for (const memoryMb of [127, 256.5, Number.NaN]) {
      expect(() => lambdaNodeArgs(memoryMb)).toThrow(`memoryMb must be an integer of at least 128 (got ${memoryMb})`);
    }
  });
});

describe("the bench's two starts", () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('lists only built-in modules to load first', () => {
    expect(RUNTIME_BUILTINS.length).toBeGreaterThan(0);
    for (const name of RUNTIME_BUILTINS) expect(isBuiltin(name)).toBe(true);
  });

  // What the imported module sees of the node it runs in: its flags, and whether the runtime's
  // modules were loaded before it.
  const probe = (start: Parameters<typeof importCost>[3]) => {
    dir = mkdtempSync(join(tmpdir(), 'lambda-start-'));
    const out = join(dir, 'seen.json');
    const module = join(dir, 'probe.mjs');
    writeFileSync(
      module,
      `import { writeFileSync } from 'node:fs';
writeFileSync(${JSON.stringify(out)}, JSON.stringify({
  gc: typeof globalThis.gc,
  execArgv: process.execArgv,
  httpLoaded: process.moduleLoadList.includes('NativeModule http'),
}));
`,
    );
    const cost = importCost(writeDriver(dir), module, { PATH: process.env.PATH ?? '' }, start);
    return { cost, seen: JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown> };
  };

  it("imports in a node started as Lambda starts it, after the runtime's modules", () => {
    const { cost, seen } = probe(lambdaStart(256));
    expect(seen).toEqual({ gc: 'function', execArgv: lambdaNodeArgs(256), httpLoaded: true });
    expect(cost.cpuMs).toBeGreaterThan(0);
    expect(cost.wallMs).toBeGreaterThan(0);
  });

  it('imports in a bare node: no flag, nothing loaded first', () => {
    const { seen } = probe(BARE_START);
    expect(seen).toEqual({ gc: 'undefined', execArgv: [], httpLoaded: false });
  });
});
