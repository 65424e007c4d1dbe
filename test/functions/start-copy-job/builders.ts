/** Shared builders of the copy function's tests: accounts, vault ARNs, a role, rules. */

export const SRC = '111122223333';
export const DR = '222233334444';
export const vault = (region: string, account: string, name: string) =>
  `arn:aws:backup:${region}:${account}:backup-vault:${name}`;
export const ROLE = `arn:aws:iam::${SRC}:role/service-role/AWSBackupDefaultServiceRole`;
export const ctx = { accountId: SRC };

/** The rule from issue 12, verbatim. */
export const issueExample = [
  {
    name: 'dr-eu',
    match: { sourceVault: 'prod-*', resourceTypes: ['EBS', 'RDS'], accounts: [SRC], regions: ['us-east-1'] },
    destinations: [
      {
        vaultArn: vault('eu-west-1', DR, 'dr'),
        via: [vault('eu-west-1', SRC, 'staging')],
        lifecycle: { moveToColdStorageAfterDays: 30, deleteAfterDays: 365 },
        iamRoleArn: ROLE,
      },
    ],
  },
];

export const rule = (overrides: Record<string, unknown> = {}, destination: Record<string, unknown> = {}) => ({
  name: 'r',
  match: { sourceVault: 'prod-*' },
  destinations: [{ vaultArn: vault('us-west-2', SRC, 'dr'), iamRoleArn: ROLE, ...destination }],
  ...overrides,
});
