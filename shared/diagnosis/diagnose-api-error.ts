import type { Diagnosis, DiagnosisCategory } from './categories.js';
import { readableStatusMessage } from './normalize.js';

/** One row of {@link API_ERROR_TABLE}. */
export interface ApiErrorRow {
  /** Error names: the SDK exception's `name` (or `code` for Node network errors), BackupApiError's `errorName`. */
  readonly names: readonly string[];
  readonly category: DiagnosisCategory;
  readonly retryable: boolean;
  readonly cause: string;
  readonly remedy: string;
}

/**
 * AWS API errors by name: the ONE table of which API errors are worth a later retry. BackupApiError
 * (shared/backup/errors.ts) takes its `retryable` from here through {@link diagnoseApiError}, so the
 * retry decision and the diagnosis a person reads cannot disagree. Throttling, LimitExceeded, 5xx,
 * dependency failures, timeouts and dropped connections can succeed later; access, parameter, not-found, request and conflict errors only repeat. Names are
 * AWS Backup's modeled exceptions (API_Types / client-backup `models/errors`) plus the generic ones
 * every AWS API can return (AccessDenied and Throttling are not modeled per operation; aws-facts.md).
 */
export const API_ERROR_TABLE: readonly ApiErrorRow[] = [
  {
    names: [
      'ThrottlingException',
      'Throttling',
      'ThrottledException',
      'TooManyRequestsException',
      'TooManyRequests',
      'RequestLimitExceeded',
      'RequestThrottled',
      'RequestThrottledException',
      'SlowDown',
    ],
    category: 'throttling',
    retryable: true,
    cause: 'AWS throttled the call, after the SDK had already retried it.',
    remedy:
      'Nothing to fix: it is retried later. If it recurs, spread the schedules and rules that start at the same minute.',
  },
  {
    names: ['LimitExceededException'],
    category: 'limit-exceeded',
    retryable: true,
    cause: 'An AWS Backup limit was reached (for example, concurrent jobs in the account).',
    remedy:
      'It is retried later. If it recurs, compare the limit with Service Quotas console > AWS Backup and request an increase.',
  },
  {
    names: [
      'ServiceUnavailableException',
      'ServiceUnavailable',
      'InternalFailure',
      'InternalServerError',
      'InternalServerException',
      'InternalError',
      'DependencyFailureException',
    ],
    category: 'service-unavailable',
    retryable: true,
    cause: 'AWS Backup, or a service it depends on, was unavailable or failed internally.',
    remedy: 'Nothing to fix: it is retried later. If it persists, check the AWS Health Dashboard for the Region.',
  },
  {
    // Node's network error codes are those the SDK itself retries as transient (@smithy/core's
    // retry: NODEJS_TIMEOUT_ERROR_CODES and NODEJS_NETWORK_ERROR_CODES): once its own attempts are
    // spent, the call never reached AWS, so AWS refused nothing. Read as "unknown", a copy that met
    // a refused connection or a DNS failure was settled as refused and never made.
    names: [
      'TimeoutError',
      'RequestTimeout',
      'RequestTimeoutException',
      'ECONNRESET',
      'ECONNREFUSED',
      'ETIMEDOUT',
      'EPIPE',
      'EHOSTUNREACH',
      'ENETUNREACH',
      'ENOTFOUND',
      'EAI_AGAIN',
      'AbortError',
    ],
    category: 'timeout',
    retryable: true,
    cause:
      'The call timed out, lost or could not open its connection (or resolve the endpoint), or was abandoned because the function was about to time out.',
    remedy:
      "Nothing to fix for one occurrence: it is retried later. If it recurs, raise the function's Timeout in template.yaml.",
  },
  {
    names: ['AccessDeniedException', 'AccessDenied', 'UnauthorizedOperation', 'UnrecognizedClientException'],
    category: 'access-denied',
    retryable: false,
    cause: "This toolkit's role is not allowed to make the call (IAM policy, SCP, vault access policy or key policy).",
    remedy:
      "Grant the function's role the action on the resource named in the error (its policy in template.yaml); check SCPs, the vault access policy and the KMS key policy; redeploy.",
  },
  {
    names: [
      'InvalidParameterValueException',
      'MissingParameterValueException',
      'InvalidParameterException',
      'ValidationException',
    ],
    category: 'invalid-parameter',
    retryable: false,
    cause: 'AWS rejected a parameter of the request, or one was missing.',
    remedy:
      'Fix the setting behind the parameter named in the error (copy rule, lifecycle, retry settings, vault or role ARN) and redeploy.',
  },
  {
    names: ['ResourceNotFoundException', 'NotFoundException'],
    category: 'resource-not-found',
    retryable: false,
    cause: 'The job, recovery point, vault or plan named in the call does not exist.',
    remedy:
      'Check the ARN or name in the error; the resource may have been deleted, or live in another Region or account.',
  },
  {
    names: ['InvalidRequestException'],
    category: 'invalid-request',
    retryable: false,
    cause:
      'AWS Backup refused the request as asked (for example, copying a cold-tier or continuous recovery point, or an unsupported copy route).',
    remedy: 'Read the error message; change the copy rule or plan so it no longer asks for this operation.',
  },
  {
    names: ['ConflictException', 'AlreadyExistsException', 'InvalidResourceStateException'],
    category: 'conflict',
    retryable: false,
    cause: 'The request conflicts with one already made, or with an action still running on the same recovery point.',
    remedy:
      'Usually nothing to do: the earlier request stands. AWS Backup says "try again later" for a running action: check AWS Backup console > Jobs before starting it again by hand.',
  },
];

const BY_NAME = new Map(API_ERROR_TABLE.flatMap((row) => row.names.map((name) => [name, row] as const)));

function rowOf(category: DiagnosisCategory): ApiErrorRow {
  const row = API_ERROR_TABLE.find((r) => r.category === category);
  if (!row) throw new Error(`no API error row for ${category}`);
  return row;
}
const THROTTLING = rowOf('throttling');
const UNAVAILABLE = rowOf('service-unavailable');

interface ErrorFacts {
  readonly name: string;
  readonly status?: number;
  /** The SDK's `$retryable` (`{ throttling? }`) or BackupApiError's `retryable`. */
  readonly retryable?: boolean;
  readonly throttling: boolean;
  readonly server: boolean;
  readonly message?: string;
}

type Loose = {
  name?: unknown;
  code?: unknown;
  errorName?: unknown;
  statusCode?: unknown;
  retryable?: unknown;
  message?: unknown;
  cause?: unknown;
  $fault?: unknown;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: unknown };
};

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v ? v : undefined;
}

/**
 * Node's generic error classes, whose `code` says what happened: `Error` for one failed
 * connection, `AggregateError` when a host resolves to several addresses and every attempt fails
 * (net's autoSelectFamily, on by default since Node 20: `AggregateError [ECONNREFUSED]`).
 */
const GENERIC_NAMES = new Set(['Error', 'AggregateError']);

/**
 * The name an AWS call's error is known by: the SDK exception's `name`, else a Node network error's
 * `code` (`ECONNREFUSED`), else its name; '' when it has none. {@link API_ERROR_TABLE} is keyed by it.
 */
export function apiErrorName(error: unknown): string {
  if (error === null || (typeof error !== 'object' && typeof error !== 'function')) return '';
  const e = error as Loose;
  const name = str(e.name);
  return name && !GENERIC_NAMES.has(name) ? name : (str(e.code) ?? name ?? '');
}

function factsOf(error: unknown): ErrorFacts {
  if (error === null || (typeof error !== 'object' && typeof error !== 'function')) {
    return { name: '', throttling: false, server: false, ...(str(error) ? { message: str(error) } : {}) };
  }
  const e = error as Loose;
  // BackupApiError (shared/backup/errors.ts), duck-typed: { errorName, statusCode, retryable, cause }.
  if (typeof e.errorName === 'string') {
    const inner = factsOf(e.cause);
    const status = typeof e.statusCode === 'number' ? e.statusCode : inner.status;
    return {
      ...inner,
      name: e.errorName,
      ...(status !== undefined ? { status } : {}),
      ...(typeof e.retryable === 'boolean' ? { retryable: e.retryable } : {}),
      ...(inner.message || str(e.message) ? { message: inner.message ?? str(e.message) } : {}),
    };
  }
  const name = apiErrorName(e);
  const status = typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined;
  const $retryable = e.$retryable as { throttling?: unknown } | undefined;
  return {
    name,
    ...(status !== undefined ? { status } : {}),
    ...($retryable !== undefined ? { retryable: true } : {}),
    throttling: $retryable?.throttling === true,
    server: e.$fault === 'server',
    ...(str(e.message) ? { message: str(e.message) } : {}),
  };
}

/**
 * Diagnoses an error thrown by an AWS call: an SDK exception (by `name`, `$metadata.httpStatusCode`,
 * `$retryable`, `$fault`), a Node network error (`code`), or a BackupApiError (duck-typed:
 * `errorName`, `statusCode`, `retryable`, `cause`). Unknown names with 429, 5xx, a server fault or
 * an SDK retry mark are retryable; any other unknown error is `unknown` and not retryable, so a
 * surprise never loops. Never throws.
 *
 * @example diagnoseApiError(new ThrottlingException({ message: 'Rate exceeded', $metadata: {} }))
 *   // { category: 'throttling', retryable: true, cause: '…', remedy: '…', statusMessage: 'Rate exceeded' }
 */
export function diagnoseApiError(error: unknown): Diagnosis {
  const facts = factsOf(error);
  const row =
    BY_NAME.get(facts.name) ??
    (facts.throttling || facts.status === 429
      ? THROTTLING
      : (facts.status !== undefined && facts.status >= 500) || facts.server || facts.retryable === true
        ? UNAVAILABLE
        : undefined);
  const statusMessage = readableStatusMessage(facts.message);
  if (!row) {
    return {
      category: 'unknown',
      retryable: false,
      cause: `AWS answered with an error this toolkit does not recognise (${facts.name || 'no error name'}).`,
      remedy: 'Read the error message; fix the cause, then retry by hand.',
      ...(statusMessage ? { statusMessage } : {}),
    };
  }
  return {
    category: row.category,
    retryable: row.retryable,
    cause: row.cause,
    remedy: row.remedy,
    ...(statusMessage ? { statusMessage } : {}),
  };
}
