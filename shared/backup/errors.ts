import { ToolkitError } from '../errors.js';

/**
 * Error names worth another try later. The SDK already retried them (standard strategy) before we
 * see them; "retryable" here means "an async retry of the invocation may succeed", so the handler
 * rethrows these and lets Lambda's async retries and the OnFailure destination take over.
 * AccessDenied and Throttling are generic errors, not modeled per operation (aws-facts.md).
 */
const RETRYABLE_NAMES = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'LimitExceededException',
  'ServiceUnavailableException',
  'InternalFailure',
  'InternalServerError',
  'DependencyFailureException',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
  'ECONNRESET',
  'ETIMEDOUT',
]);

/** A failed AWS Backup API call, with what a caller needs to decide: retry later, or diagnose and stop. */
export class BackupApiError extends ToolkitError {
  constructor(
    /** The API operation, e.g. `StartBackupJob`. */
    readonly operation: string,
    /** The service's error code (`name` of the SDK exception), e.g. `AccessDeniedException`. */
    readonly errorName: string,
    /** Whether a later retry may succeed (throttling, limits, 5xx, timeouts). */
    readonly retryable: boolean,
    /** HTTP status when the service answered. */
    readonly statusCode: number | undefined,
    cause: unknown,
  ) {
    super(`${operation} failed: ${errorName}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'BackupApiError';
  }
}

/**
 * Wraps an SDK error (or anything thrown) into a {@link BackupApiError}; returns a BackupApiError or
 * a ToolkitError (validation) unchanged, and an abort (Lambda timeout approaching) as a retryable error.
 */
export const toBackupApiError = (operation: string, error: unknown): BackupApiError | ToolkitError => {
  if (error instanceof ToolkitError) return error;
  const e = (error ?? {}) as {
    name?: unknown;
    code?: unknown;
    $retryable?: unknown;
    $metadata?: { httpStatusCode?: unknown };
  };
  const errorName =
    typeof e.name === 'string' && e.name !== 'Error' ? e.name : typeof e.code === 'string' ? e.code : 'UnknownError';
  const statusCode = typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined;
  const retryable =
    RETRYABLE_NAMES.has(errorName) ||
    errorName === 'AbortError' ||
    e.$retryable !== undefined ||
    (statusCode !== undefined && (statusCode >= 500 || statusCode === 429));
  return new BackupApiError(operation, errorName, retryable, statusCode, error);
};
