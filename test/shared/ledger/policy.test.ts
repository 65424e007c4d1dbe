import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTemplate } from '../../../sandbox/template/parse.js';
import { expiresAt, LEASE_MS } from '../../../shared/ledger/policy.js';
import { isRecord } from '../../../shared/objects.js';

const template = readTemplate(readFileSync(join(import.meta.dirname, '..', '..', '..', 'template.yaml'), 'utf8'));
const resources = isRecord(template.Resources) ? template.Resources : {};
const globals = isRecord(template.Globals) && isRecord(template.Globals.Function) ? template.Globals.Function : {};

/** Functions whose role may write ledger items (claims take leases), with their Timeout in seconds. */
const ledgerWriters = Object.entries(resources).flatMap(([id, resource]) => {
  if (!isRecord(resource) || resource.Type !== 'AWS::Serverless::Function' || !isRecord(resource.Properties)) return [];
  const writes = JSON.stringify(resource.Properties.Policies ?? []).includes('dynamodb:UpdateItem');
  const timeout = resource.Properties.Timeout ?? globals.Timeout;
  return writes ? [{ id, timeout: Number(timeout) }] : [];
});

describe('the lease policy', () => {
  it('finds the functions that take leases', () => {
    expect(ledgerWriters.map((f) => f.id).sort()).toEqual(['RetryFailedJobFunction', 'StartCopyJobFunction']);
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
