import { matchesPattern } from '../../../sandbox/template/event-pattern.js';
import type { ResolvedFunction } from '../../../sandbox/template/functions.js';
import { isRecord } from '../../../shared/objects.js';

// Checks of the template's own promises. Each returns the problems it finds (empty = the promise
// holds), so a test can run it on template.yaml and on a deliberately broken copy.

/** A sample event of events/, by file name. */
export interface Sample {
  readonly file: string;
  readonly event: Record<string, unknown>;
}

/**
 * Every EventBridge rule of every function matches exactly the samples it is for (`expected`, by
 * `<function logical id>.<event name>`), from the stack's account, and no sample from another account
 * (the rules name the stack's account: a rule on the default bus also sees what other accounts send
 * to it). Matching is EventBridge's, as sandbox/template/event-pattern.ts implements it from the
 * EventBridge User Guide ("Amazon EventBridge event patterns", "Content filtering").
 */
export const rulePatternProblems = (
  functions: readonly ResolvedFunction[],
  samples: readonly Sample[],
  expected: Readonly<Record<string, readonly string[]>>,
  accounts: { readonly stack: string; readonly other: string },
): string[] => {
  const problems: string[] = [];
  const rules = functions.flatMap((fn) => fn.rules.map((rule) => ({ id: `${fn.logicalId}.${rule.name}`, rule })));
  for (const { id, rule } of rules) {
    const want = expected[id];
    if (want === undefined) {
      problems.push(`${id}: a rule no expectation names (say which samples it is for)`);
      continue;
    }
    const matched = samples
      .filter((sample) => matchesPattern(rule.pattern, { ...sample.event, account: accounts.stack }))
      .map((sample) => sample.file);
    for (const file of matched.filter((file) => !want.includes(file))) problems.push(`${id} matches ${file}`);
    for (const file of want.filter((file) => !matched.includes(file))) problems.push(`${id} misses ${file}`);
    for (const sample of samples) {
      if (matchesPattern(rule.pattern, { ...sample.event, account: accounts.other })) {
        problems.push(`${id} matches ${sample.file} from another account (${accounts.other})`);
      }
    }
  }
  for (const id of Object.keys(expected).filter((id) => !rules.some((rule) => rule.id === id))) {
    problems.push(`${id}: expected a rule the template does not have`);
  }
  return problems;
};

/** What a function's code reads from its environment, found by running its config loader. */
export interface EnvironmentReads {
  /** Keys the loader read (present or not). */
  readonly read: ReadonlySet<string>;
  /** The loader's error with this environment, if it refused it. */
  readonly error?: string;
}

/**
 * Runs `load` on `env` through a proxy that records every key read. The loaders take the
 * environment as a parameter (STYLE.md, E), so nothing else is read on the way.
 */
export const recordReads = (
  load: (env: Record<string, string | undefined>) => unknown,
  env: Record<string, string>,
) => {
  const read = new Set<string>();
  const proxy = new Proxy(env, {
    get(target, key, receiver) {
      if (typeof key === 'string') read.add(key);
      return Reflect.get(target, key, receiver);
    },
  });
  try {
    load(proxy);
    return { read } satisfies EnvironmentReads;
  } catch (error) {
    return { read, error: error instanceof Error ? error.message : String(error) } satisfies EnvironmentReads;
  }
};

/** One function's environment as the template sets it, and what its code reads. */
export interface FunctionEnvironment {
  readonly logicalId: string;
  /** Keys the template sets under any of the parameter sets tried (Globals included). */
  readonly set: ReadonlySet<string>;
  /** What Lambda sets itself (AWS_REGION, AWS_LAMBDA_FUNCTION_NAME, ...): never the template's job. */
  readonly lambda: ReadonlySet<string>;
  /** The loader's reads, once per parameter set tried. */
  readonly reads: readonly EnvironmentReads[];
  /** Keys read by libraries the function bundles (Powertools), not by its config loader. */
  readonly libraryReads: ReadonlySet<string>;
  /** Keys the function reads that are left at the code's default on purpose (no template Parameter). */
  readonly codeDefaults: ReadonlySet<string>;
}

/**
 * Every variable a function reads is set for it by the template (or by Lambda, or deliberately left
 * at the code's default), the template sets none it does not read, and its loader accepts what the
 * template sets.
 */
export const environmentProblems = (fn: FunctionEnvironment): string[] => {
  const read = new Set(fn.reads.flatMap((reads) => [...reads.read]));
  const problems = fn.reads.flatMap((reads) =>
    reads.error === undefined ? [] : [`${fn.logicalId}: its config refuses the template's environment: ${reads.error}`],
  );
  for (const key of [...read].sort()) {
    if (fn.set.has(key) || fn.lambda.has(key) || fn.codeDefaults.has(key)) continue;
    problems.push(`${fn.logicalId} reads ${key}, which the template does not set`);
  }
  for (const key of [...fn.set].sort()) {
    if (read.has(key) || fn.libraryReads.has(key)) continue;
    problems.push(`${fn.logicalId} is given ${key}, which it does not read`);
  }
  for (const key of [...fn.codeDefaults].sort()) {
    if (fn.set.has(key)) problems.push(`${fn.logicalId}: ${key} is listed as a code default but the template sets it`);
    else if (!read.has(key)) problems.push(`${fn.logicalId}: ${key} is listed as a code default but is not read`);
  }
  return problems;
};

/** A template as readTemplate returns it (long-form intrinsics, plain JSON). */
export type RawTemplate = { readonly Resources: Readonly<Record<string, Readonly<Record<string, unknown>>>> };

/** Resource types that hold data: kept when the stack is deleted or the resource replaced. */
export const DATA_TYPES = ['AWS::DynamoDB::Table', 'AWS::SQS::Queue', 'AWS::Logs::LogGroup', 'AWS::KMS::Key'];

/**
 * The property that encrypts each data type with a customer-managed key, and where it must point.
 * SNS: KmsMasterKeyId (CloudWatch alarms cannot publish to a topic under alias/aws/sns, aws-facts.md);
 * SQS: KmsMasterKeyId; DynamoDB: SSESpecification (SSEType KMS, KMSMasterKeyId); CloudWatch Logs: KmsKeyId.
 */
const encryptionOf = (type: string, properties: Readonly<Record<string, unknown>>): unknown => {
  switch (type) {
    case 'AWS::SNS::Topic':
    case 'AWS::SQS::Queue':
      return properties.KmsMasterKeyId;
    case 'AWS::DynamoDB::Table': {
      const sse = isRecord(properties.SSESpecification) ? properties.SSESpecification : {};
      return sse.SSEEnabled === true && sse.SSEType === 'KMS' ? sse.KMSMasterKeyId : undefined;
    }
    case 'AWS::Logs::LogGroup':
      return properties.KmsKeyId;
    default:
      return undefined;
  }
};

/** Whether an intrinsic names the key `keyId` (Ref, or GetAtt of its Arn). */
const namesKey = (value: unknown, keyId: string): boolean =>
  isRecord(value) &&
  (value.Ref === keyId ||
    (Array.isArray(value['Fn::GetAtt']) && value['Fn::GetAtt'][0] === keyId) ||
    value['Fn::GetAtt'] === `${keyId}.Arn`);

/** How long each data type keeps what it holds, as designed (SQS: the maximum, 14 days). */
const retentionProblem = (id: string, type: string, properties: Readonly<Record<string, unknown>>) => {
  if (type === 'AWS::SQS::Queue' && properties.MessageRetentionPeriod !== 1209600) {
    return `${id}: MessageRetentionPeriod must be 1209600 (14 days, SQS's maximum), got ${JSON.stringify(properties.MessageRetentionPeriod)}`;
  }
  if (type === 'AWS::Logs::LogGroup' && properties.RetentionInDays === undefined) {
    return `${id}: RetentionInDays must be set (logs never expire otherwise)`;
  }
  if (type === 'AWS::DynamoDB::Table') {
    const pitr = isRecord(properties.PointInTimeRecoverySpecification)
      ? properties.PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled
      : undefined;
    if (pitr !== true) return `${id}: PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled must be true`;
  }
  return undefined;
};

/**
 * Every topic, queue, table and log group is encrypted with the stack's key (`keyId`) and keeps its
 * data as designed; every data-holding resource (and the key, without which retained data cannot be
 * read) has DeletionPolicy and UpdateReplacePolicy Retain.
 */
export const dataResourceProblems = (template: RawTemplate, keyId: string): string[] =>
  Object.entries(template.Resources).flatMap(([id, resource]) => {
    const type = String(resource.Type);
    const properties = isRecord(resource.Properties) ? resource.Properties : {};
    const problems: string[] = [];
    if (DATA_TYPES.includes(type)) {
      for (const policy of ['DeletionPolicy', 'UpdateReplacePolicy']) {
        if (resource[policy] !== 'Retain') problems.push(`${id} (${type}): ${policy} must be Retain`);
      }
    }
    if (type !== 'AWS::KMS::Key' && [...DATA_TYPES, 'AWS::SNS::Topic'].includes(type)) {
      if (!namesKey(encryptionOf(type, properties), keyId)) {
        problems.push(`${id} (${type}): must be encrypted with ${keyId}`);
      }
      const retention = retentionProblem(id, type, properties);
      if (retention !== undefined) problems.push(retention);
    }
    return problems;
  });

/**
 * Condition keys that scope a wildcard principal to one organization, account or resource
 * ("AWS global condition context keys", IAM User Guide): aws:PrincipalOrgID names the caller's
 * organization, aws:PrincipalAccount its account, aws:SourceArn / aws:SourceAccount / aws:SourceOrgID
 * the resource a service acts for.
 */
export const SCOPING_KEYS = [
  'aws:PrincipalOrgID',
  'aws:PrincipalAccount',
  'aws:SourceAccount',
  'aws:SourceArn',
  'aws:SourceOrgID',
];

const listOf = (value: unknown): unknown[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** Whether a principal element lets anyone in: `"*"`, or `{AWS: "*"}` (alone or in a list). */
const isWildcardPrincipal = (principal: unknown): boolean =>
  principal === '*' || (isRecord(principal) && listOf(principal.AWS).includes('*'));

/** The scoping condition keys of a statement's Condition whose values are not wildcards themselves. */
export const scopingKeysOf = (condition: unknown): string[] => {
  if (!isRecord(condition)) return [];
  return Object.entries(condition).flatMap(([operator, block]) => {
    // ...IfExists lets a request without the key through: it scopes nothing.
    if (operator.endsWith('IfExists') || !isRecord(block)) return [];
    return Object.entries(block)
      .filter(([key]) => SCOPING_KEYS.some((scoping) => scoping.toLowerCase() === key.toLowerCase()))
      .filter(([, value]) => listOf(value).length > 0 && listOf(value).every((item) => item !== '*' && item !== ''))
      .map(([key]) => key);
  });
};

/** A wildcard principal found in the template, with the keys that scope it. */
export interface WildcardPrincipal {
  readonly where: string;
  readonly scopedBy: readonly string[];
}

/**
 * Every policy statement (key policies, queue and bus policies, trust policies, inline policies) and
 * every Lambda permission with a wildcard principal, and what scopes it.
 */
export const wildcardPrincipals = (template: RawTemplate): WildcardPrincipal[] => {
  const found: WildcardPrincipal[] = [];
  const walk = (node: unknown, where: string): void => {
    if (Array.isArray(node)) {
      node.forEach((item, i) => {
        walk(item, `${where}[${i}]`);
      });
      return;
    }
    if (!isRecord(node)) return;
    if ('Principal' in node && 'Effect' in node && isWildcardPrincipal(node.Principal)) {
      found.push({ where, scopedBy: scopingKeysOf(node.Condition) });
    }
    for (const [key, value] of Object.entries(node)) walk(value, `${where}.${key}`);
  };
  for (const [id, resource] of Object.entries(template.Resources)) {
    const properties = isRecord(resource.Properties) ? resource.Properties : {};
    // AWS::Lambda::Permission: Principal "*" lets any account invoke unless SourceArn, SourceAccount
    // or PrincipalOrgID narrows it (Lambda API reference, AddPermission).
    if (resource.Type === 'AWS::Lambda::Permission' && properties.Principal === '*') {
      const scopedBy = ['SourceArn', 'SourceAccount', 'PrincipalOrgID'].filter((key) => properties[key] !== undefined);
      found.push({ where: `${id}.Properties`, scopedBy });
    }
    walk(resource, id);
  }
  return found;
};

/** A wildcard principal no condition scopes is a problem; a scoped one is reported by the caller's assertions. */
export const wildcardPrincipalProblems = (template: RawTemplate): string[] =>
  wildcardPrincipals(template)
    .filter((found) => found.scopedBy.length === 0)
    .map((found) => `${found.where}: a wildcard principal with no condition scoping it (${SCOPING_KEYS.join(', ')})`);
