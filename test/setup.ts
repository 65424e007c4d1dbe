import { allCustomMatcher } from 'aws-sdk-client-mock-vitest';
import { expect, vi } from 'vitest';

// Modules read these at import time (clients, logger): set them before any test file imports one.
process.env.AWS_REGION = 'us-east-1';
process.env.AWS_ACCESS_KEY_ID = 'test';
process.env.AWS_SECRET_ACCESS_KEY = 'test';
// The logger and metrics (shared/logger.ts, shared/metrics.ts) write to stdout: quiet in tests,
// which assert on what logic modules pass them (test/support/base-deps.ts), not on stdout.
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';

expect.extend(allCustomMatcher);

// Silence what modules print through console; tests that assert on logs spy on the logger itself.
vi.spyOn(console, 'info').mockImplementation(() => undefined);
vi.spyOn(console, 'log').mockImplementation(() => undefined);
vi.spyOn(console, 'warn').mockImplementation(() => undefined);
vi.spyOn(console, 'error').mockImplementation(() => undefined);
vi.spyOn(console, 'debug').mockImplementation(() => undefined);
