/**
 * How Lambda's Node.js runtime starts node for a function of a given memory size. The runtime's
 * bootstrap (/var/runtime/bootstrap in the Lambda base images) runs `node --expose-gc
 * --max-http-header-size 81920 --max-semi-space-size=<s> --max-old-space-size=<o>
 * /var/runtime/index.mjs`, with the new space a tenth of the function's memory, the semi-space half
 * of that and the old space the rest (for 256 MB: 12 and 231; for 128 MB: 6 and 116, the values a
 * 128 MB function's process shows). The runtime interface client relies on those flags being there:
 * aws-lambda-ric 4.0.2 (npm, index.mjs, `WorkerManager.getFilteredExecArgv`) strips
 * `--expose-gc`, `--max-semi-space-size` and `--max-old-space-size` from its own `execArgv` before it
 * starts worker threads.
 */

/**
 * The flags that size the function's heap as Lambda does, and the header limit of its HTTP parser:
 * a function that outgrows its memory dies as it would on Lambda.
 *
 * @throws Error when `memoryMb` is not a whole number of at least 128
 */
export const lambdaHeapArgs = (memoryMb: number): string[] => {
  if (!Number.isInteger(memoryMb) || memoryMb < 128)
    throw new Error(`memoryMb must be an integer of at least 128 (got ${memoryMb})`);
  // The bootstrap's shell arithmetic (expr): integer division.
  const newSpace = Math.floor(memoryMb / 10);
  return [
    '--max-http-header-size=81920',
    `--max-semi-space-size=${Math.floor(newSpace / 2)}`,
    `--max-old-space-size=${memoryMb - newSpace}`,
  ];
};

/**
 * Every flag Lambda's bootstrap starts node with, for a function of `memoryMb`. `--expose-gc` is a
 * V8 flag: with it, V8's flag hash no longer matches the one Node's built-in modules were compiled
 * with, so each built-in module a process loads is compiled from source (on Node 24 an empty
 * module's process costs 141M instructions to run instead of 104M).
 *
 * @throws Error when `memoryMb` is not a whole number of at least 128
 */
export const lambdaNodeArgs = (memoryMb: number): string[] => ['--expose-gc', ...lambdaHeapArgs(memoryMb)];
