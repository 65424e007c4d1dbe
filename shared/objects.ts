/** A plain object (not null, not an array): what a JSON object parses to. */
export const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * Drops undefined fields, so a request (and a test's received-command matcher) or a parsed value
 * shows only what is set.
 */
export const compact = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, x]) => x !== undefined)) as T;
