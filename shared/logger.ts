import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The one structured JSON logger. Service name comes from POWERTOOLS_SERVICE_NAME (set per function
 * by template.yaml); level from the function's LoggingConfig (AWS_LAMBDA_LOG_LEVEL wins over
 * POWERTOOLS_LOG_LEVEL). Log a constant phrase with data in the extra object:
 * `logger.info('retry scheduled', { jobId, attempt })`.
 */
export const logger = new Logger({ serviceName: 'backup-autopilot' });

/** The narrow logger type logic modules depend on, so tests pass a spy instead of a Logger. */
export type LogSink = Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;
