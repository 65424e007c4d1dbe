import type { VaultFacts } from '../backup/job-origin.js';
import { LOGICALLY_AIR_GAPPED } from '../backup/job-origin.js';
import type { DiagnosedKind } from './categories.js';
import type { DiagnosisRow } from './table.js';

/**
 * Whether the vault's Vault Lock binds the job: LOCKED, or a logically air-gapped vault, which
 * "is equipped with AWS Backup Vault Lock's compliance mode" (logicallyairgappedvault.html) even
 * when the record names no lock state.
 */
function isLocked(vault: VaultFacts): boolean {
  return vault.lockState === 'LOCKED' || vault.type === LOGICALLY_AIR_GAPPED;
}

function isAirGapped(vault: VaultFacts): boolean {
  return vault.type === LOGICALLY_AIR_GAPPED;
}

/** Key rows a copy into a logically air-gapped vault may fail on. */
const KEY_ROWS: ReadonlySet<string> = new Set([
  'kms-key-not-shared',
  'default-key-cross-account',
  'kms-service-linked-role',
]);

function lockedClause(vault: VaultFacts): string {
  return isAirGapped(vault)
    ? 'The vault is logically air-gapped, so Vault Lock in compliance mode binds it: its minimum and maximum retention apply to every backup and copy into it and cannot be loosened.'
    : 'The vault is locked (VaultLockState LOCKED): its minimum and maximum retention apply to every backup and copy into it and can no longer be changed.';
}

/**
 * Refines the table's answer with what the job record says about its vault (the vault written for
 * a backup, the destination for a copy: VaultType, VaultLockState), facts read with the job, never
 * by an extra call. Only where the message already fits (the category never changes: no real AWS
 * message was found whose wording alone needs the vault to be classified, so none is guessed at):
 * - a retention outside a Vault Lock's range (`vault-lock-retention`) into a locked or logically
 *   air-gapped vault: the lock cannot be relaxed ("If the job's retention period is shorter than
 *   that minimum retention period, then the vault fails that backup or copy job":
 *   put-backup-vault-lock-configuration), so the remedy is the rule's retention or another vault;
 * - a copy into a logically air-gapped vault refused over a key: the cause names the vault type,
 *   whose encryption and sharing differ from a standard vault's (logicallyairgappedvault.html).
 * Otherwise the row is returned as it is.
 */
export function withVaultContext(
  row: DiagnosisRow,
  job: { readonly kind: DiagnosedKind; readonly vault?: VaultFacts },
): DiagnosisRow {
  const { vault } = job;
  if (!vault || job.kind === 'restore') return row;
  if (isLocked(vault) && row.category === 'vault-lock-retention') {
    return {
      ...row,
      cause: `${row.cause} ${lockedClause(vault)}`,
      remedy: `Set the plan rule's or copy rule's DeleteAfterDays inside the vault's range (aws backup describe-backup-vault --backup-vault-name <vault>: MinRetentionDays, MaxRetentionDays), or target another vault; the lock itself cannot be relaxed.`,
    };
  }
  if (job.kind === 'copy' && isAirGapped(vault) && KEY_ROWS.has(row.category)) {
    return {
      ...row,
      cause: `${row.cause} The destination is a logically air-gapped vault (DestinationVaultType LOGICALLY_AIR_GAPPED_BACKUP_VAULT): its backups are kept in an AWS Backup service-owned account and encrypted with the vault's own key.`,
      remedy: `${row.remedy} Check the encryption requirements for copies into a logically air-gapped vault (AWS Backup Developer Guide, Logically air-gapped vault > Copy to a logically air-gapped vault).`,
    };
  }
  return row;
}
