/**
 * The SDK shapes the toolkit passes around, under the names the rest of the code uses.
 * Re-exported (not redefined) so they never drift from the service model.
 */
export type {
  BackupJob,
  BackupJobSummary,
  CopyJob,
  CopyJobSummary,
  DescribeBackupJobOutput as BackupJobDetails,
  DescribeRecoveryPointOutput as RecoveryPoint,
  DescribeScanJobOutput as ScanJobDetails,
  GetBackupPlanOutput as BackupPlanDetails,
  RestoreJobSummary,
  RestoreJobsListMember as RestoreJob,
  ScanJob,
  ScanJobSummary,
} from '@aws-sdk/client-backup';
