// Side bundle of retry-failed-job (shared/side-bundle.ts): cron-parser and luxon, loaded on the first
// cron(...) schedule evaluated. Listed in the function's EntryPoints in template.yaml.
export { cronInstants } from '../../shared/schedule/cron-engine.js';
