/**
 * Benchmark of the summary's collection and aggregation (issue 13): 1,000 / 10,000 / 100,000 backup
 * jobs in the window (plus as many in the previous window, half as many copy jobs and 1% restores)
 * through the real buildSummaryReport, against a full-page fake service behind a real BackupClient that
 * builds each page on demand (the service, not the aggregation, owns the jobs). Its `send` is replaced
 * directly, not with aws-sdk-client-mock: sinon records every call's return value, which would keep
 * every page alive and measure the mock instead of the aggregation (278 MiB at 100,000 jobs).
 *
 * Run with `npm run bench` (scripts/run-bench.mjs bundles this file and runs it with --expose-gc).
 * Two runs a size: one timed; one measuring the live heap (after a full GC) at every page boundary and
 * at the end, whose peak minus the heap before the run is the "peak heap growth".
 * Fails (exit 1) when 100,000 jobs take more than 5 minutes or the growth from 1,000 to 100,000 jobs
 * reaches 48 MiB (a tenth of the summary function's 512 MB; exact ARN keys, no hashes: 34 MiB measured
 * with every job on a distinct resource).
 */
import { writeFileSync } from 'node:fs';
import { BackupClient } from '@aws-sdk/client-backup';
import { buildSummaryReport } from '../functions/post-summary/build-report.js';
import type { BackupJob } from '../shared/backup/index.js';
import {
  ACCOUNT,
  aBackupJob,
  aCopyJob,
  answerSummaryCall,
  aRestoreJob,
  type FakeBackupService,
  isWindow,
  NOW,
  PREVIOUS_SINCE,
  recoveryPointArn,
  SINCE,
  UNTIL,
  volumeArn,
} from '../test/functions/post-summary/builders.js';

const SIZES = [1_000, 10_000, 100_000] as const;
/** Resources protected (jobs cycle over them); `--distinct` makes every job's resource distinct (worst case). */
const RESOURCES = process.argv.includes('--distinct') ? Number.MAX_SAFE_INTEGER : 10_000;
const MISSED_BASE = 1e12;
const LIMIT_MS = 5 * 60_000;
const LIMIT_GROWTH_MIB = 48;
const MIB = 1024 * 1024;
const HOUR_MS = 3_600_000;

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc (npm run bench does)');

const MESSAGES = [
  { MessageCategory: 'ACCESS_DENIED', StatusMessage: '"Insufficient privileges to perform this action."' },
  {
    MessageCategory: 'ACCESS_DENIED',
    StatusMessage: '"The KMS key arn:aws:kms:eu-west-1:111122223333:key/k is disabled."',
  },
  { StatusMessage: '"Backup job failed because there was a running job for the same resource."' },
];

/** The i-th job of a window: 90% completed (2% of them with issues), the rest spread over the problem states. */
const jobAt =
  (window: string, start: Date, span: number, n: number) =>
  (i: number): BackupJob => {
    const id = `${window}-${i}`;
    const r = i % 100;
    // 1% of the previous window's completed backups are of resources with no job now: silent misses.
    const resource = window === 'p' && r === 50 ? MISSED_BASE + (i % RESOURCES) : i % RESOURCES;
    const base = {
      BackupJobId: id,
      RecoveryPointArn: recoveryPointArn(id),
      ResourceArn: volumeArn(resource),
      ResourceType: ['EBS', 'RDS', 'EFS', 'DynamoDB'][i % 4],
      BackupVaultName: `vault-${i % 7}`,
      AccountId: ACCOUNT,
      CreationDate: new Date(start.getTime() + Math.floor((i * span) / n)),
      // Ended when it was created: a job of the previous window also ended in it (one that ended in
      // this window would count as this window's, build-report.ts).
      CompletionDate: new Date(start.getTime() + Math.floor((i * span) / n)),
      BackupSizeInBytes: 1_000 + (i % 1_000),
    };
    if (r < 88) return aBackupJob(base);
    if (r < 90) return aBackupJob({ ...base, MessageCategory: 'INVALIDPARAMETERS' });
    if (r < 94) return aBackupJob({ ...base, State: 'FAILED', RecoveryPointArn: undefined, ...MESSAGES[i % 3] });
    if (r < 96)
      return aBackupJob({ ...base, State: 'EXPIRED', RecoveryPointArn: undefined, MessageCategory: undefined });
    if (r < 97)
      return aBackupJob({ ...base, State: 'ABORTED', RecoveryPointArn: undefined, MessageCategory: undefined });
    if (r < 98) return aBackupJob({ ...base, State: 'PARTIAL', MessageCategory: undefined });
    return aBackupJob({ ...base, State: 'RUNNING', RecoveryPointArn: undefined, MessageCategory: undefined });
  };

const run = async (n: number, sample: boolean) => {
  const client = new BackupClient({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  let peak = 0;
  const measure = () => {
    if (!sample) return;
    gc();
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  };
  const span = UNTIL.getTime() - SINCE.getTime();
  const current = jobAt('b', SINCE, span, n);
  const previous = jobAt('p', PREVIOUS_SINCE, span, n);
  const sampled = <T>(count: number, at: (i: number) => T) => ({
    count,
    at: (i: number) => {
      if (i % 1000 === 0) measure();
      return at(i);
    },
  });
  const service: FakeBackupService = {
    backup: (input) => sampled(n, isWindow(input, SINCE) ? current : previous),
    copy: (input) =>
      sampled(Math.floor(n / 2), (i) =>
        aCopyJob({
          CopyJobId: `c-${i}`,
          // Every other job's recovery point is copied (in the window), some copies fail.
          SourceRecoveryPointArn: recoveryPointArn(`${isWindow(input, SINCE) ? 'b' : 'p'}-${2 * i}`),
          State: i % 50 === 0 ? 'FAILED' : 'COMPLETED',
          CreationDate: new Date(SINCE.getTime() + HOUR_MS),
        }),
      ),
    restore: () => sampled(Math.floor(n / 100), (i) => aRestoreJob({ RestoreJobId: `r-${i}` })),
  };
  const send = async (command: unknown): Promise<unknown> => {
    const answer = answerSummaryCall(service, command);
    if (answer === undefined) throw new Error(`unexpected ${String(command)}`);
    return answer;
  };
  // biome-ignore lint/suspicious/noExplicitAny: a fake send for the benchmark; the paginators only need instanceof BackupClient.
  client.send = send as any;
  const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

  gc();
  const before = process.memoryUsage().heapUsed;
  peak = before;
  const started = performance.now();
  const report = await buildSummaryReport(
    { backupClientFor: () => client, now: () => NOW, logger: quiet },
    { since: SINCE, until: UNTIL, regions: ['eu-west-1'], scope: 'account', accountId: ACCOUNT },
  );
  const elapsedMs = performance.now() - started;
  measure();
  if (report.backup.total !== n || !report.complete) throw new Error(`aggregated ${report.backup.total} of ${n}`);
  return { elapsedMs, growthMiB: (peak - before) / MIB, report };
};

const results: { jobs: number; elapsedMs: number; peakHeapGrowthMiB: number }[] = [];
await run(1_000, false); // warm-up: JIT and module state, so the 1k figure is not a cold start
for (const n of SIZES) {
  const timed = await run(n, false);
  const measured = await run(n, true);
  results.push({
    jobs: n,
    elapsedMs: Math.round(timed.elapsedMs),
    peakHeapGrowthMiB: Number(measured.growthMiB.toFixed(2)),
  });
  const r = timed.report;
  console.log(
    `${String(n).padStart(7)} jobs: ${timed.elapsedMs.toFixed(0).padStart(6)} ms, peak heap growth ${measured.growthMiB.toFixed(2)} MiB` +
      ` (backup ${r.backup.total}, copy ${r.copy.total}, restore ${r.restore.total}, problems ${r.problemJobs.items.length}+${r.problemJobs.more},` +
      ` coverage ${r.copyCoverage.copied}/${r.copyCoverage.recoveryPoints}, silent misses ${r.silentMisses.items.length + r.silentMisses.more})`,
  );
}

const first = results[0];
const last = results.at(-1);
if (!first || !last) throw new Error('no results');
const growth = last.peakHeapGrowthMiB - first.peakHeapGrowthMiB;
console.log(`heap growth from 1,000 to 100,000 jobs: ${growth.toFixed(2)} MiB (limit < ${LIMIT_GROWTH_MIB} MiB)`);
console.log(`100,000 jobs: ${(last.elapsedMs / 1000).toFixed(1)} s (limit ${LIMIT_MS / 60_000} min)`);
writeFileSync(
  new URL('./results.json', import.meta.url),
  `${JSON.stringify({ node: process.version, results, growthMiB: Number(growth.toFixed(2)) }, null, 2)}\n`,
);
if (last.elapsedMs > LIMIT_MS || growth >= LIMIT_GROWTH_MIB) {
  console.error('benchmark limits exceeded');
  process.exit(1);
}
