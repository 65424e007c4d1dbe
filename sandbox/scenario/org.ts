/**
 * The organization scenario (`npm start -- --org`, test/integration/org.test.ts): a central account
 * running backup-autopilot in central mode, and members A, B and C with the member role and the
 * forwarding rule of org/member.yaml. Member B's backup fails with a retryable error and is retried
 * in B with B's role; member A's backup completes and its copy starts from A; member C has no job
 * at all, the silent miss the organization summary is there to flag.
 */
import { Sandbox, type SandboxOptions } from '../sandbox.js';

export const ORG = {
  id: 'o-a1b2c3d4e5',
  central: '111122223333',
  memberA: '444455556666',
  memberB: '777788889999',
  memberC: '222233334444',
  region: 'us-east-1',
  /** The Region member A's copy rule copies into. */
  drRegion: 'us-west-2',
} as const;

/** AWS Backup's retryable internal-error wording (shared/diagnosis: `internal-error`, retried). */
const RETRYABLE = 'An internal error occurred. Please try again later.';

/** Member A's vault `prod` is copied to its own vault `dr` in us-west-2 (the copy runs in A: its source account). */
const copyRules = () => [
  {
    name: 'member-a-prod-to-dr',
    match: { sourceVault: 'prod', accounts: [ORG.memberA] },
    destinations: [
      {
        vaultArn: `arn:aws:backup:${ORG.drRegion}:${ORG.memberA}:backup-vault:dr`,
        iamRoleArn: `arn:aws:iam::${ORG.memberA}:role/service-role/AWSBackupDefaultServiceRole`,
        lifecycle: { deleteAfterDays: 35 },
      },
    ],
  },
];

/**
 * The sandbox of the scenario: central mode, the organization summary, A's copy rule, and any
 * other template Parameter values `parameters` gives.
 */
export const orgSandboxOptions = (
  start: number,
  seed = '1',
  parameters: Readonly<Record<string, string>> = {},
): SandboxOptions => ({
  start,
  seed,
  account: ORG.central,
  region: ORG.region,
  organization: { id: ORG.id, members: [ORG.memberA, ORG.memberB, ORG.memberC] },
  parameterOverrides: {
    StartCopyJobCopyRules: JSON.stringify(copyRules()),
    PostSummaryScope: 'organization',
    PostSummaryChannels: 'sns,json',
    ...parameters,
  },
  maxContainers: 2,
});

/** What the scenario seeded, for the checks. */
export interface OrgSeeded {
  readonly failedInB: { readonly jobId: string; readonly resourceArn: string };
  readonly completedInA: { readonly jobId: string; readonly resourceArn: string };
}

/** Seeds the members' vaults, resources and jobs: B's fails a minute from now, A's completes in 5 minutes. */
export const seedOrg = (sandbox: Sandbox): OrgSeeded => {
  const { store, outcomes } = sandbox.backup;
  const { region } = ORG;
  for (const account of [ORG.memberA, ORG.memberB, ORG.memberC]) store.addVault({ account, region, name: 'prod' });
  store.addVault({ account: ORG.memberA, region: ORG.drRegion, name: 'dr' });

  const volumeB = `arn:aws:ec2:${region}:${ORG.memberB}:volume/vol-0b0000000000000b1`;
  store.addResource({ account: ORG.memberB, region, arn: volumeB, resourceType: 'EBS' });
  const failed = store.createBackupJob({
    account: ORG.memberB,
    region,
    resourceArn: volumeB,
    vaultName: 'prod',
    outcome: { state: 'FAILED', statusMessage: RETRYABLE },
  });
  outcomes.forResource(volumeB, { state: 'COMPLETED' });

  const volumeA = `arn:aws:ec2:${region}:${ORG.memberA}:volume/vol-0a0000000000000a1`;
  store.addResource({ account: ORG.memberA, region, arn: volumeA, resourceType: 'EBS' });
  const completed = store.createBackupJob({
    account: ORG.memberA,
    region,
    resourceArn: volumeA,
    vaultName: 'prod',
    outcome: { state: 'COMPLETED', runMinutes: 5 },
  });
  return {
    failedInB: { jobId: completedId(failed.job.BackupJobId), resourceArn: volumeB },
    completedInA: { jobId: completedId(completed.job.BackupJobId), resourceArn: volumeA },
  };
};

const completedId = (id: string | undefined): string => {
  if (!id) throw new Error('the Backup stand-in made a job without an id');
  return id;
};

/** The scenario's sandbox, seeded. The caller plays it (runUntil) and closes it. */
export const startOrg = async (
  start: number,
  seed = '1',
  parameters: Readonly<Record<string, string>> = {},
): Promise<{ sandbox: Sandbox; seeded: OrgSeeded }> => {
  const sandbox = await Sandbox.start(orgSandboxOptions(start, seed, parameters));
  try {
    return { sandbox, seeded: seedOrg(sandbox) };
  } catch (error) {
    await sandbox.close();
    throw error;
  }
};
