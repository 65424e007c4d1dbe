import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { BaseDeps } from '../../shared/base-deps.js';
import { ToolkitError } from '../../shared/errors.js';
import { buildSummaryReport } from './build-report.js';
import type { PostSummaryConfig } from './config.js';
import { type DeliveryDeps, type DeliveryResult, deliverSummary } from './deliver.js';
import { badNews, verdictOf } from './format.js';
import { emitSummaryMetrics } from './metrics.js';
import { resolveWindow } from './window.js';

/** Every channel failed: the invocation fails so Lambda retries it and the OnFailure queue keeps it. */
export class SummaryDeliveryError extends ToolkitError {
  constructor(readonly results: readonly DeliveryResult[]) {
    super(
      `summary delivery failed on every channel: ${results.map((r) => `${r.channel} (${r.error ?? 'failed'})`).join('; ')}`,
    );
    this.name = 'SummaryDeliveryError';
  }
}

/** What one invocation needs: the base deps, the ledger's client (when the toolkit's activity is reported), the secret reader and the settings. */
export interface RunDeps extends BaseDeps, DeliveryDeps {
  readonly documentClient?: DynamoDBDocumentClient;
  /** Organization scope: the client that lists the organization's ACTIVE accounts. */
  readonly organizationsClient?: () => OrganizationsClient;
  readonly config: PostSummaryConfig;
}

/** The small result a direct invocation returns. */
export interface RunResult {
  readonly window: { readonly since: string; readonly until: string };
  readonly verdict: 'all-green' | 'attention' | 'incomplete';
  readonly complete: boolean;
  readonly missing: readonly string[];
  readonly counts: {
    readonly backupJobs: number;
    readonly failedJobs: number;
    readonly silentMisses: number;
    readonly uncopied: number;
    readonly silentAccounts: number;
  };
  readonly deliveries: readonly Pick<DeliveryResult, 'channel' | 'ok' | 'error' | 'dryRun'>[];
}

/**
 * One summary: decides the window from the event, collects and aggregates, emits metrics, delivers
 * to every channel. Throws a ValidationError for a bad window and a {@link SummaryDeliveryError}
 * when no channel got the summary; a partial delivery succeeds (a retry would resend the rest twice).
 */
export const runSummary = async (deps: RunDeps, event: unknown): Promise<RunResult> => {
  const { config } = deps;
  const window = resolveWindow(event, deps.now(), config.summaryWindowHours);
  deps.logger.info('summary window', {
    since: window.since.toISOString(),
    until: window.until.toISOString(),
    source: window.source,
    regions: config.regions,
    scope: config.summaryScope,
  });
  const report = await buildSummaryReport(
    {
      backupClientFor: deps.backupClientFor,
      ledger:
        config.ledgerTableName !== undefined && deps.documentClient !== undefined
          ? { documentClient: deps.documentClient, tableName: config.ledgerTableName }
          : undefined,
      now: deps.now,
      logger: deps.logger,
      signal: deps.signal,
      ...(deps.organizationsClient ? { organizationsClient: deps.organizationsClient } : {}),
    },
    {
      since: window.since,
      until: window.until,
      regions: config.regions,
      scope: config.summaryScope,
      accountId: deps.identity.accountId,
      maxListed: config.maxListed,
      regionConcurrency: config.regionConcurrency,
    },
  );
  emitSummaryMetrics(deps.metrics, report);
  const news = badNews(report);
  const deliveries = await deliverSummary(deps, config, report);
  if (deliveries.length > 0 && deliveries.every((d) => !d.ok)) throw new SummaryDeliveryError(deliveries);
  return {
    window: { since: report.window.since, until: report.window.until },
    verdict: verdictOf(report),
    complete: report.complete,
    missing: report.missing.map((m) => `${m.what} in ${m.region}`),
    counts: {
      backupJobs: report.backup.total,
      failedJobs: news.failedJobs,
      silentMisses: news.silentMisses,
      uncopied: news.uncopied,
      silentAccounts: news.silentAccounts,
    },
    deliveries: deliveries.map(({ channel, ok, error, dryRun }) => ({ channel, ok, error, dryRun })),
  };
};
