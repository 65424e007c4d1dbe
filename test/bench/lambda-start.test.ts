import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BARE_START, lambdaStart, RUNTIME_BUILTINS } from '../../bench/cold-start/lambda-start.js';
import { importCost, writeDriver } from '../../bench/cold-start/measure.js';
import { lambdaNodeArgs } from '../../sandbox/lambda/node-args.js';

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
