import { normalizeStatusMessage } from './normalize.js';
import { DIAGNOSIS_TABLE, type DiagnosisRow, UNKNOWN_ROW } from './table.js';
import type { DiagnosedKind, Diagnosis } from './types.js';

/** What diagnosis needs to know about a job (from an event, DescribeBackupJob or a List call). */
export interface JobFailure {
  readonly kind: DiagnosedKind;
  readonly state?: string;
  /** DescribeBackupJob's MessageCategory: events carry none (aws-facts.md). */
  readonly messageCategory?: string;
  readonly statusMessage?: string;
  readonly resourceType?: string;
}

/** Answers by state when the message says nothing the table knows. */
const BY_STATE: Readonly<Record<string, DiagnosisRow>> = {
  EXPIRED: {
    category: 'expired-start-window',
    retryable: true,
    cause:
      'The job did not start within its start window; AWS Backup had already retried it every 10 minutes for the whole window.',
    remedy:
      "Usually a busy resource or a short window: widen the rule's StartWindowMinutes, or move the window away from other jobs on the resource.",
    source: 'API_BackupRule (StartWindowMinutes)',
  },
  ABORTED: {
    category: 'aborted-by-user',
    retryable: false,
    cause: 'The job was stopped before it finished.',
    remedy: 'No action unless the stop was a mistake: then start an on-demand backup.',
    source: 'API_StopBackupJob',
  },
  PARTIAL: {
    category: 'partial',
    retryable: false,
    cause: 'Only part of the job succeeded (some child jobs or items failed).',
    remedy:
      'Open the job in the AWS Backup console, check its child jobs, and fix the failed ones; retry the parent job.',
    source: 'ListBackupJobs ByState (PARTIAL)',
  },
};

const squash = (category: string): string => category.toUpperCase().replace(/[_\s-]/g, '');

const appliesTo = (row: DiagnosisRow, kind: DiagnosedKind): boolean => !row.kinds || row.kinds.includes(kind);

const matches = (row: DiagnosisRow, text: string): boolean => !!row.patterns?.some((p) => p.test(text));

/**
 * Classifies a failed, expired, aborted or partial backup or copy job: MessageCategory first (it is
 * AWS's own classification), refined by the status message; then the normalised status message
 * against the table; then the state. Unknown reasons are `unknown`, not retryable, and keep their text.
 *
 * @example diagnoseJob({ kind: 'backup', state: 'EXPIRED', statusMessage: '"…running job for the same resource."' })
 *   // { category: 'job-already-running', retryable: true, … }
 */
export const diagnoseJob = (job: JobFailure): Diagnosis => {
  const text = normalizeStatusMessage(job.statusMessage);
  const rows = DIAGNOSIS_TABLE.filter((row) => appliesTo(row, job.kind));
  let row: DiagnosisRow | undefined;
  const category = job.messageCategory && squash(job.messageCategory);
  if (category && category !== 'SUCCESS') {
    const candidates = rows.filter((r) => r.messageCategories?.includes(category));
    row = candidates.find((r) => matches(r, text)) ?? candidates.at(-1);
  }
  row ??= text ? rows.find((r) => matches(r, text)) : undefined;
  row ??= (job.state && BY_STATE[job.state]) || UNKNOWN_ROW;
  const message = job.statusMessage ? normalizeQuotesOnly(job.statusMessage) : undefined;
  return {
    category: row.category,
    retryable: row.retryable,
    cause: row.cause,
    remedy: row.remedy,
    ...(message ? { statusMessage: message } : {}),
    ...(job.messageCategory ? { messageCategory: job.messageCategory } : {}),
  };
};

/** The message as a person should read it: AWS's wrapping quotes removed, ARNs kept. */
const normalizeQuotesOnly = (text: string): string => {
  let s = text.replace(/\\"/g, '"').trim();
  while (s.length >= 2 && s.startsWith('"') && s.endsWith('"')) s = s.slice(1, -1).trim();
  return s.length > 4096 ? `${s.slice(0, 4096)}…` : s;
};
