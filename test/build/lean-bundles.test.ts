import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eagerInputs, largestPackages, type Metafile, packageOf } from '../../bench/cold-start/metafile.js';

const root = resolve(import.meta.dirname, '../..');

const metafileOf = (folder: string): Metafile => {
  const path = join(root, 'dist', folder, 'meta.json');
  expect(existsSync(path), `${path} is written by npm run build (test/global-setup.ts runs it)`).toBe(true);
  return JSON.parse(readFileSync(path, 'utf8')) as Metafile;
};

const sharesOf = (folder: string, entryFile = 'handler.ts') =>
  largestPackages(metafileOf(folder), Number.MAX_SAFE_INTEGER, entryFile);

/** The Node built-in modules a handler's import loads (what its eagerly evaluated inputs import). */
const builtinsLoadedBy = (folder: string): string[] => {
  const meta = metafileOf(folder);
  const loaded = new Set<string>();
  for (const input of eagerInputs(meta, `functions/${folder}/handler.ts`)) {
    for (const { path } of meta.inputs?.[input]?.imports ?? []) if (path.startsWith('node:')) loaded.add(path);
  }
  return [...loaded].sort();
};

describe('lean bundles (esbuild metafiles of npm run build)', () => {
  it.each([
    { folder: 'retry-failed-job', absent: ['@aws-sdk/client-ssm', '@aws-sdk/client-secrets-manager'] },
    { folder: 'start-copy-job', absent: ['@aws-sdk/client-secrets-manager', '@aws-sdk/client-scheduler'] },
    { folder: 'post-summary', absent: ['@aws-sdk/client-scheduler'] },
  ])('$folder bundles none of the SDK clients it never calls: $absent', ({ folder, absent }) => {
    const names = sharesOf(folder).map((share) => share.name);
    expect(names).toContain('@aws-sdk/client-backup');
    expect(names.filter((name) => absent.includes(name))).toEqual([]);
  });

  it.each([
    { folder: 'retry-failed-job', side: 'cron-engine.ts', optional: ['cron-parser', 'luxon'] },
    { folder: 'start-copy-job', side: 'ssm-reader.ts', optional: ['@aws-sdk/client-ssm'] },
    {
      folder: 'post-summary',
      side: 'secret-stores.ts',
      optional: ['@aws-sdk/client-secrets-manager', '@aws-sdk/client-ssm'],
    },
    { folder: 'post-summary', side: 'cron-engine.ts', optional: ['cron-parser', 'luxon'] },
    // STS only in central mode (shared/accounts/central-credentials.ts, on a member's first call).
    ...['retry-failed-job', 'start-copy-job', 'post-summary'].map((folder) => ({
      folder,
      side: 'central-credentials.ts',
      optional: ['@aws-sdk/client-sts'],
    })),
  ])(
    '$folder keeps its optional paths ($optional) out of the handler, in the side bundle $side',
    ({ folder, side, optional }) => {
      expect(sharesOf(folder).filter((share) => optional.includes(share.name))).toEqual([]);
      const inSide = sharesOf(folder, side).map((share) => share.name);
      expect(optional.filter((name) => !inSide.includes(name))).toEqual([]);
    },
  );
});

describe('built-in modules a handler loads (dist metafiles)', () => {
  // Lambda's runtime starts node with --expose-gc, a V8 flag: Node's built-in modules then miss
  // their embedded code cache and compile from source (bench/cold-start/lambda-start.ts). @middy/core
  // 6 imported node:stream/web at its top level (for streamifyResponse, which we do not use): 10M
  // instructions of every cold start, 4 points of the floor (docs/development.md). @middy/core 7
  // keeps it in a module of its own.
  it.each(['retry-failed-job', 'start-copy-job', 'post-summary'])(
    '%s loads neither node:stream/web nor node:stream/promises when it is imported',
    (folder) => {
      const builtins = builtinsLoadedBy(folder);
      expect(builtins).toContain('node:crypto');
      expect(builtins.filter((name) => name === 'node:stream/web' || name === 'node:stream/promises')).toEqual([]);
    },
  );
});

describe('packageOf', () => {
  it.each([
    { input: 'node_modules/@aws-sdk/client-backup/dist-es/index.js', name: '@aws-sdk/client-backup' },
    { input: 'node_modules/luxon/src/luxon.js', name: 'luxon' },
    { input: 'node_modules/a/node_modules/@x/y/z.js', name: '@x/y' },
    { input: 'functions/retry-failed-job/decide.ts', name: 'functions/retry-failed-job' },
    { input: 'shared/clients.ts', name: 'shared/clients.ts' },
  ])('$input belongs to $name', ({ input, name }) => {
    expect(packageOf(input)).toBe(name);
  });
});

describe('largestPackages', () => {
  // Prepare: an entry point importing `a` statically and `b` (which imports `a` too) dynamically.
  const meta: Metafile = {
    inputs: {
      'functions/f/handler.ts': {
        imports: [
          { path: 'node_modules/a/x.js', kind: 'import-statement' },
          { path: 'node_modules/b/index.js', kind: 'dynamic-import' },
        ],
      },
      'node_modules/a/x.js': { imports: [] },
      'node_modules/a/y.js': { imports: [] },
      'node_modules/b/index.js': { imports: [{ path: 'node_modules/a/y.js', kind: 'import-statement' }] },
    },
    outputs: {
      'handler.mjs': {
        entryPoint: 'functions/f/handler.ts',
        inputs: {
          'functions/f/handler.ts': { bytesInOutput: 1 },
          'node_modules/a/x.js': { bytesInOutput: 3 },
          'node_modules/a/y.js': { bytesInOutput: 4 },
          'node_modules/b/index.js': { bytesInOutput: 5 },
        },
      },
    },
  };

  it("reads only the named entry point's output", () => {
    const withSide: Metafile = {
      ...meta,
      outputs: {
        ...meta.outputs,
        'side.mjs': { entryPoint: 'functions/f/side.ts', inputs: { 'node_modules/c/z.js': { bytesInOutput: 9 } } },
      },
    };
    expect(largestPackages(withSide).map(({ name }) => name)).toEqual(['a', 'b', 'functions/f']);
    expect(largestPackages(withSide, 10, 'side.ts').map(({ name }) => name)).toEqual(['c']);
  });

  it('ranks packages by bytes in the output, largest first, and stops at the count', () => {
    expect(largestPackages(meta, 2).map(({ name, bytes }) => [name, bytes])).toEqual([
      ['a', 7],
      ['b', 5],
    ]);
  });

  it('marks a package lazy only when none of its inputs is reached without a dynamic import()', () => {
    expect(largestPackages(meta).map(({ name, lazy }) => [name, lazy])).toEqual([
      ['a', false],
      ['b', true],
      ['functions/f', false],
    ]);
  });
});
