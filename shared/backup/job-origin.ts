import type { RecoveryPointCreator } from '@aws-sdk/client-backup';

/**
 * The plan rule that created a job, as the job record itself tells it (`CreatedBy`, a
 * RecoveryPointCreator: API_RecoveryPointCreator). Names, cron and time zone are fields AWS added
 * in 2025; older jobs and other partitions may lack them, so each is optional and callers fall
 * back (to GetBackupPlan, or to the ids) when absent. Undefined for a job no plan created.
 */
export interface JobOrigin {
  readonly planId: string;
  readonly versionId?: string;
  readonly ruleId?: string;
  readonly planName?: string;
  readonly ruleName?: string;
  /** The rule's schedule as `cron(...)`/`rate(...)` (ScheduleExpression form), from `BackupRuleCron`. */
  readonly scheduleExpression?: string;
  /** The rule's IANA time zone (`BackupRuleTimezone`), when the record names one. */
  readonly timezone?: string;
}

function text(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/**
 * `BackupRuleCron` as a ScheduleExpression. The model calls it "the cron expression that defines
 * the schedule for the backup rule" without saying whether it keeps the `cron(...)` wrapper of
 * API_BackupRule's ScheduleExpression, so both forms are read: a bare six-field expression is
 * wrapped, a `cron(...)` or `rate(...)` one is kept. Anything else is ignored (the caller then
 * reads the rule from GetBackupPlan).
 *
 * @example scheduleFromRuleCron('0 5 ? * * *') // 'cron(0 5 ? * * *)'
 */
export function scheduleFromRuleCron(cron: string | undefined): string | undefined {
  const value = text(cron);
  if (!value) return undefined;
  if (/^(cron|rate)\(.*\)$/i.test(value)) return value;
  return value.split(/\s+/).length === 6 ? `cron(${value})` : undefined;
}

/**
 * Reads a job's `CreatedBy` into a {@link JobOrigin}; undefined when no plan created the job (an
 * on-demand job has no BackupPlanId).
 *
 * @example jobOriginOf(job.CreatedBy)?.ruleName // 'nightly'
 */
export function jobOriginOf(createdBy: RecoveryPointCreator | undefined): JobOrigin | undefined {
  const planId = text(createdBy?.BackupPlanId);
  if (!createdBy || !planId) return undefined;
  const versionId = text(createdBy.BackupPlanVersion);
  const ruleId = text(createdBy.BackupRuleId);
  const planName = text(createdBy.BackupPlanName);
  const ruleName = text(createdBy.BackupRuleName);
  const scheduleExpression = scheduleFromRuleCron(createdBy.BackupRuleCron);
  const timezone = text(createdBy.BackupRuleTimezone);
  return {
    planId,
    ...(versionId ? { versionId } : {}),
    ...(ruleId ? { ruleId } : {}),
    ...(planName ? { planName } : {}),
    ...(ruleName ? { ruleName } : {}),
    ...(scheduleExpression ? { scheduleExpression } : {}),
    ...(timezone ? { timezone } : {}),
  };
}

/**
 * `plan daily-prod, rule nightly` for a person, from what the record names (names when known,
 * ids otherwise); undefined for a job no plan created.
 */
export function originLabel(origin: Pick<JobOrigin, 'planId' | 'planName' | 'ruleId' | 'ruleName'> | undefined) {
  if (!origin) return undefined;
  const plan = origin.planName ?? origin.planId;
  const rule = origin.ruleName ?? origin.ruleId;
  return rule ? `plan ${plan}, rule ${rule}` : `plan ${plan}`;
}

/** Vault facts of a job record: where a backup was written, or where a copy was going. */
export interface VaultFacts {
  /** BACKUP_VAULT, LOGICALLY_AIR_GAPPED_BACKUP_VAULT or RESTORE_ACCESS_BACKUP_VAULT (VaultType). */
  readonly type?: string;
  /** LOCKED or UNLOCKED (VaultLockState / DestinationVaultLockState). */
  readonly lockState?: string;
}

/** VaultType of a logically air-gapped vault (API_BackupJob VaultType). */
export const LOGICALLY_AIR_GAPPED = 'LOGICALLY_AIR_GAPPED_BACKUP_VAULT';

/** The vault facts of a backup job (VaultType, VaultLockState), or undefined when it names none. */
export function backupVaultFacts(job: { VaultType?: string; VaultLockState?: string }): VaultFacts | undefined {
  return vaultFacts(job.VaultType, job.VaultLockState);
}

/** The destination vault facts of a copy job (DestinationVaultType, DestinationVaultLockState). */
export function copyVaultFacts(job: {
  DestinationVaultType?: string;
  DestinationVaultLockState?: string;
}): VaultFacts | undefined {
  return vaultFacts(job.DestinationVaultType, job.DestinationVaultLockState);
}

function vaultFacts(type: string | undefined, lockState: string | undefined): VaultFacts | undefined {
  const t = text(type);
  const l = text(lockState);
  if (!t && !l) return undefined;
  return { ...(t ? { type: t } : {}), ...(l ? { lockState: l } : {}) };
}
