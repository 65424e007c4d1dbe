import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { functionsOf, parseTemplate } from '../../scripts/sam-esbuild.mjs';

const root = resolve(import.meta.dirname, '../..');
const functions = functionsOf(parseTemplate(readFileSync(join(root, 'template.yaml'), 'utf8')));

interface Metafile {
  readonly inputs: Readonly<Record<string, unknown>>;
}

const inputsOf = (folder: string): string[] => {
  const path = join(root, 'dist', folder, 'meta.json');
  expect(existsSync(path), `${path} is written by npm run build (test/global-setup.ts runs it)`).toBe(true);
  return Object.keys((JSON.parse(readFileSync(path, 'utf8')) as Metafile).inputs);
};

describe('what goes into a function bundle (esbuild metafiles of npm run build)', () => {
  it.each(functions.map((fn) => [fn.folder as string]))('%s bundles no sandbox, test or script code', (folder) => {
    const inputs = inputsOf(folder);
    expect(inputs.length).toBeGreaterThan(10);
    expect(inputs.filter((input) => /^(sandbox|test|scripts|bench)\//.test(input))).toEqual([]);
    expect(
      inputs.filter((input) => /node_modules\/(dynalite|vitest|aws-sdk-client-mock|yaml|esbuild)\//.test(input)),
    ).toEqual([]);
  });

  it.each(functions.map((fn) => [fn.folder as string]))(
    '%s bundles its own handler and no other function',
    (folder) => {
      const inputs = inputsOf(folder);
      expect(inputs).toContain(`functions/${folder}/handler.ts`);
      const others = functions.map((fn) => fn.folder as string).filter((f) => f !== folder);
      expect(inputs.filter((input) => others.some((other) => input.startsWith(`functions/${other}/`)))).toEqual([]);
    },
  );
});
