/** Typed parsing of AWS Backup's EventBridge events into one normalized type per kind. */
export * from './dates.js';
export { parseEventShape } from './issues.js';
export * from './parse.js';
export { cleanStatusMessage, MAX_MESSAGE_LENGTH } from './schemas.js';
export * from './scope.js';
export * from './types.js';
