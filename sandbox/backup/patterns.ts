/**
 * AWS service models write `pattern` constraints in Java's regex dialect (the front end that checks them
 * is Java). JavaScript reads most of it as is; this module rewrites what it cannot and compiles each
 * pattern once.
 *
 * Smithy's `@pattern` trait (https://smithy.io/2.0/spec/constraint-traits.html#pattern-trait) says a pattern
 * is NOT implicitly anchored: a value satisfies it when the expression matches anywhere in the value, so
 * patterns are tested with `RegExp.test`, never wrapped in `^...$`.
 */

// Java's POSIX classes (java.util.regex.Pattern, "POSIX character classes (US-ASCII only)") that JS has no name for.
const POSIX: Readonly<Record<string, string>> = {
  Lower: 'a-z',
  Upper: 'A-Z',
  ASCII: '\\x00-\\x7F',
  Alpha: 'a-zA-Z',
  Digit: '0-9',
  Alnum: 'a-zA-Z0-9',
  Punct: '!-\\/:-@\\[-`{-~',
  Graph: '!-~',
  Print: ' -~',
  Blank: ' \\t',
  Cntrl: '\\x00-\\x1F\\x7F',
  XDigit: '0-9a-fA-F',
  Space: ' \\t\\n\\x0B\\f\\r',
};

// Escapes that keep a meaning in JS's `u` mode (anything else escaped is an identity escape, which `u` refuses).
const MEANINGFUL_ESCAPE = /[dDwWsSbBnrtfv0-9xucpPk^$\\.*+?()[\]{}|/]/;

/** A pattern in JavaScript syntax and the flags it needs. */
export interface TranslatedPattern {
  readonly source: string;
  readonly flags: string;
}

/**
 * Rewrites a Java regex for JavaScript: possessive quantifiers (`a*+`) and atomic groups (`(?>...)`) become
 * their greedy forms (the same set of matches for the anchored, bounded patterns AWS models use), `\A` and
 * `\z`/`\Z` become `^`/`$`, Java's POSIX `\p{Alpha}` classes become ranges, and a pattern with a Unicode
 * property (`\p{L}`) gets the `u` flag with identity escapes such as `\_` (legal in Java, an error in `u`
 * mode) unescaped.
 */
export const translateJavaPattern = (java: string): TranslatedPattern => {
  let out = '';
  let inClass = false;
  let unicode = false;
  // Whether the previous token was a quantifier (so a `+` after it is Java's possessive marker).
  let afterQuantifier = false;
  // Whether the previous token was an unescaped `(` (so a `?` is a group marker, not a quantifier).
  let groupOpened = false;
  for (let i = 0; i < java.length; i += 1) {
    const char = java[i] as string;
    const opened = groupOpened;
    groupOpened = false;
    if (char === '\\') {
      const next = java[i + 1] ?? '';
      if ((next === 'p' || next === 'P') && java[i + 2] === '{') {
        const end = java.indexOf('}', i + 3);
        const name = end > 0 ? java.slice(i + 3, end) : '';
        const posixName = name.startsWith('Is') && POSIX[name.slice(2)] ? name.slice(2) : name;
        const posix = POSIX[posixName];
        if (posix && end > 0) {
          out += next === 'p' ? (inClass ? posix : `[${posix}]`) : inClass ? '' : `[^${posix}]`;
        } else {
          unicode = true;
          out += `\\${next}{${name.startsWith('Is') ? name.slice(2) : name}}`;
        }
        i = end > 0 ? end : java.length;
        afterQuantifier = false;
        continue;
      }
      if (!inClass && next === 'A') out += '^';
      else if (!inClass && (next === 'z' || next === 'Z')) out += '$';
      else out += `\\${next}`;
      i += 1;
      afterQuantifier = false;
      continue;
    }
    if (inClass) {
      if (char === ']') inClass = false;
      out += char;
      continue;
    }
    if (char === '[') {
      inClass = true;
      out += char;
      if (java[i + 1] === '^') {
        out += '^';
        i += 1;
      }
      // A `]` right after `[` or `[^` is a literal in Java.
      if (java[i + 1] === ']') {
        out += '\\]';
        i += 1;
      }
      afterQuantifier = false;
      continue;
    }
    if (char === '(' && java.startsWith('(?>', i)) {
      out += '(?:';
      i += 2;
      afterQuantifier = false;
      continue;
    }
    // A `+` right after a quantifier makes it possessive, a `?` makes it lazy (neither is quantifiable again).
    if (afterQuantifier && char === '+') {
      afterQuantifier = false;
      continue;
    }
    out += char;
    if (afterQuantifier && char === '?') {
      afterQuantifier = false;
      continue;
    }
    groupOpened = char === '(';
    afterQuantifier = char === '*' || char === '+' || char === '}' || (char === '?' && !opened);
  }
  return { source: unicode ? dropIdentityEscapes(out) : out, flags: unicode ? 'u' : '' };
};

/** `u` mode refuses `\_`, `\-` outside a class and the like; they mean the bare character. */
const dropIdentityEscapes = (source: string): string => {
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i += 1) {
    const char = source[i] as string;
    if (char === '\\') {
      const next = source[i + 1] ?? '';
      out += MEANINGFUL_ESCAPE.test(next) || (inClass && next === '-') ? `\\${next}` : next;
      i += 1;
      continue;
    }
    if (char === '[') inClass = true;
    else if (char === ']') inClass = false;
    out += char;
  }
  return out;
};

const compiled = new Map<string, RegExp | null>();

/**
 * The compiled form of a model pattern, compiled once. A pattern JavaScript still cannot compile is logged
 * once and yields undefined (the constraint is skipped): a model update must never crash the stand-in.
 */
export const compilePattern = (java: string): RegExp | undefined => {
  const cached = compiled.get(java);
  if (cached !== undefined) return cached ?? undefined;
  let regex: RegExp | null = null;
  try {
    const { source, flags } = translateJavaPattern(java);
    regex = new RegExp(source, flags);
  } catch (error) {
    console.warn(`sandbox: model pattern ${JSON.stringify(java)} does not compile in JavaScript, not enforced`, error);
  }
  compiled.set(java, regex);
  return regex ?? undefined;
};
