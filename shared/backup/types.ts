/**
 * The SDK shapes the toolkit passes around, under the names the rest of the code uses.
 * Re-exported (not redefined) so they never drift from the service model. They carry what AWS added
 * in 2025 (aws-facts.md "Since 2025"): `CreatedBy` (RecoveryPointCreator) with BackupPlanName,
 * BackupRuleName, BackupRuleCron and BackupRuleTimezone; backup jobs' VaultType, VaultLockState,
 * EncryptionKeyArn and IsEncrypted; copy jobs' CreatedByBackupJobId, DestinationVaultType and
 * DestinationVaultLockState. job-origin.ts reads them; each may be absent on older jobs.
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
  DescribeScanJobOutput as ScanJobDetails,
  GetBackupPlanOutput as BackupPlanDetails,
  RecoveryPointCreator,
  RestoreJobSummary,
  RestoreJobsListMember as RestoreJob,
  ScanJob,
  ScanJobSummary,
  ScheduledPlanExecutionMember as ScheduledRun,
} from '@aws-sdk/client-backup';
