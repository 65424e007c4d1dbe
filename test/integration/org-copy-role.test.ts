import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../sandbox/sandbox.js';
import { ORG, startOrg } from '../../sandbox/scenario/org.js';
import { callsAbout, HOUR, inputOf, START } from './support.js';

// Central mode, a copy rule that names no role: the copy job runs in member A (its source account),
// so it must pass a role of A. It used to pass DEFAULT_COPY_ROLE_ARN as the template sets it, the
// central account's AWSBackupDefaultServiceRole, which AWS Backup in A cannot be passed.
let sandbox: Sandbox;

beforeAll(async () => {
  const rules = [
    {
      name: 'member-a-prod-to-dr',
      match: { sourceVault: 'prod', accounts: [ORG.memberA] },
      destinations: [{ vaultArn: `arn:aws:backup:${ORG.drRegion}:${ORG.memberA}:backup-vault:dr` }],
    },
  ];
  ({ sandbox } = await startOrg(START, '1', { StartCopyJobCopyRules: JSON.stringify(rules) }));
  await sandbox.runUntil(START + 2 * HOUR);
}, 90_000);
afterAll(async () => sandbox?.close());

describe('central mode: a copy rule without iamRoleArn', () => {
  it("passes the default copy role's name in the member the copy runs in", () => {
    expect(sandbox.template.resources.StartCopyJobFunction?.properties.Environment).toMatchObject({
      Variables: { DEFAULT_COPY_ROLE_ARN: `arn:aws:iam::${ORG.central}:role/service-role/AWSBackupDefaultServiceRole` },
    });
    const starts = callsAbout(sandbox, 'StartCopyJob', ORG.memberA);
    expect(starts).toHaveLength(1);
    expect(starts[0]).toMatchObject({ account: ORG.memberA, status: 200 });
    expect(inputOf(starts[0]).IamRoleArn).toBe(
      `arn:aws:iam::${ORG.memberA}:role/service-role/AWSBackupDefaultServiceRole`,
    );
  });
});
