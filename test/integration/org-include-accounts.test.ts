import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../sandbox/sandbox.js';
import { ORG, startOrg } from '../../sandbox/scenario/org.js';
import { expectRetriedInMember, HOUR, MINUTE, RETRY, START, seedLostMemberFailure } from './support.js';

// The RetryIncludeAccounts Parameter, as docs/deploy-central.md recommends it: member C never sent
// the retry function an event, and its first failure's events are all lost. Named in the
// Parameter, C is swept every hour and its job retried in C; without it (org-sweep.test.ts), not.

let sandbox: Sandbox;
const silentVolume = `arn:aws:ec2:${ORG.region}:${ORG.memberC}:volume/vol-0c0000000000000c9`;

beforeAll(async () => {
  ({ sandbox } = await startOrg(START, '1', {
    RetryIncludeAccounts: [ORG.central, ORG.memberA, ORG.memberB, ORG.memberC].join(','),
  }));
  await sandbox.runUntil(START + 10 * MINUTE);
  seedLostMemberFailure(sandbox, ORG.memberC, silentVolume);
  await sandbox.runUntil(START + 4 * HOUR);
}, 90_000);
afterAll(async () => sandbox?.close());

describe('central mode with RetryIncludeAccounts', () => {
  it('gives the retry function the accounts as RETRY_INCLUDE_ACCOUNTS', () => {
    expect(sandbox.template.resources.RetryFailedJobFunction?.properties.Environment).toMatchObject({
      Variables: { RETRY_INCLUDE_ACCOUNTS: `${ORG.central},${ORG.memberA},${ORG.memberB},${ORG.memberC}` },
    });
  });

  it("sweeps member C, which sent no event, and retries its lost failure in C with C's role", () => {
    expectRetriedInMember(sandbox, silentVolume, ORG.memberC);
    expect(sandbox.invocations.filter((i) => i.function === RETRY && !i.outcome.ok)).toEqual([]);
  });
});
