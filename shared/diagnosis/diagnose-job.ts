import type { VaultFacts } from '../backup/job-origin.js';
import type { DiagnosedKind, Diagnosis } from './categories.js';
import { normalizeStatusMessage, readableStatusMessage } from './normalize.js';
import { DIAGNOSIS_TABLE, type DiagnosisRow, STATE_ROWS, UNKNOWN_ROW } from './table.js';
import { withVaultContext } from './vault-context.js';

/** What diagnosis needs to know about a job (from an event, Describe*Job or a List call). */
export interface JobFailure {
  readonly kind: DiagnosedKind;
  /** The job's state (FAILED, EXPIRED, ABORTED, PARTIAL, COMPLETED ...), any case. */
  readonly state?: string;
  /** MessageCategory from Describe/List calls: events carry none (aws-facts.md). */
  readonly messageCategory?: string;
  readonly statusMessage?: string;
  /** AWS Backup's resource type (EC2, S3, RDS ...): rows limited to some types apply only to those. */
  readonly resourceType?: string;
  /**
   * The vault the job wrote (backup) or copied into (copy), from the job record (VaultType,
   * VaultLockState / DestinationVaultType, DestinationVaultLockState): a locked or logically
   * air-gapped vault explains retention and key failures (vault-context.ts). Absent = unknown.
   */
  readonly vault?: VaultFacts;
}

/**
 * MessageCategory values that name no failure reason: SUCCESS, and the ANY / AGGREGATE_ALL filter
 * values of ListBackupJobs and the summaries (API_ListBackupJobs, API_ListBackupJobSummaries).
 */
const NOT_A_REASON = new Set(['SUCCESS', 'ANY', 'AGGREGATEALL']);

/** `AccessDenied`, `ACCESS_DENIED` and `access-denied` compare equal: AWS writes both of the first two. */
function squash(category: string): string {
  return category.toUpperCase().replace(/[_\s-]/g, '');
}

function appliesTo(row: DiagnosisRow, job: JobFailure): boolean {
  return (
    (!row.kinds || row.kinds.includes(job.kind)) &&
    (!row.resourceTypes || !job.resourceType || row.resourceTypes.includes(job.resourceType))
  );
}

function matches(row: DiagnosisRow, text: string): boolean {
  return !!row.patterns?.some((p) => p.test(text));
}

/**
 * The row of `table` that explains `job`, or `undefined` when none does (then the state decides).
 * MessageCategory first: among the rows of that category the first whose pattern matches the
 * normalised message, else the category's last (generic) row; otherwise the first row, in table
 * order, whose pattern matches. First match wins, so a table lists its rows specific to general.
 * Exported so tests can show what a reordered or reduced table would answer; callers use
 * {@link diagnoseJob}.
 */
export function pickRow(job: JobFailure, table: readonly DiagnosisRow[] = DIAGNOSIS_TABLE): DiagnosisRow | undefined {
  return pick(job, normalizeStatusMessage(job.statusMessage), table);
}

function pick(job: JobFailure, text: string, table: readonly DiagnosisRow[]): DiagnosisRow | undefined {
  const rows = table.filter((row) => appliesTo(row, job));
  const category = job.messageCategory ? squash(job.messageCategory) : '';
  if (category && !NOT_A_REASON.has(category)) {
    // AWS's own classification wins; the message only chooses among the rows of that category.
    const candidates = rows.filter((row) => row.messageCategories?.includes(category));
    const chosen = (text ? candidates.find((row) => matches(row, text)) : undefined) ?? candidates.at(-1);
    if (chosen) return chosen;
  }
  return text ? rows.find((row) => matches(row, text)) : undefined;
}

/**
 * Classifies a failed, expired, aborted, partial (or completed-with-issues) backup or copy job:
 * MessageCategory first (AWS's own classification), refined by the status message; otherwise the
 * normalised status message against {@link DIAGNOSIS_TABLE}; otherwise the state (EXPIRED with no
 * message: `expired-start-window`, retryable, AWS having already retried the whole window;
 * ABORTED: `aborted-by-user`; PARTIAL: `partial`). An ABORTED job is never retryable: someone
 * stopped it. The job's vault facts, when given, refine the answer (a locked or logically
 * air-gapped vault: vault-context.ts). Anything else is `unknown`, not retryable, with AWS's text kept.
 *
 * @example diagnoseJob({ kind: 'backup', state: 'EXPIRED', statusMessage: '"Backup job failed because there was a running job for the same resource."' })
 *   // { category: 'job-already-running', retryable: true, cause: '…', remedy: '…', statusMessage: 'Backup job failed because …' }
 */
export function diagnoseJob(job: JobFailure): Diagnosis {
  const state = job.state?.toUpperCase();
  const picked = pickRow(job) ?? (state ? STATE_ROWS[state] : undefined) ?? UNKNOWN_ROW;
  const row = withVaultContext(picked, job);
  const statusMessage = readableStatusMessage(job.statusMessage);
  return {
    category: row.category,
    retryable: state === 'ABORTED' ? false : row.retryable,
    cause: row.cause,
    remedy: row.remedy,
    ...(statusMessage ? { statusMessage } : {}),
    ...(job.messageCategory ? { messageCategory: job.messageCategory } : {}),
  };
}
