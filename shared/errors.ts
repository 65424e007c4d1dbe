/**
 * Error hierarchy of backup-autopilot.
 *
 * Every error sets `name` as a string literal: esbuild minifies class names, and CloudWatch
 * Insights queries and Lambda's `errorType` read `name`.
 */

/** Base class of every error this toolkit raises on purpose. */
export class ToolkitError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ToolkitError';
  }
}

/** Renders a value for an error message: short, quoted, never a whole payload. */
export const describeValue = (value: unknown, max = 120): string => {
  let text: string;
  if (value === undefined) text = 'undefined';
  else if (typeof value === 'string') text = JSON.stringify(value);
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : text;
};

/**
 * An input that fails validation before any AWS call is made: names the field and the value.
 *
 * @example new ValidationError('maxResults', 5000, 'must be between 1 and 1000')
 */
export class ValidationError extends ToolkitError {
  constructor(
    readonly field: string,
    readonly value: unknown,
    readonly reason: string,
  ) {
    super(`${field} ${reason} (got ${describeValue(value)})`);
    this.name = 'ValidationError';
  }
}

/** Configuration that cannot be used: lists every problem at once so one deploy fixes them all. */
export class ConfigError extends ToolkitError {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

/** An event that is not what a handler can act on: names the field (a dotted path) and the value. */
export class EventParseError extends ToolkitError {
  constructor(
    readonly field: string,
    readonly value: unknown,
    readonly reason: string,
  ) {
    super(`event ${field} ${reason} (got ${describeValue(value)})`);
    this.name = 'EventParseError';
  }
}
