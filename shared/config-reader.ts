import * as v from 'valibot';
import { ConfigError } from './errors.js';
import { describeIssue, inInputOrder } from './validate/problems.js';
import { MAX_SETTING_LENGTH, type Setting } from './validate/settings.js';

/** The environment a config loader reads: `process.env` in Lambda, a plain literal in tests. */
export type Env = Readonly<Record<string, string | undefined>>;

/** A function's settings: each environment variable's name and the schema of its value. */
export type SettingSchemas = Readonly<Record<string, Setting<unknown>>>;

/** The values {@link EnvReader.read} returns for a set of {@link SettingSchemas}. */
export type SettingValues<S extends SettingSchemas> = { -readonly [K in keyof S]: v.InferOutput<S[K]> };

/**
 * Reads settings through their valibot schemas (shared/validate/settings.ts) and collects every
 * problem before failing, so a bad deploy reports all of its mistakes in one cold start instead of
 * one per redeploy.
 *
 * @example
 * const r = new EnvReader(env);
 * const { RETRY_MAX_ATTEMPTS } = r.read({ RETRY_MAX_ATTEMPTS: integer(3, 0, 10) });
 * r.finish(); // throws ConfigError listing every problem
 */
export class EnvReader {
  readonly problems: string[] = [];
  private readonly failedKeys = new Set<string>();

  constructor(private readonly env: Env) {}

  /** A setting's text, trimmed; `undefined` when unset or blank. */
  text(key: string): string | undefined {
    const value = this.env[key]?.trim();
    return value === '' ? undefined : value;
  }

  /**
   * Parses each setting with its schema. A setting with a problem holds `undefined` (check
   * {@link failed} before relying on it): {@link finish} throws before such a value can be used.
   */
  read<const S extends SettingSchemas>(schemas: S): SettingValues<S> {
    const values: Record<string, unknown> = {};
    for (const [key, schema] of Object.entries(schemas)) {
      const text = this.text(key);
      if (text !== undefined && text.length > MAX_SETTING_LENGTH) {
        this.fail(key, `${key} must be at most ${MAX_SETTING_LENGTH} characters (got ${text.length})`);
        continue;
      }
      const result = v.safeParse(schema, text);
      if (result.success) {
        values[key] = result.output;
        continue;
      }
      for (const issue of inInputOrder(result.issues)) {
        // A problem with the setting itself quotes what was typed; one inside JSON quotes the JSON value.
        const shown = issue.path === undefined ? { value: text } : undefined;
        this.fail(key, describeIssue(key, issue, shown));
      }
    }
    return values as SettingValues<S>;
  }

  /** True when `key` was read and had a problem. */
  failed(key: string): boolean {
    return this.failedKeys.has(key);
  }

  /** Records a problem found across settings (for example, one that needs another). */
  problem(message: string): void {
    this.problems.push(message);
  }

  private fail(key: string, message: string): void {
    this.failedKeys.add(key);
    this.problems.push(message);
  }

  /** Throws a {@link ConfigError} listing every problem collected so far. */
  finish(): void {
    if (this.problems.length > 0) throw new ConfigError(this.problems);
  }
}
