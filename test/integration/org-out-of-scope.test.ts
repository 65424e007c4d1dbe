/**
 * Central mode: an event the retry function refuses as out of scope (an ARN of another partition, a
 * vault of another account than the event's) costs no AWS call and no write, the sweep's
 * bookkeeping of where members' events come from included. Over real HTTP with the real bundle.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../sandbox/paths.js';
import { Sandbox } from '../../sandbox/sandbox.js';
import { ORG, orgSandboxOptions } from '../../sandbox/scenario/org.js';
import { RETRY, START } from './support.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await Sandbox.start(orgSandboxOptions(START, '1', {}));
}, 60_000);
afterAll(async () => sandbox?.close());

/** AWS's FAILED backup sample as `member` would send it, with `change` applied to its text. */
const memberEvent = (member: string, change: (text: string) => string): unknown =>
  JSON.parse(
    change(
      readFileSync(join(repoRoot, 'events', 'backup-job.failed.json'), 'utf8')
        .replaceAll('1112233445566', member)
        .replace(/"region": "[^"]+"/, `"region": "${ORG.region}"`),
    ),
  );

/** Invokes the central retry function with `event`: skipped for `reason`, with no AWS call at all (no ledger write, no AssumeRole). */
const expectSkippedWithoutCalls = async (event: unknown, reason: string) => {
  const before = sandbox.calls.list().length;
  const { outcome } = await sandbox.invoke(RETRY, event);
  expect(outcome.ok).toBe(true);
  if (!outcome.ok) return;
  expect(outcome.result).toMatchObject({ result: 'skipped', reason });
  expect(
    sandbox.calls
      .list()
      .slice(before)
      .map((c) => `${c.caller} ${c.operation}`),
  ).toEqual([]);
};

describe('central mode: an out-of-scope event from a member', () => {
  // Each case from a member of its own: the first note of a place writes, a second may not.
  it.each([
    {
      case: 'ARNs of another partition',
      member: ORG.memberB,
      reason: 'foreign-partition',
      change: (t: string) => t.replaceAll('arn:aws:', 'arn:aws-cn:'),
    },
    {
      case: 'a vault of another account',
      member: ORG.memberC,
      reason: 'vault-of-another-account',
      change: (t: string) => t.replace(`:${ORG.memberC}:backup-vault:`, `:${ORG.memberA}:backup-vault:`),
    },
  ])('with $case is skipped with no AWS call and no ledger write', async ({ member, reason, change }) => {
    await expectSkippedWithoutCalls(memberEvent(member, change), reason);
  });
});

describe("central mode: a member's scan event that names another account as the scan's", () => {
  // The envelope, the vault and every ARN are member B's; only detail.accountId says member A. The
  // central function acts in the account of the event it was sent (the member's forwarding rule
  // sends only that account's events): it must not take another account's credentials for it.
  it('is skipped with no AWS call (no AssumeRole into the account it names)', async () => {
    const event = JSON.parse(
      readFileSync(join(repoRoot, 'events', 'scan-job.failed.json'), 'utf8')
        .replaceAll('1112233445566', ORG.memberB)
        .replaceAll('us-west-2', ORG.region),
    );
    event.detail.accountId = ORG.memberA;
    await expectSkippedWithoutCalls(event, 'foreign-account');
  });
});
