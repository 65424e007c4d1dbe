import { readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// Why the code that ships declares its top-level functions with `function`, not `const f = () =>`:
// a function bundle is an ES module, and in a module V8 parses every top-level arrow function in
// full when the bundle loads (ParserBase::ParseArrowFunctionLiteral preparses only where
// Scope::AllowsLazyParsingWithoutUnresolvedVariables holds, which a module scope never does),
// while a function declaration is only preparsed and parsed in full on its first call. Measured
// with `npm run bench` on Node 24 (docs/development.md): the rewrite cut each cold start by about
// 2% of its floor. A const whose declared type is a function type keeps its arrow: the type is the
// contract (a side bundle's loader, say), and the three of them cost nothing measurable.

const root = resolve(import.meta.dirname, '../..');

/** Every TypeScript source that esbuild bundles into a function: functions/ and shared/. */
const shippedSources = (): string[] =>
  ts.sys
    .readDirectory(root, ['.ts'], undefined, ['functions/**/*', 'shared/**/*'])
    .filter((path) => !path.endsWith('.d.ts'))
    .map((path) => relative(root, path));

/** `file:line name` of each top-level `const name = (...) => ...` without a declared type. */
const topLevelArrows = (file: string, text = readFileSync(join(root, file), 'utf8')): string[] => {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  return source.statements.flatMap((statement) =>
    ts.isVariableStatement(statement)
      ? statement.declarationList.declarations
          .filter((d) => d.initializer !== undefined && ts.isArrowFunction(d.initializer) && d.type === undefined)
          .map((d) => `${file}:${source.getLineAndCharacterOfPosition(d.getStart()).line + 1} ${d.name.getText()}`)
      : [],
  );
};

describe('top-level functions in bundled code', () => {
  it('finds the sources it checks', () => {
    const files = shippedSources();
    expect(files).toContain('functions/retry-failed-job/handler.ts');
    expect(files).toContain('shared/diagnosis/table.ts');
  });

  it('tells a top-level arrow function from a declaration, a typed const and a nested arrow', () => {
    const text = [
      'export const f = (a: number) => a + 1;',
      'export function g(a: number) { return [a].map((x) => x + 1); }',
      'export const h: (a: number) => number = (a) => a;',
      'const i = async () => {};',
    ].join('\n');
    expect(topLevelArrows('x.ts', text)).toEqual(['x.ts:1 f', 'x.ts:4 i']);
  });

  it('are function declarations, which V8 only preparses at a cold start, not arrow functions it parses in full', () => {
    expect(shippedSources().flatMap((file) => topLevelArrows(file))).toEqual([]);
  });
});
