import { describe, expect, it } from 'vitest';
import {
  type CopyTrigger,
  copyToken,
  legacyCopyToken,
  longestLifecycle,
  planCopies,
  previousHopTokens,
  type RecoveryPointFacts,
} from '../../../functions/start-copy-job/decide.js';
import { type CopyRule, parseCopyRules } from '../../../functions/start-copy-job/rules.js';

import {
  DR,
  DR_AP,
  DR_EU,
  LOCAL_DR,
  PROD,
  ROLE,
  RP,
  RP_STAGING,
  RP_STAGING2,
  SRC,
  STAGING,
  STAGING2,
  sharingRules,
  vault,
} from './builders.js';

const rules = parseCopyRules(
  [
    {
      name: 'prod-ebs',
      match: { sourceVault: 'prod-*', resourceTypes: ['EBS', 'RDS'], regions: ['us-east-1'] },
      destinations: [
        { vaultArn: LOCAL_DR, iamRoleArn: ROLE },
        {
          vaultArn: DR_EU,
          via: [STAGING],
          lifecycle: { moveToColdStorageAfterDays: 30, deleteAfterDays: 365 },
          iamRoleArn: ROLE,
        },
        { vaultArn: DR_AP, via: [STAGING, STAGING2], lifecycle: { deleteAfterDays: 35 }, iamRoleArn: ROLE },
      ],
    },
    {
      name: 'aurora',
      match: { resourceTypes: ['Aurora'] },
      destinations: [{ vaultArn: DR_EU, via: [STAGING], iamRoleArn: ROLE }],
    },
  ],
  { accountId: SRC },
);

const source = (vaultArn: string, resourceType = 'EBS') => {
  const [, , , region = '', accountId = '', , vaultName = ''] = vaultArn.split(':');
  return { vaultArn, vaultName, region, accountId, resourceType };
};
const backupDone = (overrides: Partial<Extract<CopyTrigger, { kind: 'backup' }>> = {}): CopyTrigger => ({
  kind: 'backup',
  completed: true,
  source: source(PROD),
  recoveryPointArn: RP,
  ...overrides,
});
/** The recovery point in a copy's source vault (its hop's token names it). */
const COPIED_FROM = `arn:aws:backup:us-east-1:${SRC}:recovery-point:copied-from`;

/**
 * A completed copy from `from` into `to` that this toolkit started as every route hop of `among`
 * it could be (as the ledger would say), unless `startedAs` is given.
 */
const copyDone = (
  from: string,
  to: string,
  recoveryPointArn: string | undefined,
  resourceType = 'EBS',
  { among = rules, startedAs }: { among?: readonly CopyRule[]; startedAs?: readonly string[] } = {},
): CopyTrigger => {
  const trigger: CopyTrigger = {
    kind: 'copy',
    completed: true,
    source: source(from, resourceType),
    destinationVaultArn: to,
    recoveryPointArn,
    copyJobId: 'copy-job-1',
    sourceRecoveryPointArn: COPIED_FROM,
  };
  return {
    ...trigger,
    startedAs: new Set(startedAs ?? previousHopTokens(among, trigger).map(([token]) => token as string)),
  };
};
const warm: RecoveryPointFacts = {
  status: 'COMPLETED',
  storageClass: 'WARM',
  resourceType: 'EBS',
  resourceArn: `arn:aws:ec2:us-east-1:${SRC}:volume/vol-0123456789abcdef0`,
};

describe('planCopies: starts', () => {
  it("carries the source backup's plan rule to each planned copy, for its alert", () => {
    const origin = { planId: 'plan-1', planName: 'daily-prod', ruleName: 'nightly' };
    const plan = planCopies(rules, { trigger: backupDone({ origin }), recoveryPoint: warm });
    expect(plan.starts.length).toBeGreaterThan(0);
    for (const start of plan.starts) expect(start.origin).toEqual(origin);
  });

  it('starts hop 1 of every destination of a matching rule with the exact StartCopyJob input; routes that share a hop share its copy', () => {
    const plan = planCopies(rules, { trigger: backupDone(), recoveryPoint: warm });
    expect(plan.starts).toEqual([
      {
        ruleName: 'prod-ebs',
        destinationVaultArn: LOCAL_DR,
        hop: 1,
        hops: 1,
        region: 'us-east-1',
        accountId: SRC,
        input: {
          RecoveryPointArn: RP,
          SourceBackupVaultName: 'prod-daily',
          DestinationBackupVaultArn: LOCAL_DR,
          IamRoleArn: ROLE,
          IdempotencyToken: copyToken(RP, LOCAL_DR, 1),
        },
      },
      {
        ruleName: 'prod-ebs',
        destinationVaultArn: DR_EU,
        hop: 1,
        hops: 2,
        region: 'us-east-1',
        accountId: SRC,
        input: {
          RecoveryPointArn: RP,
          SourceBackupVaultName: 'prod-daily',
          DestinationBackupVaultArn: STAGING,
          IamRoleArn: ROLE,
          IdempotencyToken: copyToken(RP, STAGING, 1),
          // DR_EU's route (cold after 30, delete after 365) and DR_AP's (delete after 35) share this
          // copy into STAGING: it is kept as the longer asks (never cold, deleted after 365).
          Lifecycle: { DeleteAfterDays: 365 },
        },
        // The route it also serves, for the alert should AWS refuse it.
        alsoFor: [{ ruleName: 'prod-ebs', destinationVaultArn: DR_AP }],
      },
    ]);
    // DR_AP's hop 1 is the same copy into STAGING: one StartCopyJob, both routes go on from it.
    expect(plan.skips).toEqual([
      {
        reason: 'duplicate-route',
        detail: `hop 1 into ${STAGING} is also hop 1 of rule prod-ebs's route to ${DR_EU}: one copy serves both routes`,
        ruleName: 'prod-ebs',
        destinationVaultArn: DR_AP,
        hop: 1,
        hops: 3,
      },
    ]);
    expect(new Set(plan.starts.map((s) => s.input.IdempotencyToken)).size).toBe(2);
  });

  it.each([
    {
      case: 'two-hop route: hop 2 from the staging vault in eu-west-1',
      trigger: copyDone(PROD, STAGING, RP_STAGING),
      expected: [
        { dest: DR_EU, hop: 2, hops: 2, region: 'eu-west-1', from: 'staging', to: DR_EU, rp: RP_STAGING },
        { dest: DR_AP, hop: 2, hops: 3, region: 'eu-west-1', from: 'staging', to: STAGING2, rp: RP_STAGING },
      ],
    },
    {
      case: 'three-hop route: hop 3 from staging-2 in ap-southeast-2',
      trigger: copyDone(STAGING, STAGING2, RP_STAGING2),
      expected: [
        { dest: DR_AP, hop: 3, hops: 3, region: 'ap-southeast-2', from: 'staging-2', to: DR_AP, rp: RP_STAGING2 },
      ],
    },
  ])('$case', ({ trigger, expected }) => {
    const plan = planCopies(rules, { trigger, recoveryPoint: warm });
    expect(
      plan.starts.map((s) => ({
        dest: s.destinationVaultArn,
        hop: s.hop,
        hops: s.hops,
        region: s.region,
        from: s.input.SourceBackupVaultName,
        to: s.input.DestinationBackupVaultArn,
        rp: s.input.RecoveryPointArn,
      })),
    ).toEqual(expected);
    for (const s of plan.starts) {
      expect(s.input.IdempotencyToken).toBe(
        copyToken(s.input.RecoveryPointArn as string, s.input.DestinationBackupVaultArn as string, s.hop),
      );
    }
  });

  it('does not continue a route from a copy whose source the rule does not match (hop 1)', () => {
    const other = vault('us-east-1', SRC, 'test-daily');
    const plan = planCopies(rules, { trigger: copyDone(other, STAGING, RP_STAGING), recoveryPoint: warm });
    expect(plan.starts).toEqual([]);
    expect(plan.skips.map((s) => s.reason)).toEqual(['no-rule-matches']);
  });

  it('continues every rule that shares the edge, once per distinct route', () => {
    // 'aurora' and 'prod-ebs' both route PROD -> STAGING -> DR_EU; for an Aurora copy only 'aurora' matches PROD.
    const aurora = planCopies(rules, { trigger: copyDone(PROD, STAGING, RP_STAGING, 'Aurora'), recoveryPoint: warm });
    expect(aurora.starts.map((s) => [s.ruleName, s.destinationVaultArn, s.hop])).toEqual([['aurora', DR_EU, 2]]);
  });
});

describe('routeHops: a copy continues only the route hops this toolkit started it as', () => {
  const hopsOf = (among: readonly CopyRule[], trigger: CopyTrigger) =>
    planCopies(among, { trigger, recoveryPoint: warm }).starts.map((s) => [
      s.ruleName,
      s.input.DestinationBackupVaultArn,
      s.hop,
    ]);

  it("continues nothing for a copy into a route's vault that someone else made (a plan's own copy action)", () => {
    const plan = planCopies(rules, {
      trigger: copyDone(PROD, STAGING, RP_STAGING, 'EBS', { startedAs: [] }),
      recoveryPoint: warm,
    });
    expect(plan.starts).toEqual([]);
    expect(plan.skips.map((s) => [s.reason, s.detail])).toEqual([
      ['no-rule-matches', `no route this toolkit started has the hop ${PROD} -> ${STAGING} as copy job copy-job-1`],
    ]);
  });

  it('two routes whose vaults cross (X via Y, Y via X) each end at their destination: no copy goes round', () => {
    const X = vault('us-west-2', SRC, 'x');
    const Y = vault('eu-west-1', SRC, 'y');
    const crossing = parseCopyRules(
      [
        { name: 'to-x', match: { sourceVault: 'prod-*' }, destinations: [{ vaultArn: X, via: [Y], iamRoleArn: ROLE }] },
        {
          name: 'to-y',
          match: { resourceTypes: ['EBS'] },
          destinations: [{ vaultArn: Y, via: [X], iamRoleArn: ROLE }],
        },
      ],
      { accountId: SRC },
    );
    // Hop 1 of to-x landed in Y: only to-x goes on, into X.
    const intoY = copyDone(PROD, Y, RP_STAGING, 'EBS', { among: crossing });
    const hop1 = copyToken(COPIED_FROM, Y, 1);
    expect(intoY.kind === 'copy' && [...(intoY.startedAs ?? [])]).toEqual([hop1]);
    expect(hopsOf(crossing, intoY)).toEqual([['to-x', X, 2]]);
    // Hop 2 of to-x landed in X, its destination. Y -> X is also hop 1 of to-y's shape (Y is an EBS
    // vault to-y matches), but this copy was not started as that hop: the route ends there.
    const intoX = copyDone(Y, X, RP_STAGING2, 'EBS', { among: crossing, startedAs: [copyToken(COPIED_FROM, X, 2)] });
    const plan = planCopies(crossing, { trigger: intoX, recoveryPoint: warm });
    expect(plan.starts).toEqual([]);
    expect(plan.skips.map((s) => [s.reason, s.ruleName])).toEqual([['route-ended', 'to-x']]);
  });

  it('two routes through one vault ([STAGING] and [DR via STAGING]): one copy into it, and DR goes on from that copy', () => {
    const sharing = sharingRules();
    const hop1 = planCopies(sharing, {
      trigger: { ...backupDone(), recoveryPointArn: COPIED_FROM },
      recoveryPoint: warm,
    });
    expect(hop1.starts.map((s) => [s.input.DestinationBackupVaultArn, s.input.IdempotencyToken])).toEqual([
      [STAGING, copyToken(COPIED_FROM, STAGING, 1)],
    ]);
    expect(hop1.skips.map((s) => [s.reason, s.destinationVaultArn])).toEqual([['duplicate-route', DR_EU]]);
    // That copy completed: the [STAGING] route has ended there, the DR route's hop 2 starts from it.
    const intoStaging = copyDone(PROD, STAGING, RP_STAGING, 'EBS', {
      among: sharing,
      startedAs: [copyToken(COPIED_FROM, STAGING, 1)],
    });
    expect(hopsOf(sharing, intoStaging)).toEqual([['shared', DR_EU, 2]]);
    const plan = planCopies(sharing, { trigger: intoStaging, recoveryPoint: warm });
    expect(plan.skips.map((s) => [s.reason, s.destinationVaultArn])).toEqual([['route-ended', STAGING]]);
    expect(plan.starts.map((s) => [s.hop, s.input.DestinationBackupVaultArn])).toEqual([[2, DR_EU]]);
  });

  it('a copy an earlier release started under its old token (naming the final vault) continues only that route', () => {
    const sharing = sharingRules();
    const trigger = copyDone(PROD, STAGING, RP_STAGING, 'EBS', { among: sharing, startedAs: [] });
    // Per hop: its token, then the old one to read when the first has no claim.
    expect(previousHopTokens(sharing, trigger)).toEqual([
      [
        copyToken(COPIED_FROM, STAGING, 1),
        legacyCopyToken(COPIED_FROM, STAGING, STAGING, 1),
        legacyCopyToken(COPIED_FROM, STAGING, DR_EU, 1),
      ],
    ]);
    const asOldHop1OfDr = { ...trigger, startedAs: new Set([legacyCopyToken(COPIED_FROM, STAGING, DR_EU, 1)]) };
    expect(hopsOf(sharing, asOldHop1OfDr)).toEqual([['shared', DR_EU, 2]]);
    const asOldStaging = { ...trigger, startedAs: new Set([legacyCopyToken(COPIED_FROM, STAGING, STAGING, 1)]) };
    expect(hopsOf(sharing, asOldStaging)).toEqual([]);
  });

  it('names no token for a backup, or for a copy whose source recovery point is not known', () => {
    expect(previousHopTokens(rules, backupDone())).toEqual([]);
    const unknown = copyDone(PROD, STAGING, RP_STAGING);
    expect(previousHopTokens(rules, { ...unknown, sourceRecoveryPointArn: undefined } as CopyTrigger)).toEqual([]);
    expect(
      planCopies(rules, {
        trigger: { ...unknown, sourceRecoveryPointArn: undefined } as CopyTrigger,
        recoveryPoint: warm,
      }).starts,
    ).toEqual([]);
  });
});

describe('planCopies: skips', () => {
  const continuous = `arn:aws:backup:us-east-1:${SRC}:recovery-point:continuous:db-abcdefghij-1a2b3c4d`;
  it.each([
    {
      case: 'no rule matches',
      facts: { trigger: backupDone({ source: source(vault('us-east-1', SRC, 'dev')) }), recoveryPoint: warm },
      reasons: ['no-rule-matches'],
    },
    {
      case: 'backup not completed',
      facts: { trigger: backupDone({ completed: false }), recoveryPoint: warm },
      reasons: ['previous-hop-not-completed'],
    },
    {
      case: 'copy without a destination recovery point ({} in the event)',
      facts: { trigger: copyDone(PROD, STAGING, undefined) },
      reasons: ['previous-hop-not-completed', 'previous-hop-not-completed'],
    },
    {
      case: 'recovery point not AVAILABLE/COMPLETED',
      facts: { trigger: backupDone(), recoveryPoint: { ...warm, status: 'PARTIAL' } },
      reasons: ['recovery-point-not-usable', 'recovery-point-not-usable', 'recovery-point-not-usable'],
    },
    {
      case: 'continuous backup',
      facts: { trigger: backupDone({ recoveryPointArn: continuous }) },
      reasons: ['continuous-backup', 'continuous-backup', 'continuous-backup'],
    },
    {
      case: 'cold tier',
      facts: { trigger: backupDone(), recoveryPoint: { ...warm, storageClass: 'COLD' } },
      reasons: ['cold-or-archive-tier', 'cold-or-archive-tier', 'cold-or-archive-tier'],
    },
    {
      case: 'Multi-AZ DB cluster snapshot',
      facts: {
        trigger: backupDone({ source: source(PROD, 'RDS') }),
        recoveryPoint: { ...warm, resourceType: 'RDS', resourceArn: `arn:aws:rds:us-east-1:${SRC}:cluster:orders` },
      },
      reasons: ['multi-az-db-cluster-snapshot', 'multi-az-db-cluster-snapshot', 'multi-az-db-cluster-snapshot'],
    },
    {
      case: 'member of a composite recovery point',
      facts: { trigger: backupDone(), recoveryPoint: { ...warm, parentRecoveryPointArn: RP_STAGING } },
      reasons: ['composite-member', 'composite-member', 'composite-member'],
    },
    {
      case: 'route ended at the final destination',
      facts: {
        trigger: copyDone(STAGING, DR_EU, `arn:aws:backup:eu-west-1:${DR}:recovery-point:X`),
        recoveryPoint: warm,
      },
      reasons: ['route-ended', 'route-ended'],
    },
    {
      case: 'one-hop route ended',
      facts: {
        trigger: copyDone(PROD, LOCAL_DR, `arn:aws:backup:us-west-2:${SRC}:recovery-point:Y`),
        recoveryPoint: warm,
      },
      reasons: ['route-ended'],
    },
    {
      case: 'a copy that is no hop of any route',
      facts: {
        trigger: copyDone(STAGING, LOCAL_DR, `arn:aws:backup:us-west-2:${SRC}:recovery-point:Z`),
        recoveryPoint: warm,
      },
      reasons: ['no-rule-matches'],
    },
  ])('$case', ({ facts, reasons }) => {
    const plan = planCopies(rules, facts);
    expect(plan.starts).toEqual([]);
    expect(plan.skips.map((s) => s.reason)).toEqual(reasons);
  });

  it('names rule, destination and hop on each route-level skip', () => {
    const plan = planCopies(rules, { trigger: backupDone(), recoveryPoint: { ...warm, storageClass: 'COLD' } });
    expect(plan.skips.map((s) => [s.ruleName, s.destinationVaultArn, s.hop, s.hops])).toEqual([
      ['prod-ebs', LOCAL_DR, 1, 1],
      ['prod-ebs', DR_EU, 1, 2],
      ['prod-ebs', DR_AP, 1, 3],
    ]);
  });

  it('skips a destination that is the source vault itself (glob match), and a route another rule already copies', () => {
    const overlapping = parseCopyRules(
      [
        { name: 'first', match: { sourceVault: '*' }, destinations: [{ vaultArn: LOCAL_DR, iamRoleArn: ROLE }] },
        { name: 'second', match: { sourceVault: 'prod-*' }, destinations: [{ vaultArn: LOCAL_DR, iamRoleArn: ROLE }] },
      ],
      { accountId: SRC },
    );
    const intoItself = planCopies(overlapping, {
      trigger: backupDone({ source: source(LOCAL_DR) }),
      recoveryPoint: warm,
    });
    expect(intoItself.skips.map((s) => s.reason)).toEqual(['destination-is-source']);
    const both = planCopies(overlapping, { trigger: backupDone(), recoveryPoint: warm });
    expect(both.starts.map((s) => s.ruleName)).toEqual(['first']);
    expect(both.skips.map((s) => [s.reason, s.ruleName])).toEqual([['duplicate-route', 'second']]);
  });

  it('accepts the AVAILABLE status and a recovery point without storage class', () => {
    const plan = planCopies(rules, { trigger: backupDone(), recoveryPoint: { status: 'AVAILABLE' } });
    // LOCAL_DR, and the copy into STAGING that the DR_EU and DR_AP routes share.
    expect(plan.starts).toHaveLength(2);
  });
});

describe('longestLifecycle', () => {
  it.each([
    { name: 'one route', given: [{ deleteAfterDays: 35 }], kept: { deleteAfterDays: 35 } },
    {
      name: 'the later of each',
      given: [
        { moveToColdStorageAfterDays: 30, deleteAfterDays: 365 },
        { moveToColdStorageAfterDays: 60, deleteAfterDays: 180 },
      ],
      kept: { moveToColdStorageAfterDays: 60, deleteAfterDays: 365 },
    },
    {
      name: 'a route that never moves it to cold storage keeps it warm',
      given: [{ moveToColdStorageAfterDays: 30, deleteAfterDays: 365 }, { deleteAfterDays: 35 }],
      kept: { deleteAfterDays: 365 },
    },
    {
      name: 'a route without lifecycle keeps it for ever',
      given: [{ deleteAfterDays: 35 }, undefined],
      kept: undefined,
    },
  ])('$name', ({ given, kept }) => {
    expect(longestLifecycle(given)).toEqual(kept);
  });
});
