/**
 * Benchmark of the organization-wide summary at fleet scale (issue 21, item 3): 200 accounts, 4
 * Regions, 100,000 backup jobs in the window (25,000 a Region, as many in the previous window), this
 * account's copies and restores, through the real buildSummaryReport with SUMMARY_SCOPE=organization:
 * ListBackupJobs ByAccountId `*` per Region, Organizations ListAccounts once, the per-account lines
 * and the accounts with no job.
 *
 * The services are fakes behind the real SDK clients (BackupClient per Region, OrganizationsClient),
 * with `send` replaced, building each full page on demand, as bench/summary-aggregate does: the
 * benchmark measures the summary, not a stand-in. The sandbox's Backup stand-in filters and sorts
 * its whole store on every page and serialises it over HTTP, which at 200,000 jobs a Region-pair
 * would time the stand-in (and hold every job in its memory, not the summary's).
 *
 * Three timed runs: no latency (the aggregation's own cost), then 20 ms per list call with one
 * Region at a time and with the default 4 (what SUMMARY_REGION_CONCURRENCY buys). One run measuring
 * the live heap after a full GC every 1,000 jobs, whose peak minus the heap before is the "peak heap
 * growth". Fails (exit 1) above 5 minutes for the run without latency, or 64 MiB of heap growth
 * (an eighth of the summary function's 512 MB), or when any list call grows with the accounts other
 * than ListAccounts' pages.
 */
import {
  BackupClient,
  type BackupJob,
  ListBackupJobSummariesCommand,
  ListBackupJobsCommand,
  ListBackupPlansCommand,
  ListCopyJobsCommand,
  ListRestoreJobsCommand,
  ListScanJobSummariesCommand,
  ListScanJobsCommand,
} from '@aws-sdk/client-backup';
import { ListAccountsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { buildSummaryReport } from '../functions/post-summary/build-report.js';
import {
  aBackupJob,
  aCopyJob,
  answerSummaryCall,
  aRestoreJob,
  type FakeBackupService,
  isWindow,
  NOW,
  PREVIOUS_SINCE,
  SINCE,
  UNTIL,
} from '../test/functions/post-summary/builders.js';

const ACCOUNTS = 200;
/** Accounts with jobs now (0..196); 197 and 198 had jobs in the previous window only; 199 never. */
const WITH_JOBS = 197;
const WITH_PREVIOUS_JOBS = 199;
const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-southeast-2'];
const JOBS_PER_DAY = 100_000;
const PER_REGION = JOBS_PER_DAY / REGIONS.length;
/** Resources per account and Region (jobs cycle over them). */
const SLOTS = 50;
const LIMIT_MS = 5 * 60_000;
const LIMIT_GROWTH_MIB = 64;
const LATENCY_MS = 20;
const MIB = 1024 * 1024;
const HOUR_MS = 3_600_000;

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc (npm run bench does)');

const accountId = (k: number): string => String(100000000000 + k);
/** The management account, where the function runs: its copies and restores are listed. */
const HOME = accountId(0);

const MESSAGES = [
  { MessageCategory: 'ACCESS_DENIED', StatusMessage: '"Insufficient privileges to perform this action."' },
  { StatusMessage: '"Backup job failed because there was a running job for the same resource."' },
];

/** The i-th backup job of a window in a Region: 90% completed (2% with issues), the rest over the problem states. */
const jobAt =
  (region: string, window: 'b' | 'p') =>
  (i: number): BackupJob => {
    const accounts = window === 'b' ? WITH_JOBS : WITH_PREVIOUS_JOBS;
    const k = i % accounts;
    const account = accountId(k);
    const slot = Math.floor(i / accounts) % SLOTS;
    const id = `${window}-${region}-${i}`;
    const start = window === 'b' ? SINCE : PREVIOUS_SINCE;
    const base = {
      BackupJobId: id,
      AccountId: account,
      RecoveryPointArn: `arn:aws:ec2:${region}::snapshot/snap-${account}-${window}${i}`,
      ResourceArn: `arn:aws:ec2:${region}:${account}:volume/vol-${slot}`,
      ResourceType: ['EBS', 'RDS', 'EFS', 'DynamoDB'][i % 4],
      BackupVaultName: `vault-${i % 3}`,
      BackupVaultArn: `arn:aws:backup:${region}:${account}:backup-vault:vault-${i % 3}`,
      CreationDate: new Date(start.getTime() + Math.floor((i * 24 * HOUR_MS) / PER_REGION)),
      // Ended when it was created: a job of the previous window also ended in it (one that ended in
      // this window would count as this window's, build-report.ts).
      CompletionDate: new Date(start.getTime() + Math.floor((i * 24 * HOUR_MS) / PER_REGION)),
      BackupSizeInBytes: 1_000 + (i % 1_000),
    };
    const r = i % 100;
    // Account 42 is the worst: every tenth of its jobs fails.
    if (k === 42 && i % 10 === 0)
      return aBackupJob({ ...base, State: 'FAILED', RecoveryPointArn: undefined, ...MESSAGES[0] });
    if (r < 88) return aBackupJob(base);
    if (r < 90) return aBackupJob({ ...base, MessageCategory: 'INVALIDPARAMETERS' });
    if (r < 94) return aBackupJob({ ...base, State: 'FAILED', RecoveryPointArn: undefined, ...MESSAGES[i % 2] });
    if (r < 96)
      return aBackupJob({ ...base, State: 'EXPIRED', RecoveryPointArn: undefined, MessageCategory: undefined });
    if (r < 98) return aBackupJob({ ...base, State: 'PARTIAL', MessageCategory: undefined });
    return aBackupJob({ ...base, State: 'RUNNING', RecoveryPointArn: undefined, MessageCategory: undefined });
  };

type Calls = Record<string, number>;

const COMMANDS = [
  ['ListBackupJobs', ListBackupJobsCommand],
  ['ListCopyJobs', ListCopyJobsCommand],
  ['ListRestoreJobs', ListRestoreJobsCommand],
  ['ListBackupJobSummaries', ListBackupJobSummariesCommand],
  ['ListBackupPlans', ListBackupPlansCommand],
  ['ListScanJobs', ListScanJobsCommand],
  ['ListScanJobSummaries', ListScanJobSummariesCommand],
] as const;

const run = async (options: { latencyMs: number; regionConcurrency: number; sample: boolean }) => {
  const calls: Calls = {};
  let peak = 0;
  const measure = () => {
    if (!options.sample) return;
    gc();
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  };
  const sampled = <T>(count: number, at: (i: number) => T) => ({
    count,
    at: (i: number) => {
      if (i % 1000 === 0) measure();
      return at(i);
    },
  });
  const wait = () => (options.latencyMs > 0 ? new Promise((r) => setTimeout(r, options.latencyMs)) : undefined);
  const credentials = { accessKeyId: 'x', secretAccessKey: 'x' };

  const clients = new Map<string, BackupClient>();
  for (const region of REGIONS) {
    const current = jobAt(region, 'b');
    const previous = jobAt(region, 'p');
    // This account's copies: one of every other of its completed recovery points in the window.
    const homeJobs = Math.floor(PER_REGION / WITH_JOBS);
    const service: FakeBackupService = {
      backup: (input) => sampled(PER_REGION, isWindow(input, SINCE) ? current : previous),
      copy: (input) =>
        sampled(isWindow(input, SINCE) ? Math.floor(homeJobs / 2) : 0, (j) =>
          aCopyJob({
            AccountId: HOME,
            CopyJobId: `c-${region}-${j}`,
            SourceRecoveryPointArn: current(2 * j * WITH_JOBS).RecoveryPointArn,
            CreationDate: new Date(SINCE.getTime() + HOUR_MS),
          }),
        ),
      restore: () => sampled(10, (j) => aRestoreJob({ AccountId: HOME, RestoreJobId: `r-${region}-${j}` })),
    };
    const client = new BackupClient({ region, credentials });
    const send = async (command: unknown): Promise<unknown> => {
      // Named by instanceof: the bundler renames classes (ListBackupJobsCommand2).
      const name = COMMANDS.find(([, type]) => command instanceof type)?.[0] ?? String(command);
      calls[name] = (calls[name] ?? 0) + 1;
      await wait();
      if (command instanceof ListBackupJobsCommand && command.input.ByAccountId !== '*') {
        throw new Error('organization scope must list ByAccountId *');
      }
      const answer = answerSummaryCall(service, command);
      if (answer === undefined) throw new Error(`unexpected ${String(command)}`);
      return answer;
    };
    // biome-ignore lint/suspicious/noExplicitAny: a fake send for the benchmark; the paginators only need instanceof BackupClient.
    client.send = send as any;
    clients.set(region, client);
  }

  const organizations = new OrganizationsClient({ region: 'us-east-1', credentials });
  const listAccounts = async (command: unknown): Promise<unknown> => {
    if (!(command instanceof ListAccountsCommand)) throw new Error(`unexpected ${String(command)}`);
    calls.ListAccounts = (calls.ListAccounts ?? 0) + 1;
    await wait();
    const start = Number(command.input.NextToken ?? '0');
    const end = Math.min(ACCOUNTS, start + (command.input.MaxResults ?? 20));
    return {
      Accounts: Array.from({ length: end - start }, (_, n) => ({
        Id: accountId(start + n),
        Name: `team-${start + n}`,
        State: 'ACTIVE',
      })),
      NextToken: end < ACCOUNTS ? String(end) : undefined,
    };
  };
  // biome-ignore lint/suspicious/noExplicitAny: a fake send for the benchmark; the paginator only needs instanceof OrganizationsClient.
  organizations.send = listAccounts as any;
  const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

  gc();
  const before = process.memoryUsage().heapUsed;
  peak = before;
  const started = performance.now();
  const report = await buildSummaryReport(
    {
      backupClientFor: (region) => clients.get(region) as BackupClient,
      organizationsClient: () => organizations,
      now: () => NOW,
      logger: quiet,
    },
    {
      since: SINCE,
      until: UNTIL,
      regions: REGIONS,
      scope: 'organization',
      accountId: HOME,
      regionConcurrency: options.regionConcurrency,
    },
  );
  const elapsedMs = performance.now() - started;
  measure();
  if (report.backup.total !== JOBS_PER_DAY || !report.complete) {
    throw new Error(`aggregated ${report.backup.total} of ${JOBS_PER_DAY}, complete ${report.complete}`);
  }
  return { elapsedMs, growthMiB: (peak - before) / MIB, report, calls };
};

await run({ latencyMs: 0, regionConcurrency: 4, sample: false }); // warm-up (JIT)
// The faster of two runs: the machine is shared, and a run can only be slowed by others.
const first = await run({ latencyMs: 0, regionConcurrency: 4, sample: false });
const second = await run({ latencyMs: 0, regionConcurrency: 4, sample: false });
const timed = first.elapsedMs <= second.elapsedMs ? first : second;
const serial = await run({ latencyMs: LATENCY_MS, regionConcurrency: 1, sample: false });
const parallel = await run({ latencyMs: LATENCY_MS, regionConcurrency: 4, sample: false });
const measured = await run({ latencyMs: 0, regionConcurrency: 4, sample: true });

const r = timed.report;
const accounts = r.accounts;
if (!accounts) throw new Error('no accounts part');
const totalCalls = Object.values(timed.calls).reduce((a, b) => a + b, 0);
console.log(
  `organization summary: ${ACCOUNTS} accounts, ${REGIONS.length} Regions, ${JOBS_PER_DAY.toLocaleString('en')} backup jobs (as many in the previous window)`,
);
console.log(
  `  wall time ${(timed.elapsedMs / 1000).toFixed(2)} s without latency; peak heap growth ${measured.growthMiB.toFixed(2)} MiB`,
);
console.log(
  `  with ${LATENCY_MS} ms a list call: ${(serial.elapsedMs / 1000).toFixed(2)} s one Region at a time, ${(parallel.elapsedMs / 1000).toFixed(2)} s 4 at a time`,
);
console.log(
  `  list calls (${totalCalls}): ${Object.entries(timed.calls)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, n]) => `${name} ${n}`)
    .join(', ')}`,
);
console.log(
  `  accounts: ${accounts.withJobs} with jobs of ${accounts.active} active, ${accounts.withoutJobs.items.length + accounts.withoutJobs.more} without (${accounts.wentSilent} went silent);` +
    ` worst ${accounts.lines.items[0]?.accountId} (${accounts.lines.items[0]?.failed} failed); ` +
    `problems ${r.problemJobs.items.length}+${r.problemJobs.more}, silent misses ${r.silentMisses.items.length + r.silentMisses.more}, coverage ${r.copyCoverage.copied}/${r.copyCoverage.recoveryPoints} (this account)`,
);

// Calls that grow with accounts: only ListAccounts' pages (20 accounts a call).
const expectedAccountCalls = Math.ceil(ACCOUNTS / 20);
const problems: string[] = [];
if (timed.calls.ListAccounts !== expectedAccountCalls) {
  problems.push(`ListAccounts called ${timed.calls.ListAccounts} times, expected ${expectedAccountCalls}`);
}
const backupPages = REGIONS.length * 2 * Math.ceil(PER_REGION / 1000);
if (timed.calls.ListBackupJobs !== backupPages) {
  problems.push(`ListBackupJobs called ${timed.calls.ListBackupJobs} times, expected ${backupPages}`);
}
if (timed.elapsedMs > LIMIT_MS) problems.push(`took ${(timed.elapsedMs / 1000).toFixed(1)} s`);
if (measured.growthMiB >= LIMIT_GROWTH_MIB) problems.push(`peak heap growth ${measured.growthMiB.toFixed(1)} MiB`);
if (problems.length > 0) {
  console.error(`benchmark limits exceeded: ${problems.join('; ')}`);
  process.exit(1);
}
