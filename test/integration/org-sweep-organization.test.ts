import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../sandbox/sandbox.js';
import { ORG, startOrg } from '../../sandbox/scenario/org.js';
import { detailOf, expectRetriedInMember, HOUR, inputOf, RETRY, START, seedLostMemberFailure } from './support.js';

// With RetrySweepOrganization, central mode's sweep also reads the organization's list of failed
// backup jobs (the central account is the organization's management account here), so it finds
// member C, which never sent the retry function an event and is not in RETRY_INCLUDE_ACCOUNTS:
// C's failure's events are all lost (test/integration/org-sweep.test.ts is the same day without it).

let sandbox: Sandbox;
let silentJobId: string;
const silentVolume = `arn:aws:ec2:${ORG.region}:${ORG.memberC}:volume/vol-0c0000000000000c1`;

beforeAll(async () => {
  ({ sandbox } = await startOrg(START, '1', { RetrySweepOrganization: 'true' }));
  silentJobId = seedLostMemberFailure(sandbox, ORG.memberC, silentVolume);
  await sandbox.runUntil(START + 4 * HOUR);
}, 90_000);
afterAll(async () => sandbox?.close());

describe("central mode with RetrySweepOrganization: the sweep finds members in the organization's job list", () => {
  it("retries member C's failed job, whose events were all lost, in C with C's role, once", () => {
    const failedEvents = sandbox.bus.records.filter(
      (r) => detailOf(r.event).backupJobId === silentJobId && detailOf(r.event).state === 'FAILED',
    );
    expect(failedEvents.map((r) => r.dropped)).toEqual(['lost']);
    expectRetriedInMember(sandbox, silentVolume, ORG.memberC);
    expect(sandbox.failed).toEqual([]);
  });

  it("reads the organization's list from the central account, one list per retried state and sweep", () => {
    const orgLists = sandbox.calls
      .list({ operation: 'ListBackupJobs', caller: RETRY })
      .filter((c) => inputOf(c).ByAccountId === '*');
    expect(orgLists.length).toBeGreaterThanOrEqual(2);
    expect(orgLists.every((c) => c.account === ORG.central && c.status === 200)).toBe(true);
    expect(new Set(orgLists.map((c) => inputOf(c).ByState))).toEqual(new Set(['FAILED', 'EXPIRED']));
    // The summary reads the same list; the retry function's lists are the sweep's.
    const sweeps = sandbox.invocations.filter((i) => i.function === RETRY && i.trigger === 'schedule:Sweep');
    expect(orgLists).toHaveLength(2 * sweeps.length);
  });
});
