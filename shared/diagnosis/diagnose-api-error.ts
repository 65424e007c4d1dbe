import type { Diagnosis, DiagnosisCategory } from './types.js';

interface ApiErrorRow {
  readonly names: readonly string[];
  readonly category: DiagnosisCategory;
  readonly retryable: boolean;
  readonly cause: string;
  readonly remedy: string;
}

/**
 * AWS API errors by name (the SDK exception's `name`, or BackupApiError's `errorName`). Throttling,
 * LimitExceeded and 5xx are worth retrying later; access, parameter, not-found and request errors
 * are not: retrying them would only repeat the failure. AccessDenied and Throttling are generic
 * errors, not modeled per operation (aws-facts.md).
 */
const API_ERRORS: readonly ApiErrorRow[] = [
  {
    names: [
      'ThrottlingException',
      'Throttling',
      'ThrottledException',
      'TooManyRequestsException',
      'RequestLimitExceeded',
    ],
    category: 'throttling',
    retryable: true,
    cause: 'AWS throttled the call after the SDK retried it.',
    remedy: 'Nothing to fix: it is retried later. If it recurs, spread the schedules that start at the same minute.',
  },
  {
    names: ['LimitExceededException'],
    category: 'limit-exceeded',
    retryable: true,
    cause: 'An AWS Backup limit was reached (for example, concurrent jobs).',
    remedy: 'It is retried later; if it recurs, check AWS Backup quotas in the Service Quotas console.',
  },
  {
    names: ['ServiceUnavailableException', 'InternalFailure', 'InternalServerError', 'DependencyFailureException'],
    category: 'service-unavailable',
    retryable: true,
    cause: 'AWS Backup was unavailable or failed internally.',
    remedy: 'Nothing to fix: it is retried later. Check the AWS Health Dashboard if it persists.',
  },
  {
    names: ['AccessDeniedException', 'AccessDenied', 'UnauthorizedOperation', 'UnrecognizedClientException'],
    category: 'access-denied',
    retryable: false,
    cause: "This toolkit's role is not allowed to make the call (IAM policy, SCP, vault or key policy).",
    remedy:
      "Grant the function's role the action on the resource named in the error (template.yaml policies), and check SCPs and the vault access policy.",
  },
  {
    names: ['InvalidParameterValueException', 'MissingParameterValueException', 'ValidationException'],
    category: 'invalid-parameter',
    retryable: false,
    cause: 'AWS Backup rejected a parameter of the request.',
    remedy: 'Fix the setting named in the error message (copy rule, retry defaults, lifecycle) and redeploy.',
  },
  {
    names: ['ResourceNotFoundException'],
    category: 'resource-not-found',
    retryable: false,
    cause: 'The job, recovery point, vault or plan named in the call does not exist.',
    remedy:
      'Check the ARN or name in the error; the resource may have been deleted or be in another Region or account.',
  },
  {
    names: ['InvalidRequestException', 'InvalidResourceStateException'],
    category: 'invalid-request',
    retryable: false,
    cause:
      'AWS Backup refused the request in the current state (for example, copying a cold-tier or continuous recovery point).',
    remedy: 'Read the error message; change the rule so it no longer asks for this operation.',
  },
  {
    names: ['ConflictException', 'AlreadyExistsException'],
    category: 'conflict',
    retryable: false,
    cause: 'The request conflicts with one already made.',
    remedy: 'Usually nothing to do: the earlier request stands.',
  },
];

/**
 * Diagnoses an error thrown by an AWS call: an SDK exception or a BackupApiError (duck-typed:
 * `errorName`, `statusCode`). Unknown 5xx and 429 are retryable; other unknown errors are `unknown`
 * and not retryable, so a surprise never loops.
 */
export const diagnoseApiError = (error: unknown): Diagnosis => {
  const e = (error ?? {}) as {
    name?: unknown;
    errorName?: unknown;
    statusCode?: unknown;
    message?: unknown;
    $metadata?: { httpStatusCode?: unknown };
  };
  const name = typeof e.errorName === 'string' ? e.errorName : typeof e.name === 'string' ? e.name : '';
  const status =
    typeof e.statusCode === 'number'
      ? e.statusCode
      : typeof e.$metadata?.httpStatusCode === 'number'
        ? e.$metadata.httpStatusCode
        : undefined;
  const message = typeof e.message === 'string' ? e.message.slice(0, 4096) : undefined;
  const row =
    API_ERRORS.find((r) => r.names.includes(name)) ??
    (status !== undefined && (status >= 500 || status === 429)
      ? API_ERRORS.find((r) => r.category === 'service-unavailable')
      : undefined);
  if (!row) {
    return {
      category: 'unknown',
      retryable: false,
      cause: `AWS answered with an error this toolkit does not recognise (${name || 'no error name'}).`,
      remedy: 'Read the error message; fix the cause and retry by hand.',
      ...(message ? { statusMessage: message } : {}),
    };
  }
  return {
    category: row.category,
    retryable: row.retryable,
    cause: row.cause,
    remedy: row.remedy,
    ...(message ? { statusMessage: message } : {}),
  };
};
