import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BackupEventJson } from '../../../sandbox/backup/events.js';
import { localeDate } from '../../../sandbox/backup/events.js';
import { parseBackupEvent } from '../../../shared/events/index.js';
import { ACCOUNT, HOUR, MINUTE, REGION, sandbox, volume } from './helpers.js';

const EVENTS = join(import.meta.dirname, '../../../events');

/** Every leaf path of a value with its JSON type (`resources[]:string`, `detail.createdBy.backupPlanId:string`). */
const shapeOf = (value: unknown, path = ''): string[] => {
  if (Array.isArray(value))
    return value.length === 0 ? [`${path}:array`] : value.flatMap((v) => shapeOf(v, `${path}[]`));
  if (value && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return [`${path}:{}`];
    return entries.flatMap(([k, v]) => shapeOf(v, path ? `${path}.${k}` : k));
  }
  return [`${path}:${typeof value}`];
};

const samples = readdirSync(EVENTS)
  .filter((f) => /^(backup|copy|restore)-job\./.test(f))
  .map((file) => ({ file, event: JSON.parse(readFileSync(join(EVENTS, file), 'utf8')) as BackupEventJson }));

const stateOf = (e: BackupEventJson) => String(e.detail.state ?? e.detail.status);

/** Plays a scenario that makes the stand-in emit an event of the sample's kind and state. */
const eventLike = (sample: BackupEventJson): BackupEventJson | undefined => {
  const { store, engine, backup } = sandbox();
  const state = stateOf(sample);
  const withPlan = sample.detail.createdBy !== undefined;
  store.addVault({ account: ACCOUNT, region: REGION, name: 'copies' });
  const plan = store.addPlan({
    account: ACCOUNT,
    region: REGION,
    name: 'daily',
    rules: [{ RuleName: 'daily', TargetBackupVaultName: 'main', ScheduleExpression: 'cron(0 2 ? * * *)' }],
  });
  const type = sample['detail-type'];
  if (type === 'Backup Job State Change') {
    store.createBackupJob({
      account: ACCOUNT,
      region: REGION,
      resourceArn: volume(1),
      vaultName: 'main',
      ...(withPlan ? { plan: { planId: plan.planId } } : {}),
      outcome: {
        state: state === 'CREATED' || state === 'PENDING' || state === 'RUNNING' ? 'COMPLETED' : (state as 'FAILED'),
        pendingMinutes: state === 'PENDING' ? 2 : 0,
        runMinutes: state === 'RUNNING' || state === 'COMPLETED' || state === 'PARTIAL' ? 30 : 0,
      },
    });
  } else if (type === 'Copy Job State Change') {
    const point = store.addRecoveryPoint({
      account: ACCOUNT,
      region: REGION,
      vaultName: 'main',
      resourceArn: volume(2),
    });
    store.createCopyJob({
      account: ACCOUNT,
      region: REGION,
      sourceRecoveryPointArn: point.point.RecoveryPointArn ?? '',
      destinationVaultArn: store.vault(ACCOUNT, REGION, 'copies')?.arn ?? '',
      ...(withPlan
        ? {
            createdBy: {
              BackupPlanId: plan.planId,
              BackupPlanArn: plan.arn,
              BackupPlanVersion: 'v',
              BackupRuleId: 'r',
            },
          }
        : {}),
      outcome: {
        state: state === 'CREATED' || state === 'RUNNING' ? 'COMPLETED' : (state as 'FAILED'),
        runMinutes: 20,
      },
    });
  } else {
    const point = store.addRecoveryPoint({
      account: ACCOUNT,
      region: REGION,
      vaultName: 'main',
      resourceArn: `arn:aws:rds:${REGION}:${ACCOUNT}:db:orders`,
    });
    store.createRestoreJob({
      account: ACCOUNT,
      region: REGION,
      recoveryPointArn: point.point.RecoveryPointArn ?? '',
      outcome: { state: state === 'COMPLETED' || state === 'FAILED' ? state : 'COMPLETED', runMinutes: 10 },
    });
  }
  engine.advanceBy(12 * HOUR);
  return backup.events().find((e) => e['detail-type'] === type && stateOf(e) === state);
};

describe('events like AWS sends them', () => {
  it.each(samples)('$file: same key paths and value types, same parse', ({ event: sample }) => {
    const built = eventLike(sample);
    expect(built).toBeDefined();
    if (!built) return;
    expect(shapeOf(built).sort()).toEqual(shapeOf(sample).sort());
    const parsedBuilt = parseBackupEvent(built);
    const parsedSample = parseBackupEvent(sample);
    expect(parsedBuilt.kind).toBe(parsedSample.kind);
    expect('state' in parsedBuilt ? parsedBuilt.state : parsedBuilt.status).toBe(
      'state' in parsedSample ? parsedSample.state : parsedSample.status,
    );
  });

  it('covers every kind and state AWS publishes a sample for', () => {
    const kinds = new Set(samples.map((s) => `${s.event['detail-type']}/${stateOf(s.event)}`));
    expect(kinds.size).toBeGreaterThanOrEqual(18);
  });

  it('quotes backup status messages and writes the envelope time without milliseconds', () => {
    const { store, engine, backup } = sandbox();
    engine.advanceBy(250);
    store.createBackupJob({
      account: ACCOUNT,
      region: REGION,
      resourceArn: volume(1),
      vaultName: 'main',
      outcome: { state: 'FAILED', statusMessage: 'Rate exceeded' },
    });
    engine.advanceBy(HOUR);
    const failed = backup.events().find((e) => e.detail.state === 'FAILED');
    expect(failed?.detail.statusMessage).toBe('"Rate exceeded"');
    expect(failed?.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(failed?.account).toBe(ACCOUNT);
    expect(failed?.time).toBe('2026-11-24T00:01:00Z');
  });

  it('puts a COMPLETED backup recovery point only in resources[0]', () => {
    const { store, engine, backup } = sandbox();
    const job = store.createBackupJob({ account: ACCOUNT, region: REGION, resourceArn: volume(1), vaultName: 'main' });
    engine.advanceBy(2 * HOUR);
    const done = backup.events().find((e) => e.detail.state === 'COMPLETED');
    expect(done?.resources).toEqual([job.job.RecoveryPointArn]);
    expect(JSON.stringify(done?.detail)).not.toContain(job.job.RecoveryPointArn);
  });

  it('formats dates as the RUNNING sample does', () => {
    expect(localeDate(new Date('2020-07-15T21:39:07Z'))).toBe('Jul 15, 2020 9:39:07 PM');
    expect(localeDate(new Date('2020-07-15T00:05:00Z'))).toBe('Jul 15, 2020 12:05:00 AM');
  });

  it('gives the same event ids on a replay', () => {
    const run = () => {
      const { store, engine, backup } = sandbox();
      store.createBackupJob({ account: ACCOUNT, region: REGION, resourceArn: volume(1), vaultName: 'main' });
      engine.advanceBy(90 * MINUTE);
      return backup.events().map((e) => e.id);
    };
    expect(run()).toEqual(run());
  });
});
