/**
 * NextToken paging for the List* calls. A token is opaque to the caller, deterministic, and names
 * the position after the last item returned (not an offset), so jobs created between two pages
 * neither repeat nor vanish. It is bound to the query it came from: a token that does not decode,
 * or that belongs to another query, is refused with InvalidParameterValueException, as AWS refuses
 * a bad token.
 */

import { ServiceError } from '../http/stand-in.js';
import { hexFrom } from '../ids.js';

/** MaxResults when the caller gives none (API_ListBackupJobs: "maximum number of items", 1..1000). */
export const DEFAULT_MAX_RESULTS = 1000;

/** JSON with sorted keys and Dates as ISO strings: the same input always gives the same text. */
export const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof Date) return v.toISOString();
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)));
    }
    return v;
  }) ?? 'undefined';

/** The identity of a list query: its operation, caller and every filter, paging members excluded. */
export const queryFingerprint = (operation: string, account: string, region: string, input: object): string => {
  const { NextToken: _t, MaxResults: _m, ...filters } = input as Record<string, unknown>;
  return hexFrom(16, operation, account, region, canonical(filters));
};

interface TokenBody {
  readonly q: string;
  readonly after: string;
}

const encode = (body: TokenBody): string => Buffer.from(JSON.stringify(body)).toString('base64url');

const decode = (token: string): TokenBody | undefined => {
  try {
    const body = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Partial<TokenBody>;
    return typeof body.q === 'string' && typeof body.after === 'string' ? { q: body.q, after: body.after } : undefined;
  } catch {
    return undefined;
  }
};

/**
 * One page of `items`, which must be sorted by `positionOf` (ascending, unique strings).
 *
 * @throws ServiceError InvalidParameterValueException for a token of another query or none at all
 */
export const pageOf = <T>(
  items: readonly T[],
  positionOf: (item: T) => string,
  input: { readonly NextToken?: string; readonly MaxResults?: number },
  fingerprint: string,
): { items: T[]; nextToken?: string } => {
  let start = 0;
  if (input.NextToken !== undefined) {
    const body = decode(input.NextToken);
    if (!body || body.q !== fingerprint) {
      throw new ServiceError('InvalidParameterValueException', `Invalid NextToken: ${input.NextToken}`, 400);
    }
    start = items.findIndex((item) => positionOf(item) > body.after);
    if (start < 0) start = items.length;
  }
  const size = Math.min(Math.max(1, input.MaxResults ?? DEFAULT_MAX_RESULTS), DEFAULT_MAX_RESULTS);
  const page = items.slice(start, start + size);
  const last = page.at(-1);
  const more = start + size < items.length && last !== undefined;
  return more ? { items: page, nextToken: encode({ q: fingerprint, after: positionOf(last) }) } : { items: page };
};

const MAX_MS = 9_999_999_999_999;

/** Newest first, then by id: the position string of a job created at `ms`. */
export const newestFirst = (createdMs: number, id: string): string =>
  `${String(MAX_MS - createdMs).padStart(13, '0')}|${id}`;
