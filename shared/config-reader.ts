import { ConfigError, describeValue } from './errors.js';

/** The environment a config loader reads: `process.env` in Lambda, a plain literal in tests. */
export type Env = Readonly<Record<string, string | undefined>>;

interface IntOptions {
  min?: number;
  max?: number;
}

/**
 * Reads settings from an environment and collects every problem before failing, so a bad deploy
 * reports all of its mistakes in one cold start instead of one per redeploy.
 *
 * @example
 * const r = new EnvReader(env);
 * const attempts = r.int('RETRY_MAX_ATTEMPTS', 3, { min: 1, max: 10 });
 * r.finish(); // throws ConfigError listing every problem
 */
export class EnvReader {
  readonly problems: string[] = [];

  constructor(private readonly env: Env) {}

  private raw(key: string): string | undefined {
    const value = this.env[key]?.trim();
    return value === '' ? undefined : value;
  }

  /** Records a problem found outside the reader (for example, in a JSON setting's content). */
  problem(message: string): void {
    this.problems.push(message);
  }

  /** A required string: missing or blank is a problem, never a silent default. */
  required(key: string): string {
    const value = this.raw(key);
    if (value === undefined) this.problems.push(`${key} is required`);
    return value ?? '';
  }

  /** An optional string: `undefined` when unset or blank. */
  optional(key: string): string | undefined {
    return this.raw(key);
  }

  /** A string with a documented default. */
  string(key: string, fallback: string): string {
    return this.raw(key) ?? fallback;
  }

  /** One of a fixed set of values. */
  oneOf<const T extends string>(key: string, allowed: readonly T[], fallback: T): T {
    const value = this.raw(key) ?? fallback;
    if (!(allowed as readonly string[]).includes(value)) {
      this.problems.push(`${key} must be one of ${allowed.join(', ')} (got ${describeValue(value)})`);
      return fallback;
    }
    return value as T;
  }

  /** An integer with a default and an inclusive range. */
  int(
    key: string,
    fallback: number,
    { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER }: IntOptions = {},
  ): number {
    const text = this.raw(key);
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(value) || value < min || value > max) {
      this.problems.push(`${key} must be an integer from ${min} to ${max} (got ${describeValue(text)})`);
      return fallback;
    }
    return value;
  }

  /** A boolean: `true`/`false`/`1`/`0`/`yes`/`no`, case-insensitive. */
  bool(key: string, fallback: boolean): boolean {
    const text = this.raw(key)?.toLowerCase();
    if (text === undefined) return fallback;
    if (['true', '1', 'yes'].includes(text)) return true;
    if (['false', '0', 'no'].includes(text)) return false;
    this.problems.push(`${key} must be true or false (got ${describeValue(this.raw(key))})`);
    return fallback;
  }

  /** A comma-separated list; blanks dropped. Each item may be checked by `allowed`. */
  list<const T extends string = string>(key: string, fallback: readonly T[], allowed?: readonly T[]): T[] {
    const text = this.raw(key);
    if (text === undefined) return [...fallback];
    const items = text
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    if (allowed) {
      const bad = items.filter((i) => !(allowed as readonly string[]).includes(i));
      if (bad.length > 0) {
        this.problems.push(`${key} may only contain ${allowed.join(', ')} (got ${describeValue(bad.join(','))})`);
        return [...fallback];
      }
    }
    return items as T[];
  }

  /** A JSON setting, parsed; a syntax error is a problem naming the key. */
  json(key: string): unknown {
    const text = this.raw(key);
    if (text === undefined) return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      this.problems.push(`${key} is not valid JSON: ${(error as Error).message}`);
      return undefined;
    }
  }

  /** An ARN of the given service (and optional resource prefix), when set. */
  arn(key: string, service: string, resourcePrefix?: string, requiredValue = false): string | undefined {
    const value = requiredValue ? this.required(key) || undefined : this.raw(key);
    if (value === undefined) return undefined;
    const parts = value.split(':');
    if (
      parts.length < 6 ||
      parts[0] !== 'arn' ||
      parts[2] !== service ||
      (resourcePrefix && !parts[5]?.startsWith(resourcePrefix))
    ) {
      this.problems.push(`${key} must be an ${service} ARN (got ${describeValue(value)})`);
      return undefined;
    }
    return value;
  }

  /** Throws a {@link ConfigError} listing every problem collected so far. */
  finish(): void {
    if (this.problems.length > 0) throw new ConfigError(this.problems);
  }
}
