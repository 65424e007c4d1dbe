import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const EVENTS_DIR = join(import.meta.dirname, '..', '..', 'events');

/**
 * One of AWS's published sample events (or a function's own input) from `events/`, parsed fresh on
 * every call so a test may edit its copy.
 */
export const sampleEvent = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(EVENTS_DIR, name), 'utf8')) as Record<string, unknown>;
