import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTemplate } from '../../scripts/sam-esbuild.mjs';
import { parseToml, type TomlTable, type TomlValue } from '../support/toml.js';

const root = join(import.meta.dirname, '..', '..');
const config = parseToml(readFileSync(join(root, 'samconfig.toml'), 'utf8'));
const template = parseTemplate(readFileSync(join(root, 'template.yaml'), 'utf8')) as {
  Parameters: Record<string, { Default?: unknown; AllowedValues?: unknown[]; AllowedPattern?: string }>;
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
};

/**
 * SAM CLI's `--parameter-overrides` text (sam deploy --help: "in the format
 * ParameterKey=KeyPairName,ParameterValue=MyKey ParameterKey=InstanceType,ParameterValue=t1.micro",
 * or the short form KeyPairName=MyKey InstanceType=t1.micro that `sam deploy --guided` writes, each
 * value optionally in double quotes). The long form is refused here: this file uses the short one.
 */
const parseOverrides = (text: string): Map<string, string> => {
  const overrides = new Map<string, string>();
  let consumed = 0;
  for (const match of text.matchAll(/\s*([^=\s]+)=("((?:[^"\\]|\\.)*)"|[^\s"]*)/gy)) {
    const [all, key = '', raw = '', quoted] = match;
    if (key === 'ParameterKey') throw new Error(`parameter_overrides: use Key=Value, not ParameterKey= (${text})`);
    if (overrides.has(key)) throw new Error(`parameter_overrides: ${key} is set twice`);
    overrides.set(key, quoted === undefined ? raw : quoted.replace(/\\(.)/g, '$1'));
    consumed += all.length;
  }
  if (text.slice(consumed).trim() !== '') throw new Error(`parameter_overrides: cannot read ${text.slice(consumed)}`);
  return overrides;
};

type Parameters = typeof template.Parameters;

/** What is wrong with one environment's `deploy` overrides against a template's Parameters. */
const overrideProblems = (environment: string, deploy: TomlTable, parameters: Parameters): string[] => {
  const text = deploy.parameter_overrides;
  if (text === undefined) return [];
  if (typeof text !== 'string') return [`${environment}: parameter_overrides must be a string`];
  return [...parseOverrides(text)].flatMap(([name, value]) => {
    const parameter = parameters[name];
    if (parameter === undefined) return [`${environment}: parameter_overrides names ${name}, not a template Parameter`];
    const allowed = parameter.AllowedValues?.map(String);
    if (allowed !== undefined && !allowed.includes(value)) {
      return [`${environment}: ${name}=${value} is not one of ${allowed.join(', ')}`];
    }
    if (parameter.AllowedPattern !== undefined && !new RegExp(parameter.AllowedPattern).test(value)) {
      return [`${environment}: ${name}=${value} does not match its AllowedPattern`];
    }
    if (String(parameter.Default ?? '') === value) return [`${environment}: ${name}=${value} repeats its default`];
    return [];
  });
};

const environments = Object.entries(config).filter((entry): entry is [string, TomlTable] => {
  const [, value] = entry;
  return typeof value === 'object' && !Array.isArray(value);
});
const section = (environment: TomlTable, command: string): TomlTable =>
  ((environment[command] as TomlTable | undefined)?.parameters as TomlTable | undefined) ?? {};
const setting = (environment: TomlTable, command: string, key: string): TomlValue | TomlTable | undefined =>
  section(environment, command)[key] ?? section(environment, 'global')[key];

describe('samconfig.toml', () => {
  it('is version 0.1 of the format, with the default environment and the organization one', () => {
    expect(config.version).toBe(0.1);
    expect(environments.map(([name]) => name)).toEqual(['default', 'organization']);
  });

  it.each(environments)(
    '%s: names a stack whose function names fit, and deploys with CAPABILITY_IAM only',
    (_, env) => {
      const stackName = setting(env, 'deploy', 'stack_name');
      expect(stackName).toBeTypeOf('string');
      // Function names are <stack>-retry-failed-job (17 characters more); Lambda allows 64.
      expect((stackName as string).length).toBeLessThanOrEqual(47);
      // The template's roles have no names (CAPABILITY_NAMED_IAM would be needed for a RoleName).
      const named = Object.entries(template.Resources).filter(
        ([, r]) => r.Type === 'AWS::IAM::Role' && r.Properties?.RoleName !== undefined,
      );
      expect(named).toEqual([]);
      expect(setting(env, 'deploy', 'capabilities')).toBe('CAPABILITY_IAM');
      expect(setting(env, 'deploy', 'confirm_changeset')).toBe(true);
      expect(setting(env, 'deploy', 'resolve_s3')).toBe(true);
    },
  );

  it.each(environments)('%s: overrides only template Parameters, with values they accept', (name, env) => {
    expect(overrideProblems(name, section(env, 'deploy'), template.Parameters)).toEqual([]);
  });

  it('the organization environment sets the summary to the whole organization, and nothing else', () => {
    const organization = config.organization as TomlTable;
    expect([...parseOverrides(section(organization, 'deploy').parameter_overrides as string)]).toEqual([
      ['PostSummaryScope', 'organization'],
    ]);
  });
});

describe('the override check itself', () => {
  it.each([
    {
      case: 'a name the template lacks',
      overrides: 'PostSummaryScop="organization"',
      problem: 'names PostSummaryScop',
    },
    { case: 'a value outside AllowedValues', overrides: 'PostSummaryScope=org', problem: 'is not one of account' },
    { case: 'a value outside AllowedPattern', overrides: 'PostSummaryRegions="us east 1"', problem: 'AllowedPattern' },
    { case: 'a default repeated', overrides: 'LogLevel=INFO', problem: 'repeats its default' },
  ])('reports $case', ({ overrides, problem }) => {
    const problems = overrideProblems('broken', { parameter_overrides: overrides }, template.Parameters);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(problem);
  });

  it('refuses text it cannot read, and a Parameter set twice', () => {
    expect(() => parseOverrides('A=1 junk')).toThrow('parameter_overrides: cannot read  junk');
    expect(() => parseOverrides('A=1 A=2')).toThrow('parameter_overrides: A is set twice');
  });

  it('reads quoted values with spaces and escaped quotes', () => {
    expect([...parseOverrides('A="x y" B=plain C="say \\"hi\\""')]).toEqual([
      ['A', 'x y'],
      ['B', 'plain'],
      ['C', 'say "hi"'],
    ]);
  });
});
