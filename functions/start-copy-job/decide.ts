import {
  accountOf,
  idempotencyToken,
  isContinuousRecoveryPointArn,
  isRecoveryPointUsable,
  type JobOrigin,
  parseArn,
  regionOf,
  type StartCopyJobRequest,
  vaultNameFromArn,
} from '../../shared/backup/index.js';
import { type CopySource, ruleMatches } from './matching.js';
import { type CopyDestination, type CopyLifecycle, type CopyRule, copyRoleFor, routeOf } from './rules.js';

/** Why a copy was not started; one metric and one log line per skip. */
export const SKIP_REASONS = [
  'out-of-scope',
  'no-rule-matches',
  'previous-hop-not-completed',
  'recovery-point-not-usable',
  'continuous-backup',
  'cold-or-archive-tier',
  'multi-az-db-cluster-snapshot',
  'composite-member',
  'destination-is-source',
  'duplicate-route',
  'route-ended',
] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

/** A copy not started, and why. Rule, destination and hop are set when the skip concerns one route. */
export interface Skip {
  readonly reason: SkipReason;
  readonly detail: string;
  readonly ruleName?: string;
  readonly destinationVaultArn?: string;
  readonly hop?: number;
  readonly hops?: number;
}

/** What triggered planning: a backup or a copy that completed, normalized from its event. */
export type CopyTrigger =
  | {
      readonly kind: 'backup';
      /** The backup job reached COMPLETED. */
      readonly completed: boolean;
      /** The vault the backup wrote to. */
      readonly source: CopySource & { readonly vaultArn: string };
      /** The new recovery point (event `resources[0]`, or DescribeBackupJob). */
      readonly recoveryPointArn: string | undefined;
      /** The plan rule that made the backup, as far as the event or a record read anyway names it (alerts only). */
      readonly origin?: JobOrigin;
    }
  | {
      readonly kind: 'copy';
      readonly completed: boolean;
      /** The vault the copy was made from (its hop-1 rule match uses this). */
      readonly source: CopySource & { readonly vaultArn: string };
      /** The vault the copy landed in. */
      readonly destinationVaultArn: string;
      /** The copy's recovery point in `destinationVaultArn`: the next hop copies this. */
      readonly recoveryPointArn: string | undefined;
      /** The copy job. */
      readonly copyJobId?: string;
      /** The recovery point the copy was made from (in `source.vaultArn`): its hop's token names it. */
      readonly sourceRecoveryPointArn?: string;
      /**
       * The tokens of the route hops this very copy job was started as, by this toolkit's claims
       * (read from the ledger: {@link previousHopTokens}, then the claim items naming this copy job
       * id). Only those routes continue: a copy made by anyone else into a route's vault (a plan's
       * own copy action, a person, another route whose vaults cross this one) continues none.
       */
      readonly startedAs?: ReadonlySet<string>;
      /** The plan rule named by the copy's record, when one was read anyway (alerts only). */
      readonly origin?: JobOrigin;
    };

/** DescribeRecoveryPoint's answer, as far as copying cares. */
export interface RecoveryPointFacts {
  readonly status?: string;
  /** `WARM`, `COLD` or `DELETED`: only WARM can be copied (recov-point-create-a-copy). */
  readonly storageClass?: string;
  readonly resourceType?: string;
  readonly resourceArn?: string;
  /**
   * Set on the members of a composite recovery point. A parent (IsParent) is copied like any other
   * recovery point: StartCopyJob on the parent copies its members too.
   */
  readonly parentRecoveryPointArn?: string;
}

/** Everything planning decides from; gathered by the caller, so planning is pure. */
export interface PlanFacts {
  readonly trigger: CopyTrigger;
  /** The recovery point the copies would start from; undefined when not described (nothing to copy). */
  readonly recoveryPoint?: RecoveryPointFacts;
}

/** One hop of one route that the trigger makes due. */
export interface RouteHop {
  readonly rule: CopyRule;
  readonly destination: CopyDestination;
  /** 1-based hop to start now. */
  readonly hop: number;
  readonly hops: number;
  /** The vault that holds the recovery point this hop copies. */
  readonly fromVaultArn: string;
  /** The vault this hop copies into. */
  readonly toVaultArn: string;
}

/** A copy to start now. */
export interface PlannedCopy {
  readonly ruleName: string;
  /** The route's final destination vault. */
  readonly destinationVaultArn: string;
  readonly hop: number;
  readonly hops: number;
  /** Region (and account) the copy job runs in: those of the vault holding the source recovery point. */
  readonly region: string;
  readonly accountId: string;
  /** The exact StartCopyJob input, idempotency token included. */
  readonly input: StartCopyJobRequest;
  /** The AWS Backup plan rule that made the source backup, when known without an extra call (alerts name it). */
  readonly origin?: JobOrigin;
  /**
   * The other routes this one copy serves (they share the hop: same recovery point, vault and hop
   * number): a refusal blocks them too, so its alert names them.
   */
  readonly alsoFor?: readonly SharedRoute[];
}

/** A route that shares another's copy: its rule and final vault. */
export interface SharedRoute {
  readonly ruleName: string;
  readonly destinationVaultArn: string;
}

/** What to do for one trigger. */
export interface CopyPlan {
  readonly starts: readonly PlannedCopy[];
  readonly skips: readonly Skip[];
}

function skipOf(h: RouteHop, reason: SkipReason, detail: string): Skip {
  return {
    reason,
    detail,
    ruleName: h.rule.name,
    destinationVaultArn: h.destination.vaultArn,
    hop: h.hop,
    hops: h.hops,
  };
}

/** A route hop a completed copy from vault A into vault B could be: the edge A → B as hop `hop` of one destination's route. */
interface CopyEdge {
  readonly rule: CopyRule;
  readonly destination: CopyDestination;
  readonly route: readonly string[];
  /** The index in `route` of B. */
  readonly index: number;
}

function edgesOf(rules: readonly CopyRule[], trigger: Extract<CopyTrigger, { kind: 'copy' }>): CopyEdge[] {
  return rules.flatMap((rule) =>
    rule.destinations.flatMap((destination) => {
      const route = routeOf(destination);
      return [...route.entries()].flatMap(([index, vault]) => {
        if (vault !== trigger.destinationVaultArn) return [];
        const previous = index === 0 ? trigger.source.vaultArn : route[index - 1];
        if (previous !== trigger.source.vaultArn) return [];
        if (index === 0 && !ruleMatches(rule, trigger.source)) return [];
        return [{ rule, destination, route, index }];
      });
    }),
  );
}

/**
 * The tokens the hop of `edge` may have been started with (by {@link planCopies}), if it was this
 * toolkit's: its token, then the token an earlier release gave it ({@link legacyCopyToken}).
 */
function edgeTokens(edge: CopyEdge, sourceRecoveryPointArn: string): readonly [string, string] {
  const to = edge.route[edge.index] as string;
  return [
    copyToken(sourceRecoveryPointArn, to, edge.index + 1),
    legacyCopyToken(sourceRecoveryPointArn, to, edge.destination.vaultArn, edge.index + 1),
  ];
}

/**
 * The tokens a completed copy job would have been started with, were it a hop of one of the rules'
 * routes: the caller reads their claim items to learn which routes this copy job really is
 * ({@link CopyTrigger} `startedAs`). One group per hop: its token first, then the token an earlier
 * release started it with, to read only when the first has no claim. Empty for a backup, or a copy
 * whose source is not known.
 */
export function previousHopTokens(rules: readonly CopyRule[], trigger: CopyTrigger): (readonly string[])[] {
  if (trigger.kind !== 'copy' || trigger.sourceRecoveryPointArn === undefined) return [];
  const source = trigger.sourceRecoveryPointArn;
  const groups = new Map<string, Set<string>>();
  for (const [token, legacy] of edgesOf(rules, trigger).map((edge) => edgeTokens(edge, source))) {
    const group = groups.get(token) ?? new Set([token]);
    group.add(legacy);
    groups.set(token, group);
  }
  return [...groups.values()].map((group) => [...group]);
}

/**
 * The route hops a trigger makes due:
 * - a completed backup starts hop 1 of every destination of every matching rule;
 * - a completed copy from vault A into vault B continues every route that has the edge A → B as
 *   hop k (for k = 1 the rule must also match A as a source) and that this copy job was started as
 *   (`startedAs`): hop k + 1 starts from B. When B is a route's final vault, that route has ended.
 *   Without the second condition, two routes whose vaults cross (X via Y, Y via X) copied forever,
 *   and two routes through one vault each continued both copies into it.
 */
export function routeHops(
  rules: readonly CopyRule[],
  trigger: CopyTrigger,
): { readonly hops: readonly RouteHop[]; readonly skips: readonly Skip[] } {
  const hops: RouteHop[] = [];
  const skips: Skip[] = [];
  if (trigger.kind === 'backup') {
    for (const rule of rules) {
      if (!ruleMatches(rule, trigger.source)) continue;
      for (const destination of rule.destinations) {
        const route = routeOf(destination);
        hops.push({
          rule,
          destination,
          hop: 1,
          hops: route.length,
          fromVaultArn: trigger.source.vaultArn,
          toVaultArn: route[0] as string,
        });
      }
    }
  } else {
    const source = trigger.sourceRecoveryPointArn;
    for (const edge of edgesOf(rules, trigger)) {
      if (source === undefined || !edgeTokens(edge, source).some((token) => trigger.startedAs?.has(token))) continue;
      const { rule, destination, route, index } = edge;
      const vault = route[index] as string;
      const next = route[index + 1];
      const h: RouteHop = {
        rule,
        destination,
        hop: index + 2,
        hops: route.length,
        fromVaultArn: vault,
        toVaultArn: next ?? vault,
      };
      if (next === undefined) {
        skips.push({
          ...skipOf(h, 'route-ended', `hop ${index + 1} of ${route.length} reached the final destination`),
          hop: index + 1,
        });
      } else hops.push(h);
    }
  }
  if (hops.length === 0 && skips.length === 0) {
    skips.push({
      reason: 'no-rule-matches',
      detail:
        trigger.kind === 'backup'
          ? `no rule matches vault ${trigger.source.vaultName}, type ${trigger.source.resourceType ?? 'unknown'}, account ${trigger.source.accountId}, Region ${trigger.source.region}`
          : `no route this toolkit started has the hop ${trigger.source.vaultArn} -> ${trigger.destinationVaultArn} as copy job ${trigger.copyJobId ?? '(no id)'}`,
    });
  }
  return { hops, skips };
}

/**
 * Multi-AZ DB cluster snapshots cannot be copied (recov-point-create-a-copy). AWS Backup names
 * their type `RDS` (Aurora clusters are `Aurora`, DocumentDB `DocumentDB`, Neptune `Neptune`) while
 * the resource is an RDS `cluster:`: that combination is a Multi-AZ DB cluster.
 */
function isMultiAzDbCluster(rp: RecoveryPointFacts): boolean {
  if (rp.resourceType !== 'RDS' || rp.resourceArn === undefined) return false;
  try {
    const { service, resource } = parseArn(rp.resourceArn);
    return service === 'rds' && resource.startsWith('cluster:');
  } catch {
    return false;
  }
}

/** The reason no hop can start from this recovery point, or undefined when it can be copied. */
function recoveryPointProblem(
  arn: string,
  rp: RecoveryPointFacts | undefined,
): { reason: SkipReason; detail: string } | undefined {
  // StartCopyJob does not support continuous backups (point-in-time-recovery-copying); the ARN form is the only sign.
  if (isContinuousRecoveryPointArn(arn)) {
    return { reason: 'continuous-backup', detail: `${arn} is a continuous backup, which StartCopyJob cannot copy` };
  }
  if (rp === undefined || !isRecoveryPointUsable(rp.status)) {
    return {
      reason: 'recovery-point-not-usable',
      detail: `${arn} has status ${rp?.status ?? 'unknown'}, not AVAILABLE or COMPLETED`,
    };
  }
  if (rp.storageClass !== undefined && rp.storageClass !== 'WARM') {
    return {
      reason: 'cold-or-archive-tier',
      detail: `${arn} is in storage class ${rp.storageClass}; only warm recovery points can be copied`,
    };
  }
  if (isMultiAzDbCluster(rp)) {
    return {
      reason: 'multi-az-db-cluster-snapshot',
      detail: `${arn} is a Multi-AZ DB cluster snapshot, which AWS Backup cannot copy`,
    };
  }
  // A composite recovery point is copied as a whole from its parent, which copies its members;
  // copying a member too would copy it twice.
  if (rp.parentRecoveryPointArn !== undefined) {
    return {
      reason: 'composite-member',
      detail: `${arn} is a member of composite recovery point ${rp.parentRecoveryPointArn}, which is copied as a whole`,
    };
  }
  return undefined;
}

/**
 * The idempotency token of one hop: derived from this hop's source recovery point, the vault it
 * copies into and the hop number. It uses THIS hop's source (not hop 1's) because a copy event only
 * carries the recovery points it copied from and made; so the same event always yields the same
 * token, in any container, and a completed copy's own hop token can be derived again from its event
 * ({@link previousHopTokens}) to find its claim in the ledger. It does not name the route's final
 * vault: routes that share their first hops (`[STAGING]` and `[DR via STAGING]`) share those copies,
 * one copy into STAGING that both routes continue from. The hop number stays in it: in two routes
 * whose vaults cross (X via Y, Y via X), the copy Y -> X is hop 2 of the one and would be hop 1 of
 * the other, and only the hop it was started as may continue.
 */
export function copyToken(sourceRecoveryPointArn: string, toVaultArn: string, hop: number) {
  return idempotencyToken('copy-hop', sourceRecoveryPointArn, toVaultArn, hop);
}

/**
 * The token releases before route sharing gave a hop: it also named the route's final vault, so two
 * routes through one vault each made their own copy into it. Read only to continue a route whose hop
 * such a release started (a claim lives LEDGER_TTL_DAYS); nothing is started with it.
 */
export function legacyCopyToken(
  sourceRecoveryPointArn: string,
  toVaultArn: string,
  finalVaultArn: string,
  hop: number,
) {
  return idempotencyToken('copy', sourceRecoveryPointArn, toVaultArn, finalVaultArn, hop);
}

/**
 * The lifecycle of one copy made for several routes (they share the hop): each field as the route
 * that keeps the copy longest asks, so no route's copy is moved to cold storage or deleted sooner
 * than its destination says. An absent field (never move, never delete) keeps longest.
 */
export function longestLifecycle(lifecycles: readonly (CopyLifecycle | undefined)[]): CopyLifecycle | undefined {
  const longest = (pick: (l: CopyLifecycle) => number | undefined): number | undefined => {
    let days = 0;
    for (const lifecycle of lifecycles) {
      const value = lifecycle === undefined ? undefined : pick(lifecycle);
      if (value === undefined) return undefined;
      days = Math.max(days, value);
    }
    return days;
  };
  const moveToColdStorageAfterDays = longest((l) => l.moveToColdStorageAfterDays);
  const deleteAfterDays = longest((l) => l.deleteAfterDays);
  if (moveToColdStorageAfterDays === undefined && deleteAfterDays === undefined) return undefined;
  return {
    ...(moveToColdStorageAfterDays !== undefined ? { moveToColdStorageAfterDays } : {}),
    ...(deleteAfterDays !== undefined ? { deleteAfterDays } : {}),
  };
}

/**
 * Plans the copies one completed backup or copy makes due: the exact StartCopyJob input of each,
 * or a skip with its reason. Pure: the caller describes the recovery point first.
 */
export function planCopies(rules: readonly CopyRule[], facts: PlanFacts): CopyPlan {
  const { trigger } = facts;
  if (!trigger.completed) {
    return {
      starts: [],
      skips: [
        {
          reason: 'previous-hop-not-completed',
          detail: `the ${trigger.kind} job did not complete, so there is nothing to copy yet`,
        },
      ],
    };
  }
  const due = routeHops(rules, trigger);
  const skips: Skip[] = [...due.skips];
  const starts: PlannedCopy[] = [];
  if (due.hops.length === 0) return { starts, skips };
  const arn = trigger.recoveryPointArn;
  if (arn === undefined) {
    for (const h of due.hops) {
      skips.push(
        skipOf(h, 'previous-hop-not-completed', `the ${trigger.kind} job reported no recovery point to copy from`),
      );
    }
    return { starts, skips };
  }
  const problem = recoveryPointProblem(arn, facts.recoveryPoint);
  // Hops that copy this recovery point into one vault as the same hop number are one copy (their
  // token is one): the first route's rule, role and hop count, and the longest lifecycle of them all.
  const byToken = new Map<string, RouteHop[]>();
  for (const h of due.hops) {
    if (problem) {
      skips.push(skipOf(h, problem.reason, problem.detail));
      continue;
    }
    if (h.fromVaultArn === h.toVaultArn) {
      skips.push(skipOf(h, 'destination-is-source', `hop ${h.hop} would copy ${h.fromVaultArn} into itself`));
      continue;
    }
    const token = copyToken(arn, h.toVaultArn, h.hop);
    const shared = byToken.get(token);
    if (shared === undefined) {
      byToken.set(token, [h]);
      continue;
    }
    shared.push(h);
    const first = shared[0] as RouteHop;
    skips.push(
      skipOf(
        h,
        'duplicate-route',
        `hop ${h.hop} into ${h.toVaultArn} is also hop ${first.hop} of rule ${first.rule.name}'s route to ${first.destination.vaultArn}: one copy serves both routes`,
      ),
    );
  }
  for (const [token, shared] of byToken) {
    const h = shared[0] as RouteHop;
    const lifecycle = longestLifecycle(shared.map((s) => s.destination.lifecycle));
    const alsoFor = shared
      .slice(1)
      .map((s) => ({ ruleName: s.rule.name, destinationVaultArn: s.destination.vaultArn }));
    starts.push({
      ruleName: h.rule.name,
      destinationVaultArn: h.destination.vaultArn,
      hop: h.hop,
      hops: h.hops,
      region: regionOf(h.fromVaultArn),
      accountId: accountOf(h.fromVaultArn),
      input: {
        RecoveryPointArn: arn,
        SourceBackupVaultName: vaultNameFromArn(h.fromVaultArn),
        DestinationBackupVaultArn: h.toVaultArn,
        IamRoleArn: copyRoleFor(h.destination, accountOf(h.fromVaultArn)),
        IdempotencyToken: token,
        ...(lifecycle
          ? {
              Lifecycle: {
                ...(lifecycle.moveToColdStorageAfterDays !== undefined
                  ? { MoveToColdStorageAfterDays: lifecycle.moveToColdStorageAfterDays }
                  : {}),
                ...(lifecycle.deleteAfterDays !== undefined ? { DeleteAfterDays: lifecycle.deleteAfterDays } : {}),
              },
            }
          : {}),
      },
      ...(facts.trigger.origin ? { origin: facts.trigger.origin } : {}),
      ...(alsoFor.length > 0 ? { alsoFor } : {}),
    });
  }
  return { starts, skips };
}
