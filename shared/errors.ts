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
export function describeValue(value: unknown, max = 120): string {
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
}

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

/** Most characters of a string an event error quotes. */
const MAX_EVENT_VALUE = 120;

/**
 * Renders a value an event carried, for {@link EventParseError}: a string quoted (JSON-escaped, so a
 * lone surrogate or a newline shows as its escape and never breaks a log line), cut at
 * {@link MAX_EVENT_VALUE} characters without splitting a surrogate pair; a number or boolean with its
 * type (`number 5`); an object or array by its shape only (`an array of 3 items`), since it may be
 * the event itself, whose body is never logged. Cost is bounded whatever the value's size.
 *
 * @example describeEventValue(5) // 'number 5'
 */
export function describeEventValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length} item${value.length === 1 ? '' : 's'}`;
  switch (typeof value) {
    case 'string': {
      if (value.length <= MAX_EVENT_VALUE) return JSON.stringify(value);
      const high = value.charCodeAt(MAX_EVENT_VALUE - 1);
      const cut = high >= 0xd800 && high <= 0xdbff ? MAX_EVENT_VALUE - 1 : MAX_EVENT_VALUE;
      return `${JSON.stringify(value.slice(0, cut))}… (${value.length} characters)`;
    }
    case 'number':
    case 'boolean':
      return `${typeof value} ${String(value)}`;
    case 'object':
      return 'an object';
    default:
      return `a ${typeof value}`;
  }
}

/**
 * An event (or a direct invocation's payload) that is not what a handler can act on. The message
 * is `event <field> <reason> (got <value>)`: the field a dotted path (`detail.backupJobId`), the
 * reason what was expected (`is required`, `must be a string`), the value as
 * {@link describeEventValue} renders it, left out for a member that is absent.
 *
 * @example new EventParseError('detail.backupJobId', 5, 'must be a string') // event detail.backupJobId must be a string (got number 5)
 */
export class EventParseError extends ToolkitError {
  /**
   * The value found (undefined when the member is absent). Not enumerable: it may be the whole event
   * (`field` `(event)`) or its detail, and a logger that copies an error's own keys (Powertools'
   * formatError walks them with for...in) would then write the event body to the log.
   */
  declare readonly value: unknown;

  constructor(
    readonly field: string,
    value: unknown,
    readonly reason: string,
  ) {
    super(`event ${field} ${reason}${value === undefined ? '' : ` (got ${describeEventValue(value)})`}`);
    Object.defineProperty(this, 'value', { value, enumerable: false });
    this.name = 'EventParseError';
  }
}
