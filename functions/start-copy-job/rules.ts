import { accountOf, parseArn, regionOf, vaultNameFromArn } from '../../shared/backup/index.js';
import { ConfigError, describeValue } from '../../shared/errors.js';
import { isRecord } from '../../shared/objects.js';

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
}

/** The hops of a destination's route: every vault a copy lands in, in order, the final one last. */
export const routeOf = (destination: Pick<CopyDestination, 'via' | 'vaultArn'>): readonly string[] => [
  ...destination.via,
  destination.vaultArn,
];

const RULE_KEYS = ['name', 'match', 'destinations'];
const MATCH_KEYS = ['sourceVault', 'resourceTypes', 'accounts', 'regions'];
const DESTINATION_KEYS = ['vaultArn', 'via', 'lifecycle', 'iamRoleArn'];
const LIFECYCLE_KEYS = ['moveToColdStorageAfterDays', 'deleteAfterDays'];
const ACCOUNT = /^\d{12,13}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const GLOB = /[*?]/;

/** Collects problems with a JSON path prefix, so one message names exactly where each one is. */
class Problems {
  readonly list: string[] = [];
  add(path: string, message: string): void {
    this.list.push(`${path}: ${message}`);
  }
  unknownKeys(path: string, value: Record<string, unknown>, allowed: readonly string[]): void {
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) this.add(path, `unknown key ${describeValue(key)} (allowed: ${allowed.join(', ')})`);
    }
  }
}

const stringList = (p: Problems, path: string, value: unknown, check?: (s: string) => string | undefined) => {
  if (!Array.isArray(value) || value.length === 0) {
    p.add(path, `must be a non-empty array of strings (got ${describeValue(value)})`);
    return undefined;
  }
  const out: string[] = [];
  for (const [i, item] of value.entries()) {
    if (typeof item !== 'string' || item.trim() === '') {
      p.add(`${path}[${i}]`, `must be a non-empty string (got ${describeValue(item)})`);
      continue;
    }
    const problem = check?.(item);
    if (problem) p.add(`${path}[${i}]`, problem);
    else out.push(item);
  }
  return out;
};

const vaultArnProblem = (arn: unknown): string | undefined => {
  try {
    vaultNameFromArn(arn as string);
    return undefined;
  } catch {
    return `must be a backup vault ARN arn:aws:backup:<region>:<account>:backup-vault:<name> (got ${describeValue(arn)})`;
  }
};

const roleArnProblem = (arn: unknown): string | undefined => {
  try {
    const parsed = parseArn(arn);
    if (parsed.service === 'iam' && parsed.resource.startsWith('role/') && ACCOUNT.test(parsed.accountId)) {
      return undefined;
    }
  } catch {
    // reported below
  }
  return `must be an IAM role ARN arn:aws:iam::<account>:role/<name> (got ${describeValue(arn)})`;
};

const days = (p: Problems, path: string, value: unknown): number | undefined => {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    p.add(path, `must be a positive whole number of days (got ${describeValue(value)})`);
    return undefined;
  }
  return value;
};

const parseMatch = (p: Problems, path: string, value: unknown): CopyRuleMatch => {
  if (value === undefined) return {};
  if (!isRecord(value)) {
    p.add(path, `must be an object (got ${describeValue(value)})`);
    return {};
  }
  p.unknownKeys(path, value, MATCH_KEYS);
  const match: {
    sourceVault?: string;
    resourceTypes?: string[];
    accounts?: string[];
    regions?: string[];
  } = {};
  if (value.sourceVault !== undefined) {
    if (typeof value.sourceVault !== 'string' || value.sourceVault.trim() === '') {
      p.add(`${path}.sourceVault`, `must be a non-empty string (got ${describeValue(value.sourceVault)})`);
    } else match.sourceVault = value.sourceVault;
  }
  if (value.resourceTypes !== undefined)
    match.resourceTypes = stringList(p, `${path}.resourceTypes`, value.resourceTypes);
  if (value.accounts !== undefined) {
    match.accounts = stringList(p, `${path}.accounts`, value.accounts, (a) =>
      ACCOUNT.test(a) ? undefined : `must be an account id of 12 digits (got ${describeValue(a)})`,
    );
  }
  if (value.regions !== undefined) {
    match.regions = stringList(p, `${path}.regions`, value.regions, (r) =>
      REGION.test(r) ? undefined : `must be a Region code such as us-east-1 (got ${describeValue(r)})`,
    );
  }
  return match;
};

const parseLifecycle = (p: Problems, path: string, value: unknown): CopyLifecycle | undefined => {
  if (value === undefined) return undefined;
  if (!isRecord(value)) {
    p.add(path, `must be an object (got ${describeValue(value)})`);
    return undefined;
  }
  p.unknownKeys(path, value, LIFECYCLE_KEYS);
  const cold = days(p, `${path}.moveToColdStorageAfterDays`, value.moveToColdStorageAfterDays);
  const del = days(p, `${path}.deleteAfterDays`, value.deleteAfterDays);
  // "When MoveToColdStorageAfterDays is set, DeleteAfterDays must be at least 90 days more" (API_Lifecycle).
  if (cold !== undefined && del !== undefined && del < cold + 90) {
    p.add(
      `${path}.deleteAfterDays`,
      `must be at least 90 days after moveToColdStorageAfterDays (${cold}), so at least ${cold + 90} (got ${del})`,
    );
  }
  return {
    ...(cold !== undefined ? { moveToColdStorageAfterDays: cold } : {}),
    ...(del !== undefined ? { deleteAfterDays: del } : {}),
  };
};

/**
 * Checks that AWS can run the route from this deployment. A copy job runs in the account and Region
 * of its source recovery point (aws-facts.md, "Copies"): once a hop lands in another account, only
 * that account can copy it on. So every hop but the last must stay in the rule's source account,
 * and a rule with intermediate hops must have exactly one source account.
 */
const checkRoute = (p: Problems, path: string, match: CopyRuleMatch, route: readonly string[], ctx: RuleContext) => {
  const homes = (match.accounts ?? [ctx.accountId]).filter((a) => a !== '');
  const hops = route.length;
  if (hops > 1 && homes.length > 1) {
    p.add(
      `${path}.via`,
      `a route with intermediate vaults runs from one source account; match.accounts lists ${homes.length} (${homes.join(', ')}): write one rule per account`,
    );
  }
  const home = homes[0];
  for (const [i, arn] of route.entries()) {
    const previous = i === 0 ? undefined : route[i - 1];
    const where = i === hops - 1 ? `${path}.vaultArn` : `${path}.via[${i}]`;
    if (previous !== undefined && previous === arn) {
      p.add(where, `hop ${i + 1} copies into the vault it copies from (${arn})`);
    }
    if (i < hops - 1 && homes.length === 1 && home !== undefined && accountOf(arn) !== home) {
      p.add(
        where,
        `hop ${i + 1} of ${hops} goes into account ${accountOf(arn)}, but a hop into another account than the source account ${home} must be the last: AWS runs each copy in the account that holds the recovery point, and this function cannot copy on from there`,
      );
    }
  }
  // A destination provably equal to the source: a literal vault name in the source account(s) and Region(s).
  const first = route[0];
  if (first !== undefined && match.sourceVault !== undefined && !GLOB.test(match.sourceVault)) {
    const sameName = vaultNameFromArn(first) === match.sourceVault;
    const sameAccount = homes.includes(accountOf(first));
    const sameRegion = match.regions === undefined || match.regions.includes(regionOf(first));
    if (sameName && sameAccount && sameRegion) {
      p.add(hops === 1 ? `${path}.vaultArn` : `${path}.via[0]`, `hop 1 copies into the source vault ${first}`);
    }
  }
};

/**
 * Every hop runs in the source account (see {@link checkRoute}), and StartCopyJob passes the role
 * to AWS Backup there: a role of another account cannot be passed.
 */
const checkRoleAccount = (p: Problems, path: string, match: CopyRuleMatch, role: string, ctx: RuleContext) => {
  const homes = (match.accounts ?? [ctx.accountId]).filter((a) => a !== '');
  const account = accountOf(role);
  // No valid source account: its problem is reported already, and a role check would only add noise.
  if (homes.length === 0) return;
  if (homes.length > 1) {
    p.add(
      path,
      `one role cannot serve ${homes.length} source accounts (${homes.join(', ')}): leave iamRoleArn out so each account's deployment uses its DEFAULT_COPY_ROLE_ARN, or write one rule per account`,
    );
  } else if (!homes.includes(account)) {
    p.add(path, `must be a role in the source account ${homes[0]}, where the copy job runs (got account ${account})`);
  }
};

const parseDestination = (
  p: Problems,
  path: string,
  value: unknown,
  match: CopyRuleMatch,
  ctx: RuleContext,
): CopyDestination | undefined => {
  if (!isRecord(value)) {
    p.add(path, `must be an object (got ${describeValue(value)})`);
    return undefined;
  }
  const before = p.list.length;
  p.unknownKeys(path, value, DESTINATION_KEYS);
  const vaultProblem = vaultArnProblem(value.vaultArn);
  if (vaultProblem) p.add(`${path}.vaultArn`, vaultProblem);
  let via: string[] = [];
  if (value.via !== undefined) {
    if (!Array.isArray(value.via))
      p.add(`${path}.via`, `must be an array of vault ARNs (got ${describeValue(value.via)})`);
    else {
      via = value.via as string[];
      for (const [i, arn] of value.via.entries()) {
        const problem = vaultArnProblem(arn);
        if (problem) p.add(`${path}.via[${i}]`, problem);
      }
    }
  }
  const lifecycle = parseLifecycle(p, `${path}.lifecycle`, value.lifecycle);
  const role = value.iamRoleArn ?? ctx.defaultRoleArn;
  if (role === undefined) {
    p.add(`${path}.iamRoleArn`, 'is required (or set DEFAULT_COPY_ROLE_ARN)');
  } else {
    const problem = roleArnProblem(role);
    if (problem) p.add(`${path}.iamRoleArn`, problem);
  }
  // Route checks need well-formed ARNs; they would only repeat the problems above otherwise.
  if (p.list.length > before) return undefined;
  const destination: CopyDestination = {
    vaultArn: value.vaultArn as string,
    via,
    ...(lifecycle ? { lifecycle } : {}),
    iamRoleArn: role as string,
  };
  checkRoute(p, path, match, routeOf(destination), ctx);
  if (value.iamRoleArn !== undefined) checkRoleAccount(p, `${path}.iamRoleArn`, match, destination.iamRoleArn, ctx);
  return p.list.length > before ? undefined : destination;
};

/**
 * Validates copy rules (parsed COPY_RULES JSON) and collects every problem, each named by its JSON
 * path (`[0].destinations[1].via[0]: ...`).
 */
export const collectCopyRules = (json: unknown, ctx: RuleContext): { rules: CopyRule[]; problems: string[] } => {
  const p = new Problems();
  if (!Array.isArray(json)) {
    p.add('(rules)', `must be a JSON array of rules (got ${describeValue(json)})`);
    return { rules: [], problems: p.list };
  }
  const rules: CopyRule[] = [];
  const names = new Map<string, number>();
  for (const [i, raw] of json.entries()) {
    const path = `[${i}]`;
    if (!isRecord(raw)) {
      p.add(path, `must be an object (got ${describeValue(raw)})`);
      continue;
    }
    p.unknownKeys(path, raw, RULE_KEYS);
    const name = typeof raw.name === 'string' && raw.name.trim() !== '' ? raw.name : undefined;
    if (name === undefined) p.add(`${path}.name`, `must be a non-empty string (got ${describeValue(raw.name)})`);
    else if (names.has(name))
      p.add(`${path}.name`, `duplicate rule name ${describeValue(name)} (also [${names.get(name)}])`);
    else names.set(name, i);
    const match = parseMatch(p, `${path}.match`, raw.match);
    const destinations: CopyDestination[] = [];
    if (!Array.isArray(raw.destinations) || raw.destinations.length === 0) {
      p.add(`${path}.destinations`, `must be a non-empty array (got ${describeValue(raw.destinations)})`);
    } else {
      for (const [j, d] of raw.destinations.entries()) {
        const destination = parseDestination(p, `${path}.destinations[${j}]`, d, match, ctx);
        if (destination) destinations.push(destination);
      }
    }
    if (name !== undefined) rules.push({ name, match, destinations });
  }
  return { rules, problems: p.list };
};

/** Names where a problem is: `COPY_RULES[0].name: ...`, `COPY_RULES (rules): ...`. */
export const prefixProblem = (source: string, problem: string): string =>
  problem.startsWith('[') ? `${source}${problem}` : `${source} ${problem}`;

/**
 * Validates copy rules once (per container) and returns them frozen, or throws a ConfigError
 * listing every problem.
 *
 * @throws ConfigError with one entry per problem, each prefixed by `source` and its JSON path
 */
export const parseCopyRules = (json: unknown, ctx: RuleContext, source = 'COPY_RULES'): readonly CopyRule[] => {
  const { rules, problems } = collectCopyRules(json, ctx);
  if (problems.length > 0) throw new ConfigError(problems.map((m) => prefixProblem(source, m)));
  return Object.freeze(rules);
};
