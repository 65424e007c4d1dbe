import {
  BackupClient,
  GetBackupPlanCommand,
  ListBackupPlansCommand,
  ListBackupSelectionsCommand,
} from '@aws-sdk/client-backup';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { BackupApiError, getBackupPlan, listBackupPlans, listBackupSelections } from '../../../shared/backup/index.js';
import { ValidationError } from '../../../shared/errors.js';
import { collect } from '../../fixtures/collect.js';

const backup = mockClient(BackupClient);
const client = new BackupClient({ region: 'us-east-1' });
afterEach(() => backup.reset());

describe('listBackupPlans', () => {
  it('follows NextToken until the last page, 1000 a page', async () => {
    // Prepare
    backup
      .on(ListBackupPlansCommand)
      .resolvesOnce({ BackupPlansList: [{ BackupPlanId: 'p1', BackupPlanName: 'daily-prod' }], NextToken: 't1' })
      .resolvesOnce({ BackupPlansList: [{ BackupPlanId: 'p2', BackupPlanName: 'no-selection' }] });
    // Act
    const plans = await collect(listBackupPlans(client));
    // Assess
    expect(plans.map((p) => p.BackupPlanName)).toEqual(['daily-prod', 'no-selection']);
    expect(backup).toHaveReceivedCommandTimes(ListBackupPlansCommand, 2);
    expect(backup).toHaveReceivedNthCommandWith(ListBackupPlansCommand, 1, { MaxResults: 1000 });
    expect(backup).toHaveReceivedNthCommandWith(ListBackupPlansCommand, 2, { NextToken: 't1', MaxResults: 1000 });
  });

  it('passes IncludeDeleted when asked', async () => {
    backup.on(ListBackupPlansCommand).resolves({ BackupPlansList: [] });
    await collect(listBackupPlans(client, { includeDeleted: true }, { pageSize: 50 }));
    expect(backup).toHaveReceivedCommandWith(ListBackupPlansCommand, { IncludeDeleted: true, MaxResults: 50 });
  });

  it.each([
    { case: 'page size 0', call: () => listBackupPlans(client, {}, { pageSize: 0 }), field: 'pageSize' },
    { case: 'page size 1001', call: () => listBackupPlans(client, {}, { pageSize: 1001 }), field: 'pageSize' },
    {
      case: 'includeDeleted not a boolean',
      call: () => listBackupPlans(client, { includeDeleted: 'yes' as unknown as boolean }),
      field: 'includeDeleted',
    },
  ])('refuses $case before any call', ({ call, field }) => {
    expect(call).toThrow(ValidationError);
    expect(call).toThrow(field);
    expect(backup).toHaveReceivedCommandTimes(ListBackupPlansCommand, 0);
  });

  it('maps a service failure to BackupApiError naming the operation', async () => {
    backup
      .on(ListBackupPlansCommand)
      .rejects(Object.assign(new Error('boom'), { name: 'ServiceUnavailableException', $fault: 'server' }));
    await expect(collect(listBackupPlans(client))).rejects.toThrow(BackupApiError);
  });
});

describe('listBackupSelections', () => {
  it('lists every page of one plan selections', async () => {
    backup
      .on(ListBackupSelectionsCommand)
      .resolvesOnce({ BackupSelectionsList: [{ SelectionId: 's1', SelectionName: 'tagged' }], NextToken: 'n' })
      .resolvesOnce({ BackupSelectionsList: [{ SelectionId: 's2', SelectionName: 'by-arn' }] });
    const selections = await collect(listBackupSelections(client, 'p1'));
    expect(selections.map((s) => s.SelectionId)).toEqual(['s1', 's2']);
    expect(backup).toHaveReceivedNthCommandWith(ListBackupSelectionsCommand, 2, {
      BackupPlanId: 'p1',
      NextToken: 'n',
      MaxResults: 1000,
    });
  });

  it.each([[''], ['  ']])('refuses plan id %j before any call', (id) => {
    expect(() => listBackupSelections(client, id)).toThrow(/backupPlanId must be a non-empty string/);
    expect(backup).toHaveReceivedCommandTimes(ListBackupSelectionsCommand, 0);
  });
});

describe('getBackupPlan with the schedule preview', () => {
  it('asks for the next runs and returns ScheduledRunsPreview and LastExecutionDate', async () => {
    const runs = [
      { ExecutionTime: new Date('2026-12-02T05:00:00Z'), RuleId: 'r1', RuleExecutionType: 'SNAPSHOTS' as const },
    ];
    backup.on(GetBackupPlanCommand).resolves({
      BackupPlanId: 'p1',
      ScheduledRunsPreview: runs,
      LastExecutionDate: new Date('2026-12-01T05:00:00Z'),
    });
    const plan = await getBackupPlan(client, { backupPlanId: 'p1', maxScheduledRunsPreview: 10 });
    expect(plan.ScheduledRunsPreview).toEqual(runs);
    expect(backup).toHaveReceivedCommandWith(GetBackupPlanCommand, { BackupPlanId: 'p1', MaxScheduledRunsPreview: 10 });
  });

  it('sends no preview member unless asked', async () => {
    backup.on(GetBackupPlanCommand).resolves({ BackupPlanId: 'p1' });
    await getBackupPlan(client, { backupPlanId: 'p1' });
    expect(backup.commandCalls(GetBackupPlanCommand)[0]?.args[0].input).toEqual({ BackupPlanId: 'p1' });
  });

  it.each([[-1], [11], [2.5]])('refuses MaxScheduledRunsPreview %d before any call', (n) => {
    expect(() => getBackupPlan(client, { backupPlanId: 'p1', maxScheduledRunsPreview: n })).toThrow(
      /maxScheduledRunsPreview must be an integer from 0 to 10/,
    );
    expect(backup).toHaveReceivedCommandTimes(GetBackupPlanCommand, 0);
  });
});
