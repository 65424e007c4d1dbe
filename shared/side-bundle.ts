/**
 * Side bundles: code a function needs only on some invocations (the SSM and Secrets Manager clients,
 * the cron engine), built as its own file so that a cold start neither compiles nor evaluates it.
 *
 * Why not esbuild's `--splitting`: SAM's esbuild builder passes no such flag (aws-lambda-builders,
 * workflows/nodejs_npm_esbuild; see scripts/sam-esbuild.mjs), and without it esbuild inlines every
 * `import()` into the one output file. Inlined, such code is not evaluated until first use, but V8
 * still parses it at every cold start: measured with `npm run bench`, the 170 KiB of the SSM client
 * alone cost the copy function about 0.4x of its floor's import time (docs/development.md).
 *
 * SAM does build several EntryPoints: a module listed after `handler.ts` in the function's
 * `Metadata.BuildProperties.EntryPoints` lands beside `handler.mjs` as `<name>.mjs` (esbuild's
 * outbase is the entries' common folder). The import specifier is computed, so esbuild leaves the
 * `import()` alone instead of inlining it. test/template/side-bundles.test.ts checks that every
 * side bundle a function imports is one of its entry points, and the sandbox's integration tests
 * load them from the real bundles.
 *
 * A side bundle is a separate copy of whatever it imports: it must not hand back error classes or
 * other values the caller tests with `instanceof`, only data, clients and functions.
 */

/**
 * Imports the side bundle `name` of the caller's function folder: `./<name>.mjs` beside the bundle
 * when running bundled, `./<name>.ts` beside the caller when running from source (tests).
 *
 * @param callerUrl - the calling module's `import.meta.url`; the caller lives in the function's folder
 * @param name - the side module's file name without extension, e.g. `ssm-reader`
 */
export function importSideBundle<Module>(callerUrl: string, name: string): Promise<Module> {
  if (!/^[a-z][a-z0-9-]*$/.test(name)) throw new Error(`side bundle name ${JSON.stringify(name)} is not a file name`);
  const bundled = callerUrl.endsWith('.mjs');
  return import(new URL(`./${name}.${bundled ? 'mjs' : 'ts'}`, callerUrl).href) as Promise<Module>;
}
