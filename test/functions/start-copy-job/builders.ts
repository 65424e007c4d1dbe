/** Shared builders of the copy function's tests: accounts, vault ARNs, a role, rules, planned copies, deps. */
import type { PlannedCopy } from '../../../functions/start-copy-job/decide.js';
import { copyToken } from '../../../functions/start-copy-job/decide.js';
import type { StartCopyDeps, StartCopySettings } from '../../../functions/start-copy-job/deps.js';
import { type CopyRule, parseCopyRules } from '../../../functions/start-copy-job/rules.js';
import type { StartCopyJobRequest } from '../../../shared/backup/index.js';
import { ExactlyOnce } from '../../../shared/ledger/exactly-once.js';
import { aBaseDeps } from '../../support/base-deps.js';
import type { LedgerTable } from '../../support/ledger-table.js';

export const SRC = '111122223333';
export const DR = '222233334444';
export const vault = (region: string, account: string, name: string) =>
  `arn:aws:backup:${region}:${account}:backup-vault:${name}`;
export const ROLE = `arn:aws:iam::${SRC}:role/service-role/AWSBackupDefaultServiceRole`;
export const ctx = { accountId: SRC };
export const TOPIC = `arn:aws:sns:us-east-1:${SRC}:backup-autopilot`;

/** The vaults of the routes in the sample events (`events/*.prod-ebs.json`, `*.hop-*-to-staging*.json`). */
export const PROD = vault('us-east-1', SRC, 'prod-daily');
export const LOCAL_DR = vault('us-west-2', SRC, 'local-dr');
export const STAGING = vault('eu-west-1', SRC, 'staging');
export const STAGING2 = vault('ap-southeast-2', SRC, 'staging-2');
export const DR_EU = vault('eu-west-1', DR, 'dr');
export const DR_AP = vault('ap-southeast-2', DR, 'dr-ap');
/** The recovery point of `events/backup-job.completed.prod-ebs.json`. */
/** One rule, two routes that share their first vault: [STAGING] and [DR_EU via STAGING], from `prod-*`. */
export const sharingRules = (): readonly CopyRule[] =>
  parseCopyRules(
    [
      {
        name: 'shared',
        match: { sourceVault: 'prod-*' },
        destinations: [
          { vaultArn: STAGING, iamRoleArn: ROLE },
          { vaultArn: DR_EU, via: [STAGING], iamRoleArn: ROLE },
        ],
      },
    ],
    ctx,
  );

export const RP = `arn:aws:backup:us-east-1:${SRC}:recovery-point:1EB3B5E7-9EB0-435A-A80B-108B488B0D45`;
/** Its copy in {@link STAGING} (`events/copy-job.completed.hop-1-to-staging.json`). */
export const RP_STAGING = `arn:aws:backup:eu-west-1:${SRC}:recovery-point:0B7B3AB0-5C1F-4E4C-9B1B-7E2E4A3E5A11`;
/** Its copy in {@link STAGING2} (`events/copy-job.completed.hop-2-to-staging-2.json`). */
export const RP_STAGING2 = `arn:aws:backup:ap-southeast-2:${SRC}:recovery-point:2C8C4BC1-6D20-4F5D-AC2C-8F3F5B4F6B22`;

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

/**
 * A copy planning decided to start: by default hop 1 of 1 of rule `prod-ebs`, {@link RP} from
 * prod-daily (us-east-1) into {@link LOCAL_DR}, its token as decide.ts derives it. `input` overrides
 * the StartCopyJob input (the token follows its destination unless given).
 */
export const aPlannedCopy = (
  overrides: Partial<Omit<PlannedCopy, 'input'>> = {},
  input: Partial<StartCopyJobRequest> = {},
): PlannedCopy => {
  const destinationVaultArn = overrides.destinationVaultArn ?? LOCAL_DR;
  const hop = overrides.hop ?? 1;
  const to = input.DestinationBackupVaultArn ?? destinationVaultArn;
  const from = input.RecoveryPointArn ?? RP;
  return {
    ruleName: 'prod-ebs',
    destinationVaultArn,
    hop,
    hops: 1,
    region: 'us-east-1',
    accountId: SRC,
    ...overrides,
    input: {
      RecoveryPointArn: from,
      SourceBackupVaultName: 'prod-daily',
      DestinationBackupVaultArn: to,
      IamRoleArn: ROLE,
      IdempotencyToken: copyToken(from, to, hop),
      ...input,
    },
  };
};

/** The exactly-once ledger of the copy function over a test table (TTL 90 days). */
export const copyLedger = (table: LedgerTable): ExactlyOnce =>
  new ExactlyOnce(table.documentClient, { tableName: table.tableName, ttlDays: 90 });

/** A ledger for tests whose code must never reach it: any use fails the test, naming the call. */
const noLedger = new Proxy({} as ExactlyOnce, {
  get: (_target, name) => {
    throw new Error(`this test's deps have no ledger (ledger.${String(name)})`);
  },
});

/**
 * The copy function's deps: the base deps (clients mocked by the test), a ledger (none unless
 * given), and settings with no rules, not a dry run, alerts to {@link TOPIC}, unless overridden.
 */
export const aCopyDeps = ({
  config = {},
  ...overrides
}: Partial<Omit<StartCopyDeps, 'config'>> & { config?: Partial<StartCopySettings> } = {}): StartCopyDeps => ({
  ...aBaseDeps('backup-autopilot-start-copy-job'),
  ledger: noLedger,
  config: {
    rules: [],
    dryRun: false,
    notifyTopicArn: TOPIC,
    sweep: { sweepLookbackHours: 1, sweepOverlapMinutes: 15, sweepSetAsideAfter: 3 },
    ...config,
  },
  ...overrides,
});
