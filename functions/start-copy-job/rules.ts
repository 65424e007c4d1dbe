import * as v from 'valibot';
import { accountOf, inAccount, regionOf, vaultNameFromArn } from '../../shared/backup/index.js';
import { ConfigError, describeValue } from '../../shared/errors.js';
import { isRecord } from '../../shared/objects.js';
import { describeIssues } from '../../shared/validate/problems.js';
import { type Report, reporter } from '../../shared/validate/report.js';
import {
  arnSchema,
  BACKUP_VAULT_ARN,
  eventAccountIdSchema,
  exactObject,
  globSchema,
  listOf,
  nonEmptyString,
  ROLE_ARN,
  regionSchema,
} from '../../shared/validate/schemas.js';

/** Which recovery points a rule copies; every field optional (absent = any). */
export interface CopyRuleMatch {
  /** Glob on the source vault name (`prod-*`); `*` spans `/` and `:`. */
  readonly sourceVault?: string;
  /** AWS Backup resource type names (`EBS`, `RDS`, ...), globs allowed; `["*"]` = any. */
  readonly resourceTypes?: readonly string[];
  /** Source account ids. */
  readonly accounts?: readonly string[];
  /** Source Regions. */
  readonly regions?: readonly string[];
}

/** Lifecycle of the copies (StartCopyJob `Lifecycle`). */
export interface CopyLifecycle {
  readonly moveToColdStorageAfterDays?: number;
  readonly deleteAfterDays?: number;
}

/** One destination of a rule and the route to it. */
export interface CopyDestination {
  /** The final destination vault. */
  readonly vaultArn: string;
  /** Intermediate vaults, in hop order (empty for a one-hop copy). */
  readonly via: readonly string[];
  readonly lifecycle?: CopyLifecycle;
  /** The role AWS Backup assumes for the copy (the destination's, or DEFAULT_COPY_ROLE_ARN). */
  readonly iamRoleArn: string;
  /**
   * The destination named no role, so `iamRoleArn` is DEFAULT_COPY_ROLE_ARN: a copy passes that
   * role's path and name in its source account ({@link copyRoleFor}), where its copy job runs.
   */
  readonly defaultRole?: true;
}

/**
 * The role a copy from `sourceAccount` passes: the destination's own (which validation keeps in the
 * source account), or the default copy role's path and name in the source account. A copy job runs
 * in the account that holds the recovery point (aws-facts.md, "Copies"), and AWS Backup can only be
 * passed a role of that account: in central mode, a member's copy with the central account's role
 * was refused. org/member.yaml lets the member role pass its account's AWSBackupDefaultServiceRole
 * and BackupRolePattern roles.
 */
export function copyRoleFor(destination: CopyDestination, sourceAccount: string): string {
  return destination.defaultRole ? inAccount(destination.iamRoleArn, sourceAccount) : destination.iamRoleArn;
}

/** A validated copy rule. */
export interface CopyRule {
  readonly name: string;
  readonly match: CopyRuleMatch;
  readonly destinations: readonly CopyDestination[];
}

/** What validation needs to know about where the function runs. */
export interface RuleContext {
  /** The account the function runs in: the source account of rules without `match.accounts`. */
  readonly accountId: string;
  /** Role for destinations without `iamRoleArn` (DEFAULT_COPY_ROLE_ARN). */
  readonly defaultRoleArn?: string;
  /**
   * The partition the function runs in (`aws`, `aws-cn`, ...): every vault and role of a rule must
   * be in it, since AWS Backup copies within a partition only. Unchecked when absent.
   */
  readonly partition?: string;
  /**
   * The Region the function runs in: where the sources of rules without `match.regions` are (a
   * backup's event reaches the rules of its own Region only). Absent: any Region.
   */
  readonly region?: string;
}

/** The hops of a destination's route: every vault a copy lands in, in order, the final one last. */
export function routeOf(destination: Pick<CopyDestination, 'via' | 'vaultArn'>): readonly string[] {
  return [...destination.via, destination.vaultArn];
}

const GLOB = /[*?]/;
/** Most rules, destinations per rule and intermediate vaults per route accepted: bounds the work on hostile input. */
const MAX_RULES = 200;
const MAX_DESTINATIONS = 20;
const MAX_VIA = 10;

const days = v.optional(
  v.pipe(
    v.number('must be a positive whole number of days'),
    v.check((n) => Number.isSafeInteger(n) && n >= 1, 'must be a positive whole number of days'),
  ),
);

const lifecycleSchema = v.pipe(
  exactObject({ moveToColdStorageAfterDays: days, deleteAfterDays: days }),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const { moveToColdStorageAfterDays: cold, deleteAfterDays: del } = dataset.value;
    // "When MoveToColdStorageAfterDays is set, DeleteAfterDays must be at least 90 days more" (API_Lifecycle).
    if (cold !== undefined && del !== undefined && del < cold + 90) {
      reporter(dataset.value, addIssue)(
        ['deleteAfterDays'],
        `must be at least 90 days after moveToColdStorageAfterDays (${cold}), so at least ${cold + 90} (got ${del})`,
      );
    }
  }),
);

const matchSchema = exactObject({
  sourceVault: v.optional(globSchema('a vault name glob')),
  resourceTypes: v.optional(listOf(globSchema('a resource type glob'), 'must be a non-empty array of strings')),
  accounts: v.optional(listOf(eventAccountIdSchema, 'must be a non-empty array of account ids')),
  regions: v.optional(listOf(regionSchema, 'must be a non-empty array of Region codes')),
});

const vaultArnSchema = arnSchema(BACKUP_VAULT_ARN);

/** A destination as parsed, before its route is checked against the rule's match. */
interface ParsedDestination extends CopyDestination {
  /** Whether the rule named the role (DEFAULT_COPY_ROLE_ARN is the deployment's, so it is not checked per rule). */
  readonly roleGiven: boolean;
}

function destinationSchema(ctx: RuleContext) {
  return v.pipe(
    exactObject({
      vaultArn: vaultArnSchema,
      via: v.optional(
        v.pipe(
          v.array(vaultArnSchema, 'must be an array of vault ARNs'),
          v.maxLength(MAX_VIA, `must hold at most ${MAX_VIA} vaults`),
        ),
      ),
      lifecycle: v.optional(lifecycleSchema),
      iamRoleArn: v.optional(arnSchema(ROLE_ARN)),
    }),
    v.rawCheck(({ dataset, addIssue }) => {
      if (!isRecord(dataset.value)) return;
      const add = reporter(dataset.value, addIssue);
      if (dataset.value.iamRoleArn === undefined && ctx.defaultRoleArn === undefined) {
        add(['iamRoleArn'], 'is required (or set DEFAULT_COPY_ROLE_ARN)');
      }
      // AWS Backup copies within one partition: a vault of aws-cn cannot be reached from aws.
      const { partition } = ctx;
      if (partition === undefined) return;
      const arns: [PropertyKey[], unknown][] = [
        [['vaultArn'], dataset.value.vaultArn],
        ...(Array.isArray(dataset.value.via) ? dataset.value.via : []).map((arn, i): [PropertyKey[], unknown] => [
          ['via', i],
          arn,
        ]),
        [['iamRoleArn'], dataset.value.iamRoleArn],
      ];
      for (const [where, arn] of arns) {
        if (typeof arn === 'string' && arn.startsWith('arn:') && arn.split(':', 3)[1] !== partition) {
          add(
            where as (string | number)[],
            `is in partition ${arn.split(':', 3)[1]}, but this function runs in ${partition}: AWS Backup copies within a partition only`,
          );
        }
      }
    }),
    v.transform(
      (d): ParsedDestination => ({
        vaultArn: d.vaultArn,
        via: d.via ?? [],
        ...(d.lifecycle ? { lifecycle: d.lifecycle } : {}),
        iamRoleArn: (d.iamRoleArn ?? ctx.defaultRoleArn) as string,
        ...(d.iamRoleArn === undefined ? { defaultRole: true as const } : {}),
        roleGiven: d.iamRoleArn !== undefined,
      }),
    ),
  );
}

function ruleSchema(ctx: RuleContext) {
  return v.pipe(
    exactObject({
      name: nonEmptyString(),
      match: v.optional(matchSchema),
      destinations: v.pipe(
        listOf(destinationSchema(ctx), 'must be a non-empty array'),
        v.maxLength(MAX_DESTINATIONS, `must hold at most ${MAX_DESTINATIONS} destinations`),
      ),
    }),
    // The checks across destinations (a repeated route), and those that need the rule's match and
    // a destination at once (route, role account), run on the parts that parsed: a malformed ARN is
    // reported once, not again as a bad route.
    v.rawCheck(({ dataset, addIssue }) => {
      const rule = dataset.value;
      if (!isRecord(rule) || !Array.isArray(rule.destinations)) return;
      const broken = new Set<unknown>();
      let matchBroken = false;
      for (const issue of dataset.issues ?? []) {
        const [first, second] = issue.path ?? [];
        if (first?.key === 'match') matchBroken = true;
        if (first?.key === 'destinations') broken.add(second?.key);
      }
      if (broken.has(undefined)) return;
      const match = (rule.match ?? {}) as CopyRuleMatch;
      const add = reporter(rule, addIssue);
      // Where each route was first given: a second destination with the same route would share the
      // first's copies (decide.ts, planCopies), its role silently ignored.
      const routes = new Map<string, number>();
      for (const [j, d] of (rule.destinations as ParsedDestination[]).entries()) {
        if (broken.has(j)) continue;
        const at: Report = (keys, message) => add(['destinations', j, ...keys], message);
        const route = routeOf(d);
        const key = route.join(' -> ');
        const first = routes.get(key);
        if (first === undefined) routes.set(key, j);
        else at([], `repeats the route of destinations[${first}] (${key}): only one copy is made per route`);
        if (matchBroken) continue;
        checkRoute(at, match, route, ctx);
        if (d.roleGiven) checkRoleAccount(at, match, d.iamRoleArn, ctx);
      }
    }),
    v.transform(
      (rule): CopyRule => ({
        name: rule.name,
        // Without match.accounts a rule copies from the account the function runs in, never from
        // any account whose events reach it (ctx.accountId is the function's, from its context).
        match: { ...rule.match, accounts: rule.match?.accounts ?? [ctx.accountId] },
        destinations: rule.destinations.map(({ roleGiven: _, ...d }) => d),
      }),
    ),
  );
}

/** COPY_RULES: a JSON array of rules with unique names, validated for a deployment (`ctx`). */
export function copyRulesSchema(ctx: RuleContext) {
  return v.pipe(
    v.array(ruleSchema(ctx), 'must be a JSON array of rules'),
    v.maxLength(MAX_RULES, `must hold at most ${MAX_RULES} rules`),
    v.rawCheck(({ dataset, addIssue }) => {
      if (!Array.isArray(dataset.value)) return;
      const names = new Map<string, number>();
      const add = reporter(dataset.value as unknown as Record<string, unknown>, addIssue);
      for (const [i, rule] of (dataset.value as unknown[]).entries()) {
        if (!isRecord(rule) || typeof rule.name !== 'string' || rule.name.trim() === '') continue;
        const first = names.get(rule.name);
        if (first === undefined) names.set(rule.name, i);
        else add([i, 'name'], `duplicate rule name ${describeValue(rule.name)} (also [${first}])`);
      }
    }),
  );
}

/**
 * Checks that AWS can run the route from this deployment. A copy job runs in the account and Region
 * of its source recovery point (aws-facts.md, "Copies"): once a hop lands in another account, only
 * that account can copy it on. So every hop but the last must stay in the rule's source account,
 * and a rule with intermediate hops must have exactly one source account.
 */
function checkRoute(add: Report, match: CopyRuleMatch, route: readonly string[], ctx: RuleContext) {
  const homes = (match.accounts ?? [ctx.accountId]).filter((a) => a !== '');
  const hops = route.length;
  if (hops > 1 && homes.length > 1) {
    add(
      ['via'],
      `a route with intermediate vaults runs from one source account; match.accounts lists ${homes.length} (${homes.join(', ')}): write one rule per account`,
    );
  }
  const home = homes[0];
  // The hop that first copies into each vault: a route that comes back to a vault copies in a circle.
  const landed = new Map<string, number>();
  for (const [i, arn] of route.entries()) {
    const previous = i === 0 ? undefined : route[i - 1];
    const where = i === hops - 1 ? ['vaultArn'] : ['via', i];
    const before = landed.get(arn);
    if (previous !== undefined && previous === arn) {
      add(where, `hop ${i + 1} copies into the vault it copies from (${arn})`);
    } else if (before !== undefined) {
      add(where, `hop ${i + 1} copies into ${arn} again (hop ${before + 1} did): a route lists each vault once`);
    }
    if (before === undefined) landed.set(arn, i);
    if (i < hops - 1 && homes.length === 1 && home !== undefined && accountOf(arn) !== home) {
      add(
        where,
        `hop ${i + 1} of ${hops} goes into account ${accountOf(arn)}, but a hop into another account than the source account ${home} must be the last: AWS runs each copy in the account that holds the recovery point, and this function cannot copy on from there`,
      );
    }
  }
  // A hop provably into the source vault: a literal vault name, in the source account(s) and in
  // the source Region(s) (match.regions, else the function's). The same name in another Region is
  // another vault: the usual cross-Region copy.
  if (match.sourceVault !== undefined && !GLOB.test(match.sourceVault)) {
    const regions = match.regions ?? (ctx.region === undefined ? undefined : [ctx.region]);
    for (const [i, arn] of route.entries()) {
      const isSource =
        vaultNameFromArn(arn) === match.sourceVault &&
        homes.includes(accountOf(arn)) &&
        (regions === undefined || regions.includes(regionOf(arn)));
      if (!isSource) continue;
      add(
        i === hops - 1 ? ['vaultArn'] : ['via', i],
        i === 0 ? `hop 1 copies into the source vault ${arn}` : `hop ${i + 1} copies back into the source vault ${arn}`,
      );
    }
  }
}

/**
 * Every hop runs in the source account (see {@link checkRoute}), and StartCopyJob passes the role
 * to AWS Backup there: a role of another account cannot be passed.
 */
function checkRoleAccount(add: Report, match: CopyRuleMatch, role: string, ctx: RuleContext) {
  const homes = (match.accounts ?? [ctx.accountId]).filter((a) => a !== '');
  const account = accountOf(role);
  // No valid source account: its problem is reported already, and a role check would only add noise.
  if (homes.length === 0) return;
  if (homes.length > 1) {
    add(
      ['iamRoleArn'],
      `one role cannot serve ${homes.length} source accounts (${homes.join(', ')}): leave iamRoleArn out so each account's copies pass the default copy role's name in that account, or write one rule per account`,
    );
  } else if (!homes.includes(account)) {
    add(
      ['iamRoleArn'],
      `must be a role in the source account ${homes[0]}, where the copy job runs (got account ${account})`,
    );
  }
}

/**
 * Validates copy rules (parsed COPY_RULES JSON) and collects every problem, each named by its JSON
 * path and the rule's name (`COPY_RULES[1] ("dr-eu").destinations[0].via[0]: ...`), in the order
 * they appear in the JSON. `rules` is empty when there is any problem.
 */
export function collectCopyRules(
  json: unknown,
  ctx: RuleContext,
  source = 'COPY_RULES',
): { rules: CopyRule[]; problems: string[] } {
  const result = v.safeParse(copyRulesSchema(ctx), json);
  const problems = [...defaultRoleProblems(ctx), ...(result.success ? [] : describeIssues(source, result.issues))];
  return result.success && problems.length === 0 ? { rules: result.output, problems } : { rules: [], problems };
}

/**
 * DEFAULT_COPY_ROLE_ARN in another partition than the function: the role of every destination
 * that names none, which StartCopyJob could not pass. Checked here, not at the cold start, since
 * the partition is the invocation context's (as for the rules' own ARNs); the template's pattern
 * takes every partition, for a stack may run in any.
 */
function defaultRoleProblems({ defaultRoleArn, partition }: RuleContext): string[] {
  const given = defaultRoleArn?.split(':', 3)[1];
  if (partition === undefined || given === undefined || given === partition) return [];
  return [
    `DEFAULT_COPY_ROLE_ARN is in partition ${given}, but this function runs in ${partition}: AWS Backup copies within a partition only (got ${describeValue(defaultRoleArn)})`,
  ];
}

/**
 * Validates copy rules once (per container) and returns them frozen, or throws a ConfigError
 * listing every problem.
 *
 * @throws ConfigError with one entry per problem, each prefixed by `source` and its JSON path
 */
export function parseCopyRules(json: unknown, ctx: RuleContext, source = 'COPY_RULES'): readonly CopyRule[] {
  const { rules, problems } = collectCopyRules(json, ctx, source);
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(rules);
}
