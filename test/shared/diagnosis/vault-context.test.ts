import { describe, expect, it } from 'vitest';
import { DIAGNOSIS_TABLE, diagnoseJob } from '../../../shared/diagnosis/index.js';

const LAG = 'LOGICALLY_AIR_GAPPED_BACKUP_VAULT';
const exampleOf = (category: string): string => {
  const row = DIAGNOSIS_TABLE.find((r) => r.category === category);
  const message = row?.examples[0];
  if (!message) throw new Error(`no example for ${category}`);
  return message;
};

describe('diagnosis with the vault facts of the job record', () => {
  it('says a locked vault cannot be relaxed when a copy falls outside its retention range', () => {
    // Prepare: the vault-lock-retention row's own example
    const job = { kind: 'copy' as const, state: 'FAILED', statusMessage: exampleOf('vault-lock-retention') };
    // Act
    const plain = diagnoseJob(job);
    const locked = diagnoseJob({ ...job, vault: { type: 'BACKUP_VAULT', lockState: 'LOCKED' } });
    // Assess
    expect(plain.category).toBe('vault-lock-retention');
    expect(plain.cause).not.toContain('VaultLockState LOCKED');
    expect(locked).toMatchObject({ category: 'vault-lock-retention', retryable: false });
    expect(locked.cause).toContain('VaultLockState LOCKED');
    expect(locked.remedy).toContain('the lock itself cannot be relaxed');
  });

  it('a logically air-gapped vault is compliance-locked even when the record names no lock state', () => {
    const d = diagnoseJob({
      kind: 'backup',
      state: 'FAILED',
      statusMessage: exampleOf('vault-lock-retention'),
      vault: { type: LAG },
    });
    expect(d.cause).toContain('logically air-gapped, so Vault Lock in compliance mode binds it');
  });

  it.each([
    {
      case: 'an absolute API limit',
      message: 'Invalid lifecycle. DeleteAfterDays cannot be less than 1 or more than 36500 days',
    },
    { case: 'the cold storage rule', message: exampleOf('lifecycle-invalid') },
  ])('leaves $case to its row, even in a locked vault', ({ message }) => {
    const d = diagnoseJob({ kind: 'backup', state: 'FAILED', statusMessage: message, vault: { lockState: 'LOCKED' } });
    expect(d.category).toBe('lifecycle-invalid');
    expect(d.cause).not.toContain('locked');
  });

  it('names the logically air-gapped destination of a copy refused over a key', () => {
    // Prepare: the kms-key-not-shared row's example (an RDS KMSKeyNotAccessibleFault wording)
    const job = { kind: 'copy' as const, state: 'FAILED', statusMessage: exampleOf('kms-key-not-shared') };
    // Act
    const standard = diagnoseJob({ ...job, vault: { type: 'BACKUP_VAULT' } });
    const airGapped = diagnoseJob({ ...job, vault: { type: LAG } });
    // Assess
    expect(standard.cause).not.toContain('logically air-gapped');
    expect(airGapped).toMatchObject({ category: 'kms-key-not-shared', retryable: false });
    expect(airGapped.cause).toContain('The destination is a logically air-gapped vault');
    expect(airGapped.remedy).toContain('Copy to a logically air-gapped vault');
  });

  it('changes nothing for a backup into a logically air-gapped vault over a key, or for a restore', () => {
    const message = exampleOf('kms-key-not-shared');
    const backup = diagnoseJob({ kind: 'backup', state: 'FAILED', statusMessage: message, vault: { type: LAG } });
    expect(backup.cause).toBe(diagnoseJob({ kind: 'backup', state: 'FAILED', statusMessage: message }).cause);
    const restore = diagnoseJob({
      kind: 'restore',
      state: 'FAILED',
      statusMessage: exampleOf('vault-lock-retention'),
      vault: { lockState: 'LOCKED' },
    });
    expect(restore.cause).not.toContain('VaultLockState');
  });
});
