import { count, type MetricSink, MetricUnit } from '../../shared/metrics.js';
import { badNews, copiesExpected } from './format.js';
import type { StateCounts, SummaryReport } from './report.js';

function state(counts: StateCounts, name: string): number {
  return counts.byState[name] ?? 0;
}

/**
 * Emits the summary's main counts as EMF metrics (namespace BackupAutopilot, dimension `service`),
 * so CloudWatch graphs and alarms on them without parsing messages. CopyCoverage is emitted only
 * when the window had recovery points and copies (a 0% of nothing, or of an account that does not
 * copy, would trip an alarm).
 */
export function emitSummaryMetrics(sink: MetricSink, report: SummaryReport): void {
  const { backup, copy, restore } = report;
  const news = badNews(report);
  const counts: readonly [string, number][] = [
    ['BackupJobsTotal', backup.total],
    ['BackupJobsCompleted', state(backup, 'COMPLETED')],
    ['BackupJobsCompletedWithIssues', backup.completedWithIssues],
    ['BackupJobsFailed', state(backup, 'FAILED')],
    ['BackupJobsExpired', state(backup, 'EXPIRED')],
    ['BackupJobsAborted', state(backup, 'ABORTED')],
    ['BackupJobsPartial', state(backup, 'PARTIAL')],
    ['CopyJobsTotal', copy.total],
    ['CopyJobsFailed', state(copy, 'FAILED') + state(copy, 'PARTIAL')],
    ['RestoreJobsTotal', restore.total],
    ['RestoreJobsFailed', state(restore, 'FAILED') + state(restore, 'ABORTED')],
    ['SilentMisses', news.silentMisses],
    ['PlanRulesNeverRan', news.neverRan],
    ['UncopiedRecoveryPoints', news.uncopied],
    ['SummaryIncomplete', report.complete ? 0 : 1],
    // Organization scope: ACTIVE accounts with no backup job in the window (alarm on it at fleet scale).
    ...(report.accounts
      ? [
          [
            'AccountsWithoutBackupJobs',
            report.accounts.withoutJobs.items.length + report.accounts.withoutJobs.more,
          ] as [string, number],
        ]
      : []),
  ];
  for (const [name, value] of counts) count(sink, name, value);
  sink.addMetric('BackupBytes', MetricUnit.Bytes, backup.bytes);
  if (report.copyCoverage.ratio !== null && copiesExpected(report)) {
    sink.addMetric('CopyCoverage', MetricUnit.Percent, Math.round(report.copyCoverage.ratio * 1000) / 10);
  }
}
