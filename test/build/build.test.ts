import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildProblems, esbuildArgs, functionsOf, parseTemplate, toSnakeCase } from '../../scripts/sam-esbuild.mjs';

const root = join(import.meta.dirname, '..', '..');
const template = parseTemplate(readFileSync(join(root, 'template.yaml'), 'utf8'));
const functions = functionsOf(template);
const BANNER = "js=import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

describe('one build pipeline: npm run build runs what sam build runs', () => {
  it('converts BuildProperties keys the way SAM does', () => {
    expect(['Minify', 'OutExtension', 'EntryPoints', 'MainFields', 'SourcesContent'].map(toSnakeCase)).toEqual([
      'minify',
      'out_extension',
      'entry_points',
      'main_fields',
      'sources_content',
    ]);
  });

  it("produces aws-lambda-builders' exact esbuild flags for the canonical block", () => {
    const props = {
      format: 'esm',
      target: 'es2022',
      out_extension: ['.js=.mjs'],
      minify: true,
      sourcemap: true,
      banner: [BANNER],
      entry_points: ['functions/demo/handler.ts'],
    };
    // Order and spelling as EsbuildCommandBuilder: defaults, booleans, single values, lists, entry points.
    expect(esbuildArgs(props, '/out')).toEqual([
      '--bundle',
      '--platform=node',
      '--outdir=/out',
      '--minify',
      '--sourcemap',
      '--target=es2022',
      '--format=esm',
      '--out-extension:.js=.mjs',
      `--banner:${BANNER}`,
      'functions/demo/handler.ts',
    ]);
  });

  it("applies SAM's defaults when keys are absent (cjs, es2020, minified)", () => {
    expect(esbuildArgs({ entry_points: ['a.ts'] }, 'o')).toEqual([
      '--bundle',
      '--platform=node',
      '--outdir=o',
      '--target=es2020',
      '--format=cjs',
      '--minify',
      'a.ts',
    ]);
  });

  it('refuses properties SAM ignores, a wrong Handler and a second build method', () => {
    const drifted = parseTemplate(`
Globals: { Function: { CodeUri: . } }
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Metadata:
      BuildMethod: makefile
      BuildProperties: { Platform: node, Minify: true, EntryPoints: [functions/demo/handler.ts] }
    Properties: { Handler: functions/demo/handler.handler, Role: !GetAtt Role.Arn }
`);
    expect(buildProblems(functionsOf(drifted)[0] as never)).toEqual([
      'Fn: Metadata.BuildMethod must be esbuild',
      "Fn: BuildProperties key platform is not one SAM's esbuild builder reads",
      'Fn: Handler must be handler.handler (got functions/demo/handler.handler)',
    ]);
  });

  it.each(functions.map((fn) => [fn.logicalId, fn] as const))('%s is built as sam build would build it', (_id, fn) => {
    expect(buildProblems(fn)).toEqual([]);
    expect(fn.props).toMatchObject({
      format: 'esm',
      out_extension: ['.js=.mjs'],
      minify: true,
      // No source map: SAM would add --enable-source-maps, which parses it at every cold start.
      sourcemap: false,
      banner: [BANNER],
    });
    expect(existsSync(join(root, fn.entryPoints[0] ?? ''))).toBe(true);
  });

  describe('npm run build', () => {
    const out = mkdtempSync(join(tmpdir(), 'backup-autopilot-build-'));
    afterAll(() => rmSync(out, { recursive: true, force: true }));

    it('writes one ESM bundle per function, exporting handler, with the createRequire banner and no source map', () => {
      const log = execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), out], {
        cwd: root,
        encoding: 'utf8',
      });
      for (const fn of functions) {
        const bundle = join(out, fn.folder ?? '', 'handler.mjs');
        expect(log).toContain(fn.logicalId);
        const code = readFileSync(bundle, 'utf8');
        expect(code.startsWith("import { createRequire } from 'node:module'")).toBe(true);
        expect(existsSync(`${bundle}.map`)).toBe(false);
        // The AWS SDK is bundled, not left for the runtime to provide.
        expect(code).not.toMatch(/from\s*["']@aws-sdk\//);
        // Not imported here: a handler loads its config at module scope, which needs its deployed env.
        expect(code).toMatch(/export\s*\{[^}]*\bhandler\s*\}/);
      }
      expect(functions.length === 0 ? log : '').toMatch(functions.length === 0 ? /nothing to build/ : /^$/);
    }, 120_000);
  });
});
