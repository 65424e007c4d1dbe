import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { BaseDeps } from '../../shared/base-deps.js';
import { ToolkitError } from '../../shared/errors.js';
import { ledgerCall } from '../../shared/ledger/exactly-once.js';
import { DEFAULT_LEDGER_TTL_DAYS } from '../../shared/ledger/policy.js';
import { buildSummaryReport } from './build-report.js';
import type { PostSummaryConfig } from './config.js';
import { type DeliveryDeps, type DeliveryResult, deliverSummary } from './deliver.js';
import { type ChannelOnce, channelOnce } from './deliver-once.js';
import { badNews, verdictOf } from './format.js';
import { emitSummaryMetrics } from './metrics.js';
import { resolveWindow, type SummaryWindow } from './window.js';

/**
 * Every channel failed, or (with take-once) some channel did: the invocation fails so Lambda
 * retries it and the OnFailure queue keeps it. With take-once the retry sends only the channels
 * that have not got the summary; without it, a retry re-sends every channel, so a partial delivery
 * succeeds instead.
 */
export class SummaryDeliveryError extends ToolkitError {
  constructor(readonly results: readonly DeliveryResult[]) {
    const failed = results.filter((r) => !r.ok);
    const delivered = results.filter((r) => r.ok).map((r) => r.channel);
    super(
      `summary delivery failed on ${delivered.length === 0 ? 'every channel' : 'some channels'}: ${failed.map((r) => `${r.channel} (${r.error ?? 'failed'})`).join('; ')}${delivered.length === 0 ? '' : ` (delivered, not sent again: ${delivered.join(', ')})`}`,
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
  /** The invocation's `awsRequestId`: what a window that ends now is taken once under. */
  readonly requestId?: string;
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
  readonly deliveries: readonly Pick<
    DeliveryResult,
    'channel' | 'ok' | 'error' | 'dryRun' | 'alreadyDelivered' | 'unconfirmed'
  >[];
}

/**
 * The take-once of this summary's channels (deliver-once.ts), or none:
 * - DRY_RUN sends nothing, so it takes nothing: a dry run never marks a channel delivered.
 * - Without LEDGER_TABLE_NAME (the ledger is optional for the summary, config.ts; the template
 *   always sets it) there is nowhere to record a delivery: every attempt sends every channel, as
 *   before take-once, and only a failure of every channel fails the invocation.
 * - A window that ends now (`{}`, `windowHours`, `since` alone) is another window on every
 *   attempt: its channels are taken under the invocation's request id, which Lambda's retries of
 *   it keep (deliver-once.ts). A new invocation is a new summary, as a person who invokes twice asks.
 */
function takeOnceOf(deps: RunDeps, window: SummaryWindow): ChannelOnce | undefined {
  const { config } = deps;
  if (config.dryRun) return undefined;
  if (config.ledgerTableName === undefined || deps.documentClient === undefined) return undefined;
  if (!window.fixed && deps.requestId === undefined) return undefined;
  return channelOnce(
    deps.documentClient,
    // The copy function's retention too: LEDGER_TTL_DAYS is the retry function's setting alone.
    { tableName: config.ledgerTableName, ttlDays: DEFAULT_LEDGER_TTL_DAYS },
    {
      identity: deps.identity,
      since: window.since,
      until: window.until,
      ...(window.fixed ? {} : { requestId: deps.requestId }),
    },
    () => ledgerCall(deps),
  );
}

/**
 * One summary: decides the window from the event, collects and aggregates, emits metrics, delivers
 * to every channel, each at most once per window (take-once, {@link takeOnceOf}). Throws a
 * ValidationError for a bad window and a {@link SummaryDeliveryError} when a channel did not get the
 * summary and a retry can deliver it without re-sending the others: with take-once, any failed
 * channel; without it, only when every channel failed (a retry would send the rest twice).
 */
export async function runSummary(deps: RunDeps, event: unknown): Promise<RunResult> {
  const { config } = deps;
  const window = resolveWindow(event, deps.now(), config.summaryWindowHours);
  const once = takeOnceOf(deps, window);
  deps.logger.info('summary window', {
    since: window.since.toISOString(),
    until: window.until.toISOString(),
    source: window.source,
    regions: config.regions,
    scope: config.summaryScope,
    takeOnce: once !== undefined,
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
  const deliveries = await deliverSummary({ ...deps, once }, config, report);
  const failed = deliveries.filter((d) => !d.ok);
  if (failed.length > 0 && (once !== undefined || failed.length === deliveries.length)) {
    throw new SummaryDeliveryError(deliveries);
  }
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
    deliveries: deliveries.map(({ channel, ok, error, dryRun, alreadyDelivered, unconfirmed }) => ({
      channel,
      ok,
      error,
      dryRun,
      alreadyDelivered,
      unconfirmed,
    })),
  };
}
