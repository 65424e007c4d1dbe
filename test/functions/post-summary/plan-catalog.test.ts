import { GetBackupPlanCommand, ListBackupPlansCommand, ListBackupSelectionsCommand } from '@aws-sdk/client-backup';
import { describe, expect, it } from 'vitest';
import { PlanCatalog } from '../../../functions/post-summary/plan-catalog.js';
import { type FakePlan, REGION, serve } from './builders.js';
import { regionClients } from './harness.js';

const ROLE = 'arn:aws:iam::111122223333:role/service-role/AWSBackupDefaultServiceRole';

const aFakePlan = (n: number, selections = 1): FakePlan => ({
  plan: {
    BackupPlanId: `plan-${n}`,
    BackupPlanArn: `arn:aws:backup:${REGION}:111122223333:backup-plan:plan-${n}`,
    VersionId: `v-${n}`,
    CreationDate: new Date('2026-01-01T00:00:00Z'),
    BackupPlan: {
      BackupPlanName: `plan-${String(n).padStart(4, '0')}`,
      Rules: [{ RuleName: 'nightly', RuleId: `rule-${n}`, TargetBackupVaultName: 'Default' }],
    },
    ScheduledRunsPreview: [{ RuleId: `rule-${n}`, ExecutionTime: new Date('2026-11-25T05:00:00Z') }],
  },
  selections: Array.from({ length: selections }, (_, i) => ({
    SelectionId: `sel-${n}-${i}`,
    SelectionName: `selection-${i}`,
    IamRoleArn: ROLE,
    BackupPlanId: `plan-${n}`,
  })),
});

describe('PlanCatalog', () => {
  it('reads each plan once: one ListBackupPlans pass, one GetBackupPlan and one ListBackupSelections pass per plan', async () => {
    // Prepare: 1,200 plans (two ListBackupPlans pages), one with 1,001 selections (two pages).
    const clients = regionClients([REGION]);
    const { mock } = clients.get(REGION);
    const plans = Array.from({ length: 1200 }, (_, i) => aFakePlan(i, i === 7 ? 1001 : 1));
    serve(mock, { plans });
    const catalog = new PlanCatalog({ backupClientFor: clients.backupClientFor });
    // Act: asked twice, as two parts of one summary would.
    const first = await catalog.plans(REGION);
    const again = await catalog.plans(REGION);
    // Assess
    expect(again).toBe(first);
    expect(first.listed).toBe(true);
    expect(first.failures).toEqual([]);
    expect(first.plans).toHaveLength(1200);
    expect(mock).toHaveReceivedCommandTimes(ListBackupPlansCommand, 2);
    expect(mock).toHaveReceivedCommandTimes(GetBackupPlanCommand, 1200);
    expect(mock).toHaveReceivedCommandTimes(ListBackupSelectionsCommand, 1201);
    expect(mock).toHaveReceivedCommandWith(GetBackupPlanCommand, {
      BackupPlanId: 'plan-3',
      MaxScheduledRunsPreview: 10,
    });
    expect(first.plans.find((p) => p.planId === 'plan-7')?.selections).toHaveLength(1001);
  });

  it('keeps what GetBackupPlan and ListBackupSelections say, plans ordered by name', async () => {
    const clients = regionClients([REGION]);
    serve(clients.get(REGION).mock, { plans: [aFakePlan(2), aFakePlan(1, 0)] });
    const { plans } = await new PlanCatalog({ backupClientFor: clients.backupClientFor }).plans(REGION);
    expect(plans.map((p) => p.planName)).toEqual(['plan-0001', 'plan-0002']);
    expect(plans[1]).toEqual({
      region: REGION,
      planId: 'plan-2',
      planName: 'plan-0002',
      planArn: `arn:aws:backup:${REGION}:111122223333:backup-plan:plan-2`,
      versionId: 'v-2',
      createdAt: new Date('2026-01-01T00:00:00Z'),
      rules: [{ RuleName: 'nightly', RuleId: 'rule-2', TargetBackupVaultName: 'Default' }],
      preview: [{ RuleId: 'rule-2', ExecutionTime: new Date('2026-11-25T05:00:00Z') }],
      selections: [{ selectionId: 'sel-2-0', name: 'selection-0', iamRoleArn: ROLE }],
    });
    expect(plans[0]?.selections).toEqual([]);
  });

  it('a plan that cannot be read is a failure naming it; the others are kept', async () => {
    const clients = regionClients([REGION]);
    const { mock } = clients.get(REGION);
    serve(mock, { plans: [aFakePlan(1), aFakePlan(2)] });
    mock.on(GetBackupPlanCommand, { BackupPlanId: 'plan-2' }).rejects(
      Object.assign(new Error('User is not authorized to perform: backup:GetBackupPlan'), {
        name: 'AccessDeniedException',
        $fault: 'client',
      }),
    );
    const result = await new PlanCatalog({ backupClientFor: clients.backupClientFor }).plans(REGION);
    expect(result.plans.map((p) => p.planId)).toEqual(['plan-1']);
    expect(result.failures).toEqual([
      { region: REGION, what: 'backup plan plan-0002 (plan-2)', error: expect.any(Error) },
    ]);
  });

  it('a failed ListBackupPlans leaves the Region unlisted, and is asked once', async () => {
    const clients = regionClients([REGION]);
    const { mock } = clients.get(REGION);
    mock
      .on(ListBackupPlansCommand)
      .rejects(Object.assign(new Error('down'), { name: 'ServiceUnavailableException', $fault: 'server' }));
    const catalog = new PlanCatalog({ backupClientFor: clients.backupClientFor });
    const result = await catalog.plans(REGION);
    await catalog.plans(REGION);
    expect(result).toMatchObject({ listed: false, plans: [], failures: [{ what: 'backup plans (ListBackupPlans)' }] });
    expect(mock).toHaveReceivedCommandTimes(ListBackupPlansCommand, 1);
  });
});
