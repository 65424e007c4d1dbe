/** Why a job failed, and what to do: a table-driven diagnosis of job failures and API errors. */
export * from './diagnose-api-error.js';
export * from './diagnose-job.js';
export * from './normalize.js';
export * from './table.js';
export * from './types.js';
