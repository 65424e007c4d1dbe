import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { summarySettings } from '../../functions/post-summary/config.js';
import { RETRY_SETTINGS } from '../../functions/retry-failed-job/config.js';
import { COPY_SETTINGS } from '../../functions/start-copy-job/config.js';
import { parseTemplate } from '../../scripts/sam-esbuild.mjs';

const root = resolve(import.meta.dirname, '../..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const template = parseTemplate(readFileSync(join(root, 'template.yaml'), 'utf8')) as {
  Parameters: Record<string, { Default?: unknown; Description?: string }>;
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
};

/** Rows of a Parameter table (the README's, docs/deploy.md's): name -> default as written. */
const parameterRows = (text: string): Map<string, string> => {
  const rows = new Map<string, string>();
  for (const match of text.matchAll(/^\| `([A-Za-z0-9]+)` \| (.+?) \| .+ \|$/gm)) {
    rows.set(match[1] as string, match[2] as string);
  }
  return rows;
};

/** Each template Parameter with its default as the tables write it. */
const templateRows = (): [string, string][] =>
  Object.entries(template.Parameters).map(([name, p]) => [
    name,
    p.Default === '' || p.Default === undefined ? '(empty)' : `\`${String(p.Default)}\``,
  ]);

describe('README: the front door stays in step with the code', () => {
  it('lists every template Parameter with its default, and no other', () => {
    expect([...parameterRows(readme).entries()]).toEqual(templateRows());
  });

  it('starts with the two commands', () => {
    const commands = [...readme.matchAll(/```sh\n(.+)\n```/g)].map((m) => m[1]);
    expect(commands.slice(0, 2)).toEqual(['npm ci && npm start', 'npm test']);
  });
});

/** What docs/deploy.md's table gets wrong against template.yaml (empty when they agree). */
const deployTableProblems = (rows: Map<string, string>, expected: [string, string][]): string[] => {
  const problems: string[] = [];
  const declared = new Map(expected);
  for (const [name, shown] of declared) {
    if (!rows.has(name)) problems.push(`${name} is missing`);
    else if (rows.get(name) !== shown)
      problems.push(`${name}: the table says ${rows.get(name)}, the template ${shown}`);
  }
  for (const name of rows.keys()) {
    if (!declared.has(name)) problems.push(`${name} is not a template Parameter`);
  }
  return problems;
};

describe('docs/deploy.md: the deploy guide stays in step with the template', () => {
  // The table of its last section, "## Parameters" (other tables of the guide name alarms and kinds).
  const text = readFileSync(join(root, 'docs', 'deploy.md'), 'utf8');
  const guide = text.slice(text.indexOf('\n## Parameters\n'));

  it('lists every template Parameter with its default, and no other', () => {
    expect(deployTableProblems(parameterRows(guide), templateRows())).toEqual([]);
  });

  it('the check reports a missing row, a wrong default and a row the template lacks', () => {
    const rows = parameterRows(guide);
    rows.delete('LogLevel');
    rows.set('DryRun', '`true`');
    rows.set('RetryMaxAttempt', '`3`');
    expect(deployTableProblems(rows, templateRows())).toEqual([
      'LogLevel is missing',
      'DryRun: the table says `true`, the template `false`',
      'RetryMaxAttempt is not a template Parameter',
    ]);
  });

  it('ends with the Parameter table', () => {
    expect(text.indexOf('\n## Parameters\n')).toBeGreaterThan(0);
    expect(text.slice(text.indexOf('\n## Parameters\n') + 1)).not.toMatch(/\n## /);
  });

  it('is linked from the README', () => {
    expect(readme).toContain('](docs/deploy.md)');
  });

  it("explains every alarm of the template, and no other, in 'Alarms: what each means'", () => {
    const section = text.slice(text.indexOf('\n## Alarms'), text.indexOf('\n## ', text.indexOf('\n## Alarms') + 1));
    const documented = [...section.matchAll(/^\| `([A-Za-z]+Alarm)` \|/gm)].map((m) => m[1]);
    const alarms = Object.entries(template.Resources)
      .filter(([, r]) => r.Type === 'AWS::CloudWatch::Alarm')
      .map(([id]) => id);
    expect(documented.sort()).toEqual(alarms.sort());
  });

  it("counts the alarms on the functions' own metrics as the template has them (an hour each)", () => {
    const own = Object.values(template.Resources).filter(
      (r) => r.Type === 'AWS::CloudWatch::Alarm' && r.Properties?.Namespace === 'BackupAutopilot',
    );
    expect(own.every((r) => r.Properties?.Period === 3600)).toBe(true);
    const words = ['none', 'one', 'two', 'three', 'four', 'five'];
    expect(text).toContain(`an hour for the ${words[own.length]} counted by the functions' own metrics`);
    for (const r of own) expect(text).toContain(`\`${String(r.Properties?.MetricName)}\``);
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

/** `<file>, "<Section>"` pointers in the docs and the template, each with the headings of its file. */
describe('pointers to a section name a section that exists', () => {
  const sources = [
    'README.md',
    'template.yaml',
    ...readdirSync(join(root, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .map((f) => `docs/${f}`),
  ];
  const headings = (file: string): string[] =>
    [...readFileSync(join(root, file), 'utf8').matchAll(/^#{1,6} (.+)$/gm)].map((m) => (m[1] as string).trim());
  const pointers = sources.flatMap((source) =>
    [...readFileSync(join(root, source), 'utf8').matchAll(/\b(README|docs\/[a-z-]+\.md), "([^"]+)"/g)].map((m) => ({
      source,
      file: m[1] === 'README' ? 'README.md' : (m[1] as string),
      section: m[2] as string,
    })),
  );

  it('finds the pointers it checks', () => {
    expect(pointers.length).toBeGreaterThanOrEqual(4);
  });

  it.each(pointers.map((p) => [`${p.source} -> ${p.file}, "${p.section}"`, p] as const))('%s', (_, pointer) => {
    expect(headings(pointer.file)).toContain(pointer.section);
  });
});

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens; repeats get -1, -2. */
const anchorsOf = (file: string): Set<string> => {
  const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const match of text.matchAll(/^#{1,6} (.+)$/gm)) {
    const heading = (match[1] as string).replace(/`/g, '').replace(/\[([^\]]*)\]\([^)]*\)/g, '$1');
    const slug = heading
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    anchors.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return anchors;
};

/** Links with an anchor (`file.md#section`, `#section`) whose anchor is no heading of the file. */
const brokenAnchors = (file: string): string[] =>
  [...readFileSync(file, 'utf8').matchAll(/\]\(([^)#\s]*)#([^)\s]+)\)/g)]
    .filter((m) => !/^[a-z]+:/.test(m[1] as string))
    .map((m) => ({
      link: `${m[1]}#${m[2]}`,
      target: m[1] ? resolve(dirname(file), m[1] as string) : file,
      anchor: m[2],
    }))
    .filter(({ target }) => target.endsWith('.md') && existsSync(target))
    .filter(({ target, anchor }) => !anchorsOf(target).has(anchor as string))
    .map(({ link }) => link);

describe('docs: every link to a section names a heading that exists', () => {
  it('finds the anchors it checks', () => {
    const links = markdownFiles().flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/\]\([^)\s]*#[^)\s]+\)/g)]);
    expect(links.length).toBeGreaterThanOrEqual(10);
  });

  it('slugs headings as GitHub does', () => {
    expect([...anchorsOf(join(root, 'docs', 'deploy.md'))]).toEqual(
      expect.arrayContaining([
        'every-account-and-region-cloudformation-stacksets',
        'alarms-what-each-means-and-what-to-do',
      ]),
    );
  });

  it.each(markdownFiles().map((f) => [f.slice(root.length + 1), f]))('%s', (_name, file) => {
    expect(brokenAnchors(file)).toEqual([]);
  });
});

/**
 * The default a guide's settings table gives each setting, against the code's: every setting with a
 * default a table can show (a number, a boolean, a word, a non-empty list) has a row
 * `| \`NAME\` ... | \`default\` |`. Returns the settings checked and what is wrong.
 */
const settingDefaultProblems = (
  text: string,
  settings: Record<string, v.GenericSchema<string | undefined, unknown>>,
): { checked: string[]; problems: string[] } => {
  const checked: string[] = [];
  const problems: string[] = [];
  for (const [name, schema] of Object.entries(settings)) {
    const value = v.safeParse(schema, undefined);
    if (!value.success) continue; // required: the template sets it
    const fallback = value.output;
    const shown = Array.isArray(fallback)
      ? fallback.length > 0
        ? fallback.join(',')
        : undefined
      : ['number', 'boolean', 'string'].includes(typeof fallback)
        ? String(fallback)
        : undefined;
    if (shown === undefined) continue;
    checked.push(name);
    const row = new RegExp(`^\\| \`${name}\`[^|]*\\| ([^|]+) \\|`, 'm').exec(text);
    if (!row) problems.push(`${name} (default ${shown}) has no row`);
    else if ((row[1] as string).trim() !== `\`${shown}\``)
      problems.push(`${name}: the guide says ${(row[1] as string).trim()}, the code ${shown}`);
  }
  return { checked, problems };
};

describe('the guides give each setting the default the code has', () => {
  const guide = (name: string) => readFileSync(join(root, 'docs', name), 'utf8');

  it.each([
    ['retry.md', RETRY_SETTINGS, 12],
    ['copies.md', COPY_SETTINGS, 3],
    ['summary.md', summarySettings({}), 6],
  ] as const)('docs/%s', (name, settings, atLeast) => {
    const { checked, problems } = settingDefaultProblems(guide(name), settings as never);
    expect(problems).toEqual([]);
    expect(checked.length).toBeGreaterThanOrEqual(atLeast);
  });

  it('the check reports a wrong default and a missing row', () => {
    const text = guide('copies.md')
      .replace('| `COPY_SWEEP_LOOKBACK_HOURS` | `1` |', '| `COPY_SWEEP_LOOKBACK_HOURS` | `24` |')
      .replace(/^\| `COPY_SWEEP_OVERLAP_MINUTES` .*\n/m, '');
    expect(settingDefaultProblems(text, COPY_SETTINGS as never).problems).toEqual([
      'COPY_SWEEP_LOOKBACK_HOURS: the guide says `24`, the code 1',
      'COPY_SWEEP_OVERLAP_MINUTES (default 15) has no row',
    ]);
  });
});

/** Repository paths a guide names in code spans (`shared/ledger/policy.ts`), less placeholders. */
const namedPaths = (text: string): string[] =>
  [...text.matchAll(/`((?:\.\.\/)?(?:events|functions|shared|test|sandbox|scripts|bench|org|docs)\/[^`\s]+)`/g)]
    .map((m) => m[1] as string)
    .filter((p) => !/[<*]|\.\.\.|…/.test(p))
    .map((p) => p.replace(/[#:].*$/, ''));

describe('docs: every file, folder and npm script a guide names exists', () => {
  const scripts = Object.keys(
    (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts,
  );

  it('finds the paths it checks', () => {
    expect(markdownFiles().flatMap((f) => namedPaths(readFileSync(f, 'utf8'))).length).toBeGreaterThanOrEqual(50);
  });

  it.each(markdownFiles().map((f) => [f.slice(root.length + 1), f]))('%s', (_name, file) => {
    const text = readFileSync(file, 'utf8');
    const missing = namedPaths(text).filter(
      (p) => !existsSync(resolve(root, p)) && !existsSync(resolve(dirname(file), p)),
    );
    const unknownScripts = [...text.matchAll(/\bnpm run ([a-z][a-z:-]*)/g)]
      .map((m) => m[1] as string)
      .filter((s) => !scripts.includes(s));
    expect({ missing, unknownScripts }).toEqual({ missing: [], unknownScripts: [] });
  });
});
