import { describe, expect, it } from 'vitest';
import { parseToml, TomlError } from './toml.js';

describe('parseToml (the subset SAM CLI configuration files use)', () => {
  it('reads tables, strings, booleans, numbers, arrays and comments', () => {
    // Prepare
    const text = [
      '# a comment',
      'version = 0.1',
      '[default.deploy.parameters]',
      'stack_name = "app" # trailing comment',
      "s3_prefix = 'C:\\literal'",
      'parameter_overrides = "A=\\"x y\\" B=\\u0031"',
      'confirm_changeset = true',
      'tags = ["a", \'b\', 3]',
      '[prod.deploy.parameters]',
      'confirm_changeset = false',
    ].join('\n');
    // Act
    const parsed = parseToml(text);
    // Assess
    expect(parsed).toEqual({
      version: 0.1,
      default: {
        deploy: {
          parameters: {
            stack_name: 'app',
            s3_prefix: 'C:\\literal',
            parameter_overrides: 'A="x y" B=1',
            confirm_changeset: true,
            tags: ['a', 'b', 3],
          },
        },
      },
      prod: { deploy: { parameters: { confirm_changeset: false } } },
    });
  });

  it.each([
    { case: 'a key defined twice', text: 'a = 1\na = 2', message: 'line 2: key a is defined twice' },
    { case: 'a table declared twice', text: '[a]\n[a]', message: 'line 2: table [a] is declared twice' },
    { case: 'a bare word as value', text: 'a = yes', message: 'line 1: unsupported value "yes"' },
    { case: 'an unterminated string', text: 'a = "x', message: 'line 1: unterminated string' },
    { case: 'a multi-line string', text: 'a = """x', message: 'line 1: multi-line strings are not supported' },
    { case: 'an array of tables', text: '[[a]]', message: 'line 1: arrays of tables are not supported' },
    { case: 'a quoted key', text: '"a b" = 1', message: 'line 1: unsupported key "\\"a b\\" " (bare keys only)' },
    { case: 'text after a value', text: 'a = "x" y', message: 'line 1: unexpected "y"' },
    { case: 'a value where a table is', text: 'a = 1\n[a.b]', message: 'line 2: a.b is a value, not a table' },
  ])('refuses $case, naming the line', ({ text, message }) => {
    expect(() => parseToml(text)).toThrow(TomlError);
    expect(() => parseToml(text)).toThrow(message);
  });
});
