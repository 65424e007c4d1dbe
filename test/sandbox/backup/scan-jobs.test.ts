import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BackupEventJson } from '../../../sandbox/backup/events.js';
import type { ScanOutcome } from '../../../sandbox/backup/store.js';
import { ServiceError } from '../../../sandbox/http/stand-in.js';
import { parseScanJobEvent } from '../../../shared/events/index.js';
import { ACCOUNT, HOUR, MINUTE, OTHER, REGION, sandbox, volume } from './helpers.js';

const EVENTS = join(import.meta.dirname, '../../../events');
const sample = (file: string): BackupEventJson => JSON.parse(readFileSync(join(EVENTS, file), 'utf8'));

/** Every leaf path of a value with its JSON type. */
const shapeOf = (value: unknown, path = ''): string[] => {
  if (Array.isArray(value)) return value.flatMap((v) => shapeOf(v, `${path}[]`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => shapeOf(v, `${path}.${k}`));
  return [`${path}:${typeof value}`];
};

const refusal = (fn: () => unknown): ServiceError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ServiceError) return error;
    throw error;
  }
  throw new Error('the call was not refused');
};

/** A sandbox with a plan-made recovery point of volume `n` in `main`, and a scan of it ending as `outcome`. */
const seeded = (outcome: ScanOutcome, n = 1, base?: string) => {
  const s = sandbox();
  const plan = s.store.addPlan({
    account: ACCOUNT,
    region: REGION,
    name: 'daily',
    rules: [{ RuleName: 'daily', TargetBackupVaultName: 'main', ScheduleExpression: 'cron(0 5 ? * * *)' }],
  });
  const version = plan.versions[0];
  const point = s.store.addRecoveryPoint({
    account: ACCOUNT,
    region: REGION,
    vaultName: 'main',
    resourceArn: volume(n),
    createdBy: {
      BackupPlanId: plan.planId,
      BackupPlanArn: plan.arn,
      BackupPlanVersion: version?.versionId,
      BackupRuleId: version?.rules[0]?.RuleId,
    },
  });
  const pointArn = point.point.RecoveryPointArn ?? '';
  const scan = s.store.createScanJob({
    account: ACCOUNT,
    region: REGION,
    recoveryPointArn: pointArn,
    outcome,
    ...(base ? { scanBaseRecoveryPointArn: base } : {}),
  });
  return { ...s, plan, pointArn, scan };
};

describe('scan jobs in the Backup stand-in', () => {
  it('move CREATED, RUNNING, then their final state, one event each, shaped like AWS sample', () => {
    const base = `arn:aws:backup:${REGION}:${ACCOUNT}:recovery-point:base-0001`;
    const { backup, engine, scan } = seeded({ state: 'COMPLETED', scanResultStatus: 'THREATS_FOUND' }, 1, base);
    engine.advanceBy(HOUR);
    const events = backup.events().filter((e) => e['detail-type'] === 'Scan Job State Change');
    expect(events.map((e) => e.detail.state)).toEqual(['CREATED', 'RUNNING', 'COMPLETED']);
    for (const event of events) {
      const published = sample(`scan-job.${String(event.detail.state).toLowerCase()}.json`);
      expect(shapeOf(event).sort()).toEqual(shapeOf(published).sort());
      expect(Object.keys(event.detail)).toEqual(Object.keys(published.detail));
    }
    const parsed = parseScanJobEvent(events[2]);
    expect(parsed).toMatchObject({
      scanJobId: scan.job.ScanJobId,
      state: 'COMPLETED',
      scanResultStatus: 'THREATS_FOUND',
      statusMessage: 'An AWS Backup scan job was successful completed.',
      scanBaseRecoveryPointArn: base,
      backupVaultName: 'main',
    });
    expect(parsed.completionDate?.getTime()).toBe(scan.job.CreationDate.getTime() + 11 * MINUTE);
  });

  it.each([
    { outcome: { state: 'FAILED', statusMessage: 'Insufficient privileges to perform this action.' } as const },
    { outcome: { state: 'CANCELED' } as const },
    { outcome: { state: 'COMPLETED_WITH_ISSUES' } as const },
  ])('a $outcome.state scan ends with the shape of AWS sample', ({ outcome }) => {
    // AWS's samples are of incremental scans: they name a base recovery point.
    const { backup, engine } = seeded(outcome, 1, `arn:aws:backup:${REGION}:${ACCOUNT}:recovery-point:base-0002`);
    engine.advanceBy(HOUR);
    const final = backup.events().find((e) => e.detail.state === outcome.state);
    const file = `scan-job.${outcome.state.toLowerCase().replace(/_/g, '-')}.json`;
    expect(final && shapeOf(final).sort()).toEqual(shapeOf(sample(file)).sort());
  });

  it('keeps no resource busy: a backup of the scanned volume runs at once', () => {
    const { store, engine } = seeded({ state: 'COMPLETED', runMinutes: 120 });
    engine.advanceBy(10 * MINUTE);
    const job = store.createBackupJob({ account: ACCOUNT, region: REGION, resourceArn: volume(1), vaultName: 'main' });
    engine.advanceBy(5 * MINUTE);
    expect(job.job.State).toBe('RUNNING');
  });

  it('DescribeScanJob answers the model shape in its own account only', () => {
    const { call, engine, scan, pointArn, plan } = seeded({ state: 'FAILED', statusMessage: 'Access denied' });
    engine.advanceBy(HOUR);
    expect(call('DescribeScanJob', { ScanJobId: scan.job.ScanJobId })).toMatchObject({
      AccountId: ACCOUNT,
      BackupVaultName: 'main',
      RecoveryPointArn: pointArn,
      ResourceArn: volume(1),
      ResourceType: 'EBS',
      MalwareScanner: 'GUARDDUTY',
      ScanMode: 'FULL_SCAN',
      State: 'FAILED',
      StatusMessage: 'Access denied',
      CreatedBy: { BackupPlanId: plan.planId },
    });
    expect(call('DescribeScanJob', { ScanJobId: scan.job.ScanJobId })).not.toHaveProperty('ScanResult');
  });

  it('DescribeScanJob refuses an unknown id and another account', () => {
    const { call, ctx, scan } = seeded({ state: 'COMPLETED' });
    expect(refusal(() => call('DescribeScanJob', { ScanJobId: 'nope' })).code).toBe('ResourceNotFoundException');
    expect(refusal(() => call('DescribeScanJob', { ScanJobId: scan.job.ScanJobId }, ctx(OTHER))).code).toBe(
      'ResourceNotFoundException',
    );
  });

  it('ListScanJobs filters by state, result, vault and completion date', () => {
    const s = sandbox();
    const points = [1, 2, 3].map(
      (n) =>
        s.store.addRecoveryPoint({ account: ACCOUNT, region: REGION, vaultName: 'main', resourceArn: volume(n) }).point
          .RecoveryPointArn ?? '',
    );
    const outcomes: ScanOutcome[] = [
      { state: 'FAILED' },
      { state: 'COMPLETED', scanResultStatus: 'THREATS_FOUND' },
      { state: 'COMPLETED' },
    ];
    for (const [i, arn] of points.entries()) {
      s.store.createScanJob({ account: ACCOUNT, region: REGION, recoveryPointArn: arn, outcome: outcomes[i] });
    }
    s.engine.advanceBy(HOUR);
    type Out = { ScanJobs: { ResourceArn: string; State: string; ScanResult?: { ScanResultStatus: string } }[] };
    const list = (input: object) =>
      s
        .call<Out>('ListScanJobs', input)
        .ScanJobs.map((j) => j.ResourceArn)
        .sort();
    expect(list({})).toEqual([volume(1), volume(2), volume(3)]);
    expect(list({ ByState: 'FAILED' })).toEqual([volume(1)]);
    expect(list({ ByScanResultStatus: 'THREATS_FOUND' })).toEqual([volume(2)]);
    expect(list({ ByScanResultStatus: 'NO_THREATS_FOUND' })).toEqual([volume(3)]);
    expect(list({ ByBackupVaultName: 'other' })).toEqual([]);
    expect(list({ ByCompleteAfter: new Date(s.shared.clock.ms()) })).toEqual([]);
    expect(list({ ByCompleteAfter: new Date(s.shared.clock.ms() - HOUR) })).toHaveLength(3);
    expect(s.call<Out>('ListScanJobs', {}, s.ctx(OTHER)).ScanJobs).toEqual([]);
  });

  it('ListScanJobSummaries counts by state, scanner and result', () => {
    const s = sandbox();
    const point =
      s.store.addRecoveryPoint({ account: ACCOUNT, region: REGION, vaultName: 'main', resourceArn: volume(1) }).point
        .RecoveryPointArn ?? '';
    s.store.createScanJob({ account: ACCOUNT, region: REGION, recoveryPointArn: point, outcome: { state: 'FAILED' } });
    s.store.createScanJob({
      account: ACCOUNT,
      region: REGION,
      recoveryPointArn: point,
      outcome: { state: 'COMPLETED', scanResultStatus: 'THREATS_FOUND' },
    });
    s.engine.advanceBy(30 * HOUR);
    type Rows = { ScanJobSummaries: Record<string, unknown>[] };
    const rows = s.call<Rows>('ListScanJobSummaries', { AggregationPeriod: 'SEVEN_DAYS' }).ScanJobSummaries;
    expect(
      rows.map(({ State, MalwareScanner, ScanResultStatus, Count }) => ({
        State,
        MalwareScanner,
        ScanResultStatus,
        Count,
      })),
    ).toEqual([
      { State: 'COMPLETED', MalwareScanner: 'GUARDDUTY', ScanResultStatus: 'THREATS_FOUND', Count: 1 },
      { State: 'FAILED', MalwareScanner: 'GUARDDUTY', ScanResultStatus: undefined, Count: 1 },
    ]);
    expect(rows[0]).not.toHaveProperty('MessageCategory');
  });
});
