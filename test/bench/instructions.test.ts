import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { countedStart, FIXED_SEEDS } from '../../bench/cold-start/instructions.js';
import { BARE_START, lambdaStart, type NodeStart } from '../../bench/cold-start/lambda-start.js';
import { importCost, writeDriver } from '../../bench/cold-start/measure.js';
import { lambdaNodeArgs } from '../../sandbox/lambda/node-args.js';

describe('the flags an instruction count runs node with', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it("fixes V8's seeds for Lambda's start, which passes a V8 flag already, and keeps its own flags", () => {
    const counted = countedStart(lambdaStart(256));
    expect(counted.args).toEqual([...FIXED_SEEDS, ...lambdaNodeArgs(256)]);
    expect(counted.preload).toEqual(lambdaStart(256).preload);
  });

  it('adds no flag to a bare node: one V8 flag would make its built-in modules compile from source', () => {
    expect(countedStart(BARE_START)).toEqual(BARE_START);
  });

  // Two fresh nodes started the same way: with the seeds fixed they draw the same random numbers.
  const draws = (start: NodeStart): unknown[] => {
    dir = mkdtempSync(join(tmpdir(), 'counted-start-'));
    const driver = writeDriver(dir);
    return [0, 1].map((run) => {
      const out = join(dir as string, `draw-${run}.json`);
      const module = join(dir as string, `draw-${run}.mjs`);
      writeFileSync(
        module,
        `import { writeFileSync } from 'node:fs';
writeFileSync(${JSON.stringify(out)}, JSON.stringify({ random: Math.random(), execArgv: process.execArgv }));
`,
      );
      importCost(driver, module, { PATH: process.env.PATH ?? '' }, start);
      return JSON.parse(readFileSync(out, 'utf8'));
    });
  };

  it('starts node with the fixed seeds, so that two runs repeat what V8 draws', () => {
    const [first, second] = draws(countedStart(lambdaStart(256)));
    expect(first).toEqual(second);
    expect((first as { execArgv: string[] }).execArgv.slice(0, FIXED_SEEDS.length)).toEqual(FIXED_SEEDS);
  });

  it('leaves a bare node its own random draws', () => {
    const [first, second] = draws(countedStart(BARE_START)) as { random: number }[];
    expect(first?.random).not.toBe(second?.random);
  });
});
