import { isRecord } from '../../../shared/objects.js';

/** One IAM policy statement, as a template holds it once every intrinsic is resolved. */
export type Statement = Readonly<Record<string, unknown>>;

/** Who makes a request: an AWS service principal, or an IAM principal (a role or the account root) by ARN. */
export type Principal = { readonly service: string } | { readonly arn: string };

/** A request as IAM evaluates it ("Policy evaluation logic", IAM User Guide). */
export interface Request {
  readonly principal: Principal;
  readonly action: string;
  readonly resource: string;
  /** Condition keys and their values in the request context (aws:SourceArn, kms:EncryptionContext:..., ...). */
  readonly context: Readonly<Record<string, string>>;
}

const listOf = (value: unknown): unknown[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** A statement's list: a policy document's Statement is one statement or a list of them. */
export const statementsOf = (document: unknown): Statement[] =>
  isRecord(document) ? listOf(document.Statement).filter(isRecord) : [];

/**
 * IAM's wildcards: `*` any run of characters (`/` and `:` included), `?` one character ("IAM JSON
 * policy elements: Resource", "Action"). Hand-written rather than a glob library: shell globs stop
 * `*` at `/`, which IAM does not. The inputs are the template's own short ARNs, so the regular
 * expression's backtracking is bounded by them.
 */
export const wildcardMatches = (pattern: string, value: string, ignoreCase = false): boolean => {
  const source = [...pattern]
    .map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[.+^${}()|[\]\\/]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, ignoreCase ? 'is' : 's').test(value);
};

/** Elements this evaluator does not model: a statement using one is refused, not guessed at. */
const UNSUPPORTED = ['NotAction', 'NotResource', 'NotPrincipal'];

const principalMatches = (element: unknown, principal: Principal): boolean => {
  if (element === '*') return true;
  if (!isRecord(element)) return false;
  if ('service' in principal) return listOf(element.Service).includes(principal.service);
  return listOf(element.AWS).some((arn) => arn === '*' || arn === principal.arn);
};

/**
 * The condition operators the template uses ("IAM JSON policy elements: Condition operators"), alone
 * or after ForAllValues:. A key missing from the request fails its condition (no ...IfExists here;
 * ForAllValues: is IAM's exception), and an operator not listed fails too, so an unknown condition
 * never reads as a grant.
 */
const OPERATORS: Readonly<Record<string, (expected: string, actual: string) => boolean>> = {
  StringEquals: (expected, actual) => expected === actual,
  StringLike: (expected, actual) => wildcardMatches(expected, actual),
  ArnEquals: (expected, actual) => expected === actual,
  ArnLike: (expected, actual) => wildcardMatches(expected, actual),
};

/** `ForAllValues:` before an operator: the set operator for keys a request may carry several values of. */
const FOR_ALL_VALUES = 'ForAllValues:';

const conditionHolds = (condition: unknown, context: Readonly<Record<string, string>>): boolean => {
  if (condition === undefined) return true;
  if (!isRecord(condition)) return false;
  // Every operator and every key must hold; a key's listed values are alternatives.
  return Object.entries(condition).every(([operator, keys]) => {
    const forAll = operator.startsWith(FOR_ALL_VALUES);
    const compare = OPERATORS[forAll ? operator.slice(FOR_ALL_VALUES.length) : operator];
    if (!compare || !isRecord(keys)) return false;
    return Object.entries(keys).every(([key, expected]) => {
      const actual = context[key];
      // ForAllValues holds for a key the request lacks ("Set operators for multivalued context
      // keys", IAM User Guide): the request context here holds one value per key.
      if (actual === undefined) return forAll;
      return listOf(expected).some((value) => compare(String(value), actual));
    });
  });
};

/** Whether `statement` applies to `request` (its Effect aside); `resourcePolicy` checks its Principal. */
const applies = (statement: Statement, request: Request, resourcePolicy: boolean): boolean => {
  const unsupported = UNSUPPORTED.filter((element) => element in statement);
  if (unsupported.length > 0) throw new Error(`policy evaluation: ${unsupported.join(', ')} is not modelled`);
  if (resourcePolicy && !principalMatches(statement.Principal, request.principal)) return false;
  // Action names are case-insensitive; ARNs are not ("IAM JSON policy elements: Action").
  const actionMatches = listOf(statement.Action).some((action) =>
    wildcardMatches(String(action), request.action, true),
  );
  const resourceMatches = listOf(statement.Resource).some((resource) =>
    wildcardMatches(String(resource), request.resource),
  );
  return actionMatches && resourceMatches && conditionHolds(statement.Condition, request.context);
};

/**
 * IAM's answer for one policy: `deny` when a Deny statement applies, else `allow` when an Allow
 * does, else `implicit` (nothing said). `resourcePolicy` is true for key and queue policies (their
 * statements name a Principal) and false for a role's identity policies.
 */
export const decide = (
  statements: readonly Statement[],
  request: Request,
  resourcePolicy: boolean,
): 'allow' | 'deny' | 'implicit' => {
  const applying = statements.filter((statement) => applies(statement, request, resourcePolicy));
  if (applying.some((statement) => statement.Effect === 'Deny')) return 'deny';
  return applying.some((statement) => statement.Effect === 'Allow') ? 'allow' : 'implicit';
};
