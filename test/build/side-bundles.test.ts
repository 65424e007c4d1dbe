import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Metafile } from '../../bench/cold-start/metafile.js';
import { buildProblems, functionsOf, parseTemplate } from '../../scripts/sam-esbuild.mjs';
import { importSideBundle } from '../../shared/side-bundle.js';

const root = join(import.meta.dirname, '..', '..');
const functions = functionsOf(parseTemplate(readFileSync(join(root, 'template.yaml'), 'utf8')));

const metafileOf = (folder: string): Metafile =>
  JSON.parse(readFileSync(join(root, 'dist', folder, 'meta.json'), 'utf8')) as Metafile;

/**
 * Every side bundle the handler bundle can import: `importSideBundle(import.meta.url, 'name')` in
 * any of its own source files (a function's or shared/; bundled, every module's import.meta.url is
 * handler.mjs, so the name is a sibling of it).
 */
const sideImports = (folder: string, handlerEntry: string): string[] => {
  const handler = Object.values(metafileOf(folder).outputs).find((o) => o.entryPoint === handlerEntry);
  const sources = Object.keys(handler?.inputs ?? {}).filter((input) => /^(functions|shared)\/.*\.ts$/.test(input));
  return [
    ...new Set(
      sources.flatMap((input) =>
        [
          ...readFileSync(join(root, input), 'utf8').matchAll(
            /importSideBundle<[^>]*>\(\s*import\.meta\.url,\s*'([^']+)'/g,
          ),
        ].map((match) => match[1] as string),
      ),
    ),
  ].sort();
};

describe('side bundles (shared/side-bundle.ts)', () => {
  it.each(functions.map((fn) => [fn.folder ?? fn.logicalId, fn] as const))(
    '%s imports exactly the side bundles its EntryPoints build',
    (folder, fn) => {
      expect(sideImports(folder, fn.entryPoints[0] ?? '')).toEqual([...fn.sideBundles].sort());
    },
  );

  it.each(functions.filter((fn) => fn.sideBundles.length > 0).map((fn) => [fn.folder ?? '', fn] as const))(
    '%s: npm run build writes each side bundle beside handler.mjs, and the handler bundle holds none of them',
    (folder, fn) => {
      const meta = metafileOf(folder);
      const handler = Object.values(meta.outputs).find((o) => o.entryPoint === fn.entryPoints[0]);
      expect(Object.keys(handler?.inputs ?? {})).not.toEqual(
        expect.arrayContaining(fn.entryPoints.slice(1).map((entry) => expect.stringContaining(entry))),
      );
      for (const name of fn.sideBundles) {
        expect(existsSync(join(root, 'dist', folder, `${name}.mjs`)), `${name}.mjs`).toBe(true);
        expect(Object.keys(handler?.inputs ?? {})).not.toContain(`functions/${folder}/${name}.ts`);
      }
    },
  );

  it('refuses a side bundle outside the function folder (it would move handler.mjs out of the artifact root)', () => {
    const [fn] = functionsOf(
      parseTemplate(`
Globals: { Function: { CodeUri: . } }
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Metadata:
      BuildMethod: esbuild
      BuildProperties: { EntryPoints: [functions/demo/handler.ts, shared/cron.ts] }
    Properties: { Handler: handler.handler }
`),
    );
    expect(buildProblems(fn as never)).toEqual([
      'Fn: side bundle shared/cron.ts must be functions/demo/<kebab-name>.ts',
    ]);
  });

  it('loads the .ts beside the caller from source and the .mjs beside the bundle when bundled', async () => {
    const fromSource = await importSideBundle<typeof import('../../functions/start-copy-job/ssm-reader.js')>(
      new URL('../../functions/start-copy-job/rules-parameter.ts', import.meta.url).href,
      'ssm-reader',
    );
    expect(typeof fromSource.readRulesParameterText).toBe('function');
    const bundled = importSideBundle(new URL('../../dist/start-copy-job/handler.mjs', import.meta.url).href, 'nope');
    await expect(bundled).rejects.toThrow(/nope\.mjs/);
  });

  it('refuses a name that is not a file name', () => {
    expect(() => importSideBundle(import.meta.url, '../x')).toThrow('side bundle name "../x" is not a file name');
  });
});
