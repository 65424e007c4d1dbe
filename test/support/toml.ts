// A reader for the part of TOML v1.0.0 (https://toml.io/en/v1.0.0) that SAM CLI configuration files
// use: comments, `[dotted.table]` headers, and `key = value` with basic or literal strings, booleans,
// decimal numbers and one-line arrays of those. No TOML parser is among the repository's
// dependencies; anything outside this subset is refused with its line number rather than misread.

/** A value of the subset: string, boolean, number, or an array of those. */
export type TomlValue = string | boolean | number | TomlValue[];
/** A table: keys to values or to nested tables. */
export interface TomlTable {
  [key: string]: TomlValue | TomlTable;
}

/** A line the reader refuses, with its number. */
export class TomlError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'TomlError';
  }
}

const BARE_KEY = /^[A-Za-z0-9_-]+$/;
const ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', b: '\b', t: '\t', n: '\n', f: '\f', r: '\r' };

const isTable = (value: TomlValue | TomlTable | undefined): value is TomlTable =>
  typeof value === 'object' && !Array.isArray(value);

/** Reads values one after another from a line, from `at`. */
class Cursor {
  at = 0;
  constructor(
    readonly text: string,
    readonly line: number,
  ) {}

  fail(message: string): never {
    throw new TomlError(this.line, message);
  }

  skipSpace(): void {
    while (this.text[this.at] === ' ' || this.text[this.at] === '\t') this.at += 1;
  }

  /** The rest must be blank or a comment. */
  end(): void {
    this.skipSpace();
    if (this.at < this.text.length && this.text[this.at] !== '#') {
      this.fail(`unexpected ${JSON.stringify(this.text.slice(this.at))}`);
    }
  }

  basicString(): string {
    let out = '';
    this.at += 1;
    while (this.at < this.text.length) {
      const char = this.text[this.at] as string;
      if (char === '"') {
        this.at += 1;
        return out;
      }
      if (char === '\\') {
        const next = this.text[this.at + 1] ?? '';
        if (next === 'u' || next === 'U') {
          const width = next === 'u' ? 4 : 8;
          const hex = this.text.slice(this.at + 2, this.at + 2 + width);
          if (!/^[0-9A-Fa-f]+$/.test(hex) || hex.length !== width) this.fail(`bad \\${next} escape`);
          out += String.fromCodePoint(Number.parseInt(hex, 16));
          this.at += 2 + width;
          continue;
        }
        const escaped = ESCAPES[next];
        if (escaped === undefined) this.fail(`unknown escape \\${next}`);
        out += escaped;
        this.at += 2;
        continue;
      }
      out += char;
      this.at += 1;
    }
    return this.fail('unterminated string');
  }

  literalString(): string {
    const close = this.text.indexOf("'", this.at + 1);
    if (close < 0) this.fail('unterminated literal string');
    const out = this.text.slice(this.at + 1, close);
    this.at = close + 1;
    return out;
  }

  value(): TomlValue {
    this.skipSpace();
    const char = this.text[this.at];
    if (char === '"') {
      if (this.text.startsWith('"""', this.at)) this.fail('multi-line strings are not supported');
      return this.basicString();
    }
    if (char === "'") {
      if (this.text.startsWith("'''", this.at)) this.fail('multi-line strings are not supported');
      return this.literalString();
    }
    if (char === '[') return this.array();
    const token = /^[^\s,\]#]+/.exec(this.text.slice(this.at))?.[0] ?? '';
    this.at += token.length;
    if (token === 'true') return true;
    if (token === 'false') return false;
    if (/^[+-]?(0|[1-9](_?\d)*)(\.\d(_?\d)*)?([eE][+-]?\d+)?$/.test(token)) return Number(token.replaceAll('_', ''));
    return this.fail(`unsupported value ${JSON.stringify(token || this.text.slice(this.at))}`);
  }

  array(): TomlValue[] {
    const items: TomlValue[] = [];
    this.at += 1;
    for (;;) {
      this.skipSpace();
      if (this.text[this.at] === ']') {
        this.at += 1;
        return items;
      }
      if (this.at >= this.text.length || this.text[this.at] === '#') this.fail('arrays must close on their line');
      items.push(this.value());
      this.skipSpace();
      if (this.text[this.at] === ',') this.at += 1;
      else if (this.text[this.at] !== ']') this.fail('expected , or ] in an array');
    }
  }
}

const dottedKey = (text: string, line: number): string[] => {
  const parts = text.split('.').map((part) => part.trim());
  for (const part of parts) {
    if (!BARE_KEY.test(part)) throw new TomlError(line, `unsupported key ${JSON.stringify(text)} (bare keys only)`);
  }
  return parts;
};

/** The table at `path` under `root`, created when absent; a value in the way is an error. */
const tableAt = (root: TomlTable, path: readonly string[], line: number): TomlTable => {
  let table = root;
  for (const part of path) {
    const next = table[part];
    if (next === undefined) table[part] = {};
    else if (!isTable(next)) throw new TomlError(line, `${path.join('.')} is a value, not a table`);
    table = table[part] as TomlTable;
  }
  return table;
};

/**
 * Parses `text` into nested tables.
 *
 * @throws TomlError naming the line, for syntax outside the subset or a key defined twice
 */
export const parseToml = (text: string): TomlTable => {
  const root: TomlTable = {};
  const declared = new Set<string>();
  let current = root;
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    if (trimmed.startsWith('[[')) throw new TomlError(line, 'arrays of tables are not supported');
    if (trimmed.startsWith('[')) {
      const close = trimmed.indexOf(']');
      if (close < 0) throw new TomlError(line, 'unterminated table header');
      const path = dottedKey(trimmed.slice(1, close), line);
      const name = path.join('.');
      if (declared.has(name)) throw new TomlError(line, `table [${name}] is declared twice`);
      declared.add(name);
      current = tableAt(root, path, line);
      new Cursor(trimmed.slice(close + 1), line).end();
      return;
    }
    const equals = raw.indexOf('=');
    if (equals < 0) throw new TomlError(line, 'expected key = value');
    const path = dottedKey(raw.slice(0, equals), line);
    const key = path.at(-1) as string;
    const table = tableAt(current, path.slice(0, -1), line);
    if (key in table) throw new TomlError(line, `key ${path.join('.')} is defined twice`);
    const cursor = new Cursor(raw, line);
    cursor.at = equals + 1;
    table[key] = cursor.value();
    cursor.end();
  });
  return root;
};
