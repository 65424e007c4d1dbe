import { BackupClient } from '@aws-sdk/client-backup';
import { SNSClient } from '@aws-sdk/client-sns';
import { ACCOUNT_DEPLOYMENT } from '../../shared/accounts/deployment.js';
import type { BaseDeps } from '../../shared/base-deps.js';
import { functionIdentity } from '../../shared/function-identity.js';
import type { LogSink } from '../../shared/logger.js';
import type { MetricSink } from '../../shared/metrics.js';

/** The account and Region every unit test's function runs in (the stand-ins' defaults too). */
export const TEST_ACCOUNT = '111122223333';
export const TEST_REGION = 'us-east-1';

/** A logger that says nothing. */
export const quietLogger: LogSink = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** A logger that records each message and its data as `[message, data]`. */
export const recordingLogger = (lines: unknown[]): LogSink =>
  ({
    debug: () => undefined,
    info: (message: string, data?: unknown) => void lines.push([message, data]),
    warn: (message: string, data?: unknown) => void lines.push([message, data]),
    error: (message: string, data?: unknown) => void lines.push([message, data]),
  }) as unknown as LogSink;

/** A metrics sink that drops everything, or records `name` (or `name=value` with `withValues`). */
export const metricsInto = (names?: string[], withValues = false): MetricSink =>
  ({
    addMetric: (name: string, _unit: unknown, value: number) =>
      void names?.push(withValues ? `${name}=${value}` : name),
  }) as unknown as MetricSink;

/**
 * The deps every function's logic takes, as a handler builds them, for a function named `name` in
 * the test account (or `account`: AWS's published events carry 1112233445566) and Region: real SDK clients (mocked by aws-sdk-client-mock in the test), a
 * fixed clock, a quiet logger and a metrics sink that drops everything, unless overridden.
 */
export const aBaseDeps = (name: string, overrides: Partial<BaseDeps> = {}, account = TEST_ACCOUNT): BaseDeps => {
  const clients = new Map<string, BackupClient>();
  return {
    // One client per (account, Region), as the handlers' are: a test can tell which account a call was for.
    backupClientFor: (region: string, forAccount?: string) => {
      const key = `${forAccount ?? ''}|${region}`;
      const client = clients.get(key) ?? new BackupClient({ region });
      clients.set(key, client);
      return client;
    },
    deployment: ACCOUNT_DEPLOYMENT,
    sns: new SNSClient({ region: TEST_REGION }),
    logger: quietLogger,
    metrics: metricsInto(),
    now: () => new Date('2026-11-24T03:00:00Z'),
    identity: functionIdentity({
      invokedFunctionArn: `arn:aws:lambda:${TEST_REGION}:${account}:function:${name}`,
    }),
    ...overrides,
  };
};
