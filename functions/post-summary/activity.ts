import { type DynamoDBDocumentClient, paginateQuery } from '@aws-sdk/lib-dynamodb';
import type { BackupJob } from '../../shared/backup/index.js';
import { isProblemState } from '../../shared/events/types.js';
import { LEDGER } from '../../shared/ledger/activity.js';
import { DAY_MS } from '../../shared/time.js';
import type { ToolkitActivity } from './report.js';

/** Every UTC day (`YYYY-MM-DD`) that overlaps [since, until). */
export function utcDays(since: Date, until: Date): string[] {
  const days: string[] = [];
  for (let t = Math.floor(since.getTime() / DAY_MS) * DAY_MS; t < until.getTime(); t += DAY_MS) {
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days;
}

/** Where the ledger is. */
export interface LedgerSource {
  readonly documentClient: DynamoDBDocumentClient;
  readonly tableName: string;
}

/**
 * What this toolkit did in the window, from the ledger's `byDay` index (one Query per UTC day, the
 * sort key bounded to the window). Each ledger item is one logical action whose attributes record its
 * last change, so each counts once, under its status at the end of the window:
 * - retries: `scheduled`, `exhausted`, `alerted` by status; `started` = records with at least one job
 *   started; `succeeded` / `failed` = records whose latest started job is listed in the window as
 *   COMPLETED / as FAILED, EXPIRED, ABORTED or PARTIAL (feed the window's backup jobs through
 *   `observeBackupJob` after `load`).
 * - copies: `started` (AWS returned a copy job id) and `failed-to-start` by status; a `claimed` copy
 *   (its Start not answered yet, or its holder died) counts as neither.
 * Memory grows with the toolkit's own actions, not with jobs.
 */
export class ActivityCollector {
  readonly #retries = { scheduled: 0, started: 0, succeeded: 0, failed: 0, exhausted: 0, alerted: 0 };
  readonly #copies = { started: 0, failedToStart: 0 };
  /** Latest job each retry record started: its outcome is read from the backup job listing. */
  readonly #latestStarted = new Set<string>();

  async load(source: LedgerSource, since: Date, until: Date, signal?: AbortSignal): Promise<void> {
    // BETWEEN is inclusive; the window's end is not.
    const last = new Date(until.getTime() - 1).toISOString();
    for (const activityDay of utcDays(since, until)) {
      const pages = paginateQuery(
        { client: source.documentClient },
        {
          TableName: source.tableName,
          IndexName: LEDGER.dayIndex,
          KeyConditionExpression: '#day = :day AND #at BETWEEN :since AND :last',
          ExpressionAttributeNames: {
            '#day': LEDGER.dayIndexPartitionKey,
            '#at': LEDGER.dayIndexSortKey,
            '#kind': 'kind',
            '#status': 'status',
            '#jobs': 'startedJobIds',
            '#copyJob': 'copyJobId',
          },
          ExpressionAttributeValues: { ':day': activityDay, ':since': since.toISOString(), ':last': last },
          ProjectionExpression: '#kind, #status, #jobs, #copyJob',
        },
        { abortSignal: signal },
      );
      for await (const page of pages) for (const item of page.Items ?? []) this.#count(item);
    }
  }

  #count(item: Record<string, unknown>): void {
    if (item.kind === 'copy') {
      // A copy counts as started only once AWS returned its copy job id: a claim whose holder died
      // before StartCopyJob (status `claimed`, no id) is not a copy, whatever its status says.
      if (item.status === 'started' && typeof item.copyJobId === 'string') this.#copies.started += 1;
      else if (item.status === 'failed-to-start') this.#copies.failedToStart += 1;
      return;
    }
    if (item.kind !== 'retry') return;
    const retries = this.#retries;
    if (item.status === 'scheduled') retries.scheduled += 1;
    else if (item.status === 'exhausted') retries.exhausted += 1;
    else if (item.status === 'alerted') retries.alerted += 1;
    const jobs = Array.isArray(item.startedJobIds) ? item.startedJobIds : [];
    const latest = jobs.at(-1);
    if (typeof latest === 'string') {
      retries.started += 1;
      this.#latestStarted.add(latest);
    }
  }

  /** Matches a listed backup job against the jobs the toolkit started. */
  observeBackupJob(job: BackupJob): void {
    if (!job.BackupJobId || !this.#latestStarted.has(job.BackupJobId)) return;
    if (job.State === 'COMPLETED') this.#retries.succeeded += 1;
    else if (isProblemState(job.State)) this.#retries.failed += 1;
  }

  result(): ToolkitActivity {
    return { retries: { ...this.#retries }, copies: { ...this.#copies } };
  }
}
