import { describe, expect, it } from 'vitest';
import {
  backupVaultFacts,
  copyVaultFacts,
  jobOriginOf,
  originLabel,
  scheduleFromRuleCron,
} from '../../../shared/backup/job-origin.js';

describe('scheduleFromRuleCron', () => {
  it.each([
    { case: 'wrapped cron kept', cron: 'cron(0 5 ? * * *)', expected: 'cron(0 5 ? * * *)' },
    { case: 'bare six fields wrapped', cron: ' 0 5 ? * * * ', expected: 'cron(0 5 ? * * *)' },
    { case: 'rate kept', cron: 'rate(12 hours)', expected: 'rate(12 hours)' },
    { case: 'five fields ignored', cron: '0 5 * * *', expected: undefined },
    { case: 'empty ignored', cron: '  ', expected: undefined },
    { case: 'absent', cron: undefined, expected: undefined },
  ])('$case', ({ cron, expected }) => {
    expect(scheduleFromRuleCron(cron)).toBe(expected);
  });
});

describe('jobOriginOf', () => {
  it('reads ids, names, cron and time zone from CreatedBy', () => {
    // Act
    const origin = jobOriginOf({
      BackupPlanId: 'plan-1',
      BackupPlanVersion: 'v1',
      BackupRuleId: 'rule-1',
      BackupPlanName: 'daily-prod',
      BackupRuleName: 'nightly',
      BackupRuleCron: 'cron(0 5 ? * * *)',
      BackupRuleTimezone: 'Europe/Paris',
    });
    // Assess
    expect(origin).toEqual({
      planId: 'plan-1',
      versionId: 'v1',
      ruleId: 'rule-1',
      planName: 'daily-prod',
      ruleName: 'nightly',
      scheduleExpression: 'cron(0 5 ? * * *)',
      timezone: 'Europe/Paris',
    });
  });

  it('keeps only the ids of an older record without the 2025 fields', () => {
    expect(jobOriginOf({ BackupPlanId: 'plan-1', BackupRuleId: 'rule-1' })).toEqual({
      planId: 'plan-1',
      ruleId: 'rule-1',
    });
  });

  it('is undefined for an on-demand job (no BackupPlanId)', () => {
    expect(jobOriginOf(undefined)).toBeUndefined();
    expect(jobOriginOf({ BackupRuleName: 'nightly' })).toBeUndefined();
  });
});

describe('originLabel', () => {
  it.each([
    {
      case: 'names',
      origin: { planId: 'p', planName: 'daily', ruleId: 'r', ruleName: 'nightly' },
      expected: 'plan daily, rule nightly',
    },
    { case: 'ids when no names', origin: { planId: 'p', ruleId: 'r' }, expected: 'plan p, rule r' },
    { case: 'plan only', origin: { planId: 'p' }, expected: 'plan p' },
    { case: 'no origin', origin: undefined, expected: undefined },
  ])('$case', ({ origin, expected }) => {
    expect(originLabel(origin)).toBe(expected);
  });
});

describe('vault facts', () => {
  it("reads a backup job's vault type and lock state", () => {
    expect(backupVaultFacts({ VaultType: 'LOGICALLY_AIR_GAPPED_BACKUP_VAULT', VaultLockState: 'LOCKED' })).toEqual({
      type: 'LOGICALLY_AIR_GAPPED_BACKUP_VAULT',
      lockState: 'LOCKED',
    });
  });

  it("reads a copy job's destination vault facts", () => {
    expect(copyVaultFacts({ DestinationVaultLockState: 'LOCKED' })).toEqual({ lockState: 'LOCKED' });
  });

  it('is undefined when the record names neither', () => {
    expect(backupVaultFacts({})).toBeUndefined();
    expect(copyVaultFacts({ DestinationVaultType: '' })).toBeUndefined();
  });
});
