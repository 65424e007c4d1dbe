/**
 * The SDK shapes the toolkit passes around, under the names the rest of the code uses.
 * Re-exported (not redefined) so they never drift from the service model.
 */
export type {
  BackupJob,
  BackupJobSummary,
  BackupPlansListMember as BackupPlanSummary,
  BackupRule,
  BackupSelectionsListMember as BackupSelectionSummary,
  CopyJob,
  CopyJobSummary,
  DescribeBackupJobOutput as BackupJobDetails,
  DescribeRecoveryPointOutput as RecoveryPoint,
  GetBackupPlanOutput as BackupPlanDetails,
  RestoreJobSummary,
  RestoreJobsListMember as RestoreJob,
  ScheduledPlanExecutionMember as ScheduledRun,
} from '@aws-sdk/client-backup';
