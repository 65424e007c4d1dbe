import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../sandbox/sandbox.js';
import { ORG, type OrgSeeded, startOrg } from '../../sandbox/scenario/org.js';
import {
  backupJobsOf,
  detailOf,
  expectRetriedInMember,
  HOUR,
  MINUTE,
  RETRY,
  START,
  seedLostMemberFailure,
} from './support.js';

// Central mode's sweep covers the members whose events reached the retry function, not only those
// RETRY_INCLUDE_ACCOUNTS names (none here): member B's first failure arrives as an event, its second
// failure's events are lost, and the hourly sweep finds the second in B and retries it there.

let sandbox: Sandbox;
let seeded: OrgSeeded;
let lostJobId: string;
const lostVolume = `arn:aws:ec2:${ORG.region}:${ORG.memberB}:volume/vol-0b0000000000000b2`;
const silentVolume = `arn:aws:ec2:${ORG.region}:${ORG.memberC}:volume/vol-0c0000000000000c1`;

beforeAll(async () => {
  ({ sandbox, seeded } = await startOrg(START));
  // B's event (01:01) is handled first; this job fails at 01:20 and none of its events arrive.
  await sandbox.runUntil(START + 10 * MINUTE);
  lostJobId = seedLostMemberFailure(sandbox, ORG.memberB, lostVolume);
  // Member C, which never sent the retry function an event, fails too, its events lost as well.
  seedLostMemberFailure(sandbox, ORG.memberC, silentVolume);
  await sandbox.runUntil(START + 4 * HOUR);
}, 90_000);
afterAll(async () => sandbox?.close());

describe('central mode: the retry sweep covers the members whose events reached it', () => {
  it("finds member B's failed job whose events were lost, and retries it in B with B's role", () => {
    const failedEvents = sandbox.bus.records.filter(
      (r) => detailOf(r.event).backupJobId === lostJobId && detailOf(r.event).state === 'FAILED',
    );
    expect(failedEvents.map((r) => r.dropped)).toEqual(['lost']);

    const finder = sandbox.invocations.find(
      (i) =>
        i.function === RETRY &&
        i.trigger === 'schedule:Sweep' &&
        i.outcome.ok &&
        (i.outcome.result as { withoutEvent?: number }).withoutEvent === 1,
    );
    expect(finder).toBeDefined();
    expectRetriedInMember(sandbox, lostVolume, ORG.memberB);
    // B's first failure, which arrived as an event, was retried once too, and nothing failed.
    expect(backupJobsOf(sandbox, seeded.failedInB.resourceArn).map((j) => j.State)).toEqual(['FAILED', 'COMPLETED']);
    expect(sandbox.failed).toEqual([]);
  });

  it('does not sweep member C, which sent it no event and is not in RETRY_INCLUDE_ACCOUNTS', () => {
    expect(sandbox.calls.list({ operation: 'StartBackupJob' }).filter((c) => c.account === ORG.memberC)).toEqual([]);
    expect(sandbox.sts.assumed().filter((g) => g.roleArn.includes(`::${ORG.memberC}:`))).toEqual([]);
  });
});
