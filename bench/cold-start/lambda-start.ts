// How Lambda's Node.js managed runtime starts the process that imports a handler, so that the
// cold-start bench measures the import the way Lambda's INIT phase runs it, not only in a bare node.
//
// Two things differ from a bare `node driver.mjs`, and both change what an import costs:
//
// 1. The command line: the flags of the runtime's bootstrap, sized from the function's memory
//    (sandbox/lambda/node-args.ts says where they come from). One of them, `--expose-gc`, is a V8
//    flag, so V8's flag hash no longer matches the one Node's built-in modules were compiled
//    with, and each built-in module the import loads is compiled from source: on Node 24 here, a
//    bare node imports `node:stream/web` in 10M instructions, a node started with `--expose-gc`
//    in 39M (memory flags alone leave the hash unchanged).
// 2. What is loaded before the handler. The runtime interface client loads `node:path`, `node:fs`,
//    `node:net`, `node:http`, `node:os`, `node:util` and `node:worker_threads` at its top level
//    (aws-lambda-ric 4.0.2 index.mjs), then imports the handler: what the handler shares with those
//    is already paid for.
//
// Not reproduced: the runtime's own module and its native Runtime API client (rapid-client.node),
// which load before the handler and share nothing with it.

import { lambdaNodeArgs } from '../../sandbox/lambda/node-args.js';

/** The built-in modules the runtime interface client loads before it imports the handler. */
export const RUNTIME_BUILTINS: readonly string[] = [
  'node:path',
  'node:fs',
  'node:net',
  'node:http',
  'node:os',
  'node:util',
  'node:worker_threads',
];

/** How a node is started for one import: its command-line flags and what it loads first. */
export interface NodeStart {
  /** What the bench calls it: `Lambda's start` or `a bare node`. */
  readonly name: string;
  readonly args: readonly string[];
  /** Modules imported before the import is timed. */
  readonly preload: readonly string[];
  /**
   * Whether `args` hold a V8 flag: V8's flag hash then differs from the one Node's built-in modules
   * were cached with, so one more V8 flag changes nothing the import pays for
   * (instructions.ts uses this to fix V8's seeds for an exact count).
   */
  readonly v8Flagged: boolean;
}

/** The node Lambda starts for a function of `memoryMb`: its flags, and the runtime's modules loaded first. */
export const lambdaStart = (memoryMb: number): NodeStart => ({
  name: "Lambda's start",
  args: lambdaNodeArgs(memoryMb),
  preload: RUNTIME_BUILTINS,
  // --expose-gc.
  v8Flagged: true,
});

/** A node started with no flag and nothing loaded before the import. */
export const BARE_START: NodeStart = { name: 'a bare node', args: [], preload: [], v8Flagged: false };
