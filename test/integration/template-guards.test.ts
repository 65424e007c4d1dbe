import { describe, expect, it } from 'vitest';
import {
  COPY,
  callsAbout,
  detailOf,
  eventOf,
  invocationsAbout,
  MINUTE,
  RETRY,
  sandboxPerFile,
  seedCompletedBackup,
  seedFailedBackup,
  startSandbox,
} from './support.js';

const OTHER_ACCOUNT = '444455556666';
const WEST = 'arn:aws:backup:us-west-2:111122223333:backup-vault:guards-dr';
const RULES = [{ name: 'guards-dr', match: { sourceVault: 'guards-prod' }, destinations: [{ vaultArn: WEST }] }];
const sandbox = sandboxPerFile({ parameterOverrides: { StartCopyJobCopyRules: JSON.stringify(RULES) } }, (started) =>
  started.backup.store.addVault({ account: started.account, region: 'us-west-2', name: 'guards-dr' }),
);

/**
 * Keeps AWS Backup's own delivery of a job's events off the bus until `release()`, so the test puts
 * the event itself (as another account, then as this one).
 */
const holdEventsOf = (jobId: string) => {
  let held = true;
  sandbox().bus.lose((event) => held && detailOf(event).backupJobId === jobId, 'held by the test');
  return () => {
    held = false;
  };
};

const ruleDeliveries = (jobId: string) =>
  invocationsAbout(sandbox(), jobId).filter((invocation) => invocation.trigger.startsWith('rule:'));

describe("the template's rules act on the stack's own account only", () => {
  it('a FAILED backup event from another account reaches no function; the same event from this one does', async () => {
    const seeded = seedFailedBackup(sandbox(), 'guards-0001');
    const release = holdEventsOf(seeded.jobId);
    await sandbox().runUntil(sandbox().clock.ms() + 2 * MINUTE);
    const event = eventOf(sandbox(), seeded.jobId, 'FAILED');
    release();
    expect(event.account).toBe(sandbox().account);

    const foreign = sandbox().putEvent({ ...event, account: OTHER_ACCOUNT });
    await sandbox().settle();
    expect(foreign.matched).toEqual([]);
    expect(ruleDeliveries(seeded.jobId)).toEqual([]);

    const own = sandbox().putEvent({ ...event });
    await sandbox().settle();
    expect(own.matched).toEqual([`${RETRY}.BackupJobFailed`]);
    expect(ruleDeliveries(seeded.jobId).map((i) => [i.function, i.trigger])).toEqual([[RETRY, 'rule:BackupJobFailed']]);
  }, 30_000);

  it('a COMPLETED backup event from another account starts no copy; the same event from this one does', async () => {
    const seeded = seedCompletedBackup(sandbox(), 'guards-0002', 'guards-prod');
    const release = holdEventsOf(seeded.jobId);
    await sandbox().runUntil(sandbox().clock.ms() + 30 * MINUTE);
    const event = eventOf(sandbox(), seeded.jobId, 'COMPLETED');
    release();

    expect(sandbox().putEvent({ ...event, account: OTHER_ACCOUNT }).matched).toEqual([]);
    await sandbox().settle();
    expect(ruleDeliveries(seeded.jobId)).toEqual([]);
    expect(callsAbout(sandbox(), 'StartCopyJob', WEST)).toEqual([]);

    expect(sandbox().putEvent({ ...event }).matched).toEqual([`${COPY}.BackupJobCompleted`]);
    await sandbox().settle();
    expect(ruleDeliveries(seeded.jobId).map((i) => i.function)).toEqual([COPY]);
    const starts = callsAbout(sandbox(), 'StartCopyJob', WEST);
    expect(starts.map((call) => call.status)).toEqual([200]);
  }, 30_000);
});

describe('operations the template declares', () => {
  it("runs each function with its declared log group's name", () => {
    const groups = Object.values(sandbox().template.resources)
      .filter((resource) => resource.type === 'AWS::Logs::LogGroup')
      .map((resource) => resource.name);
    for (const fn of sandbox().functions) {
      const name = sandbox().environmentFor(fn.logicalId).AWS_LAMBDA_LOG_GROUP_NAME;
      expect(name).toBe(`/aws/lambda/${fn.functionName}`);
      expect(groups).toContain(name);
    }
  });

  it('refuses to start with a BackupRolePattern that would let the functions pass any role', async () => {
    await expect(startSandbox({ parameterOverrides: { BackupRolePattern: '*' } })).rejects.toThrow(
      /Parameter 'BackupRolePattern' failed to satisfy constraint: .* \(got "\*"\)/,
    );
  });
});
