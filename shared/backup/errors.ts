import { apiErrorName, diagnoseApiError } from '../diagnosis/diagnose-api-error.js';
import { ToolkitError } from '../errors.js';

/** A failed AWS Backup API call, with what a caller needs to decide: retry later, or diagnose and stop. */
export class BackupApiError extends ToolkitError {
  constructor(
    /** The API operation, e.g. `StartBackupJob`. */
    readonly operation: string,
    /** The service's error code (`name` of the SDK exception), e.g. `AccessDeniedException`. */
    readonly errorName: string,
    /**
     * Whether a later retry may succeed (throttling, limits, 5xx, timeouts): from the one table of API
     * errors, `API_ERROR_TABLE` in shared/diagnosis, so the retry decision and the diagnosis a person
     * reads never disagree.
     */
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
export function toBackupApiError(operation: string, error: unknown): BackupApiError | ToolkitError {
  if (error instanceof ToolkitError) return error;
  const e = (error ?? {}) as { $metadata?: { httpStatusCode?: unknown } };
  const named = apiErrorName(error);
  const errorName = named === '' || named === 'Error' ? 'UnknownError' : named;
  const statusCode = typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined;
  // The SDK already retried these (standard strategy) before we see them: "retryable" means "an
  // async retry of the invocation may succeed", so callers rethrow and let Lambda retry.
  const retryable = diagnoseApiError(error).retryable;
  return new BackupApiError(operation, errorName, retryable, statusCode, error);
}
