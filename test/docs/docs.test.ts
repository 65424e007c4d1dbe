import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTemplate } from '../../scripts/sam-esbuild.mjs';

const root = resolve(import.meta.dirname, '../..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const template = parseTemplate(readFileSync(join(root, 'template.yaml'), 'utf8')) as {
  Parameters: Record<string, { Default?: unknown; Description?: string }>;
};

/** Rows of the README's Parameter table: name -> default as written. */
const parameterRows = (): Map<string, string> => {
  const rows = new Map<string, string>();
  for (const match of readme.matchAll(/^\| `([A-Za-z0-9]+)` \| (.+?) \| .+ \|$/gm)) {
    rows.set(match[1] as string, match[2] as string);
  }
  return rows;
};

describe('README: the front door stays in step with the code', () => {
  it('lists every template Parameter with its default, and no other', () => {
    const rows = parameterRows();
    const expected = Object.entries(template.Parameters).map(([name, p]) => [
      name,
      p.Default === '' || p.Default === undefined ? '(empty)' : `\`${String(p.Default)}\``,
    ]);
    expect([...rows.entries()]).toEqual(expected);
  });

  it('starts with the two commands', () => {
    const commands = [...readme.matchAll(/```sh\n(.+)\n```/g)].map((m) => m[1]);
    expect(commands.slice(0, 2)).toEqual(['npm ci && npm start', 'npm test']);
  });
});

const markdownFiles = (): string[] => [
  join(root, 'README.md'),
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => join(root, 'docs', f)),
];

describe('docs: every relative link resolves', () => {
  it.each(markdownFiles().map((f) => [f.slice(root.length + 1), f]))('%s', (_name, file) => {
    const text = readFileSync(file, 'utf8');
    const broken = [...text.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)]
      .map((m) => m[1] as string)
      .filter((target) => !/^[a-z]+:/.test(target))
      .filter((target) => !existsSync(resolve(dirname(file), target)));
    expect(broken).toEqual([]);
  });
});
