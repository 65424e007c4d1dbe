/** Typed, validated, paginated access to the AWS Backup API. */
export * from './arn.js';
export * from './client.js';
export * from './completed-with-issues.js';
export * from './describe.js';
export * from './errors.js';
export * from './filters.js';
export * from './idempotency-token.js';
export * from './job-origin.js';
export * from './jobs.js';
export * from './plans.js';
export * from './scan-jobs.js';
export * from './start.js';
export * from './summaries.js';
export type * from './types.js';
