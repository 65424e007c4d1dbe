import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTemplate } from '../../../sandbox/template/parse.js';
import { expiresAt, LEASE_MS } from '../../../shared/ledger/policy.js';
import { isRecord } from '../../../shared/objects.js';

const template = readTemplate(readFileSync(join(import.meta.dirname, '..', '..', '..', 'template.yaml'), 'utf8'));
const resources = isRecord(template.Resources) ? template.Resources : {};
const globals = isRecord(template.Globals) && isRecord(template.Globals.Function) ? template.Globals.Function : {};

/** The statements of a function's inline policies that may UpdateItem (a claim, a take-once flag). */
const updateStatements = (properties: Record<string, unknown>): Record<string, unknown>[] =>
  (Array.isArray(properties.Policies) ? properties.Policies : []).flatMap((policy) =>
    isRecord(policy) && Array.isArray(policy.Statement)
      ? policy.Statement.filter(
          (statement): statement is Record<string, unknown> =>
            isRecord(statement) && JSON.stringify(statement.Action ?? []).includes('dynamodb:UpdateItem'),
        )
      : [],
  );

/** A statement limited to the summary's own items (`summary#...`: take-once flags, never a lease). */
const summaryItemsOnly = (statement: Record<string, unknown>): boolean =>
  JSON.stringify(statement.Condition ?? {}) ===
  JSON.stringify({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['summary#*'] } });

const functions = Object.entries(resources).flatMap(([id, resource]) =>
  isRecord(resource) && resource.Type === 'AWS::Serverless::Function' && isRecord(resource.Properties)
    ? [{ id, properties: resource.Properties }]
    : [],
);

/**
 * Functions whose role may write any ledger item (claims take leases), with their Timeout in
 * seconds. The summary's take-once per channel (tellOnce) takes no lease, and its role may write
 * its own `summary#` items only.
 */
const ledgerWriters = functions.flatMap(({ id, properties }) => {
  const writes = updateStatements(properties).some((statement) => !summaryItemsOnly(statement));
  const timeout = properties.Timeout ?? globals.Timeout;
  return writes ? [{ id, timeout: Number(timeout) }] : [];
});

describe('the lease policy', () => {
  it('finds the functions that take leases', () => {
    expect(ledgerWriters.map((f) => f.id).sort()).toEqual(['RetryFailedJobFunction', 'StartCopyJobFunction']);
  });

  it('lets the summary write its own take-once items only (no lease: a flag given back on failure)', () => {
    const summary = functions.find((f) => f.id === 'PostSummaryFunction');
    const statements = summary ? updateStatements(summary.properties) : [];
    expect(statements).toHaveLength(1);
    expect(statements.every(summaryItemsOnly)).toBe(true);
  });

  // Lambda stops an invocation at its Timeout: a lease longer than that (with a minute for clocks
  // that differ between containers) is never overtaken while its holder runs.
  it.each(ledgerWriters)('outlives $id (Timeout $timeout s) by at least a minute', ({ timeout }) => {
    expect(timeout * 1000 + 60_000).toBeLessThanOrEqual(LEASE_MS);
  });
});

describe('the TTL policy', () => {
  it('expires an item ttlDays after its last change, in epoch seconds', () => {
    expect(expiresAt(new Date('2026-11-24T02:00:00.900Z'), 90)).toBe(Date.parse('2027-02-22T02:00:00Z') / 1000);
  });
});
