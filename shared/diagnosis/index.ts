/** Why a job failed, and what to do: a table-driven diagnosis of job failures and API errors. */
export type { DiagnosedKind, Diagnosis, DiagnosisCategory } from './categories.js';
export { DIAGNOSIS_CATEGORIES } from './categories.js';
export { API_ERROR_TABLE, type ApiErrorRow, diagnoseApiError } from './diagnose-api-error.js';
export { diagnoseJob, type JobFailure, pickRow } from './diagnose-job.js';
export { MAX_KEPT_CHARS, MAX_MESSAGE_CHARS, normalizeStatusMessage, readableStatusMessage } from './normalize.js';
export { DIAGNOSIS_TABLE, type DiagnosisRow, STATE_ROWS, UNKNOWN_ROW } from './table.js';
