import type { Outcome } from '../backup/outcomes.js';
import { digest, hexFrom, uuidFrom } from '../ids.js';
import type { Sandbox } from '../sandbox.js';

/** The day the scenario plays ends when the daily summary is due (template: cron(0 8 * * ? *)). */
export const DAY_END = Date.parse('2026-12-01T08:00:00Z');
const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

/** One thing the day is built to show, for the report: what it is and which resource carries it. */
export interface StoryLine {
  readonly id: string;
  /** The resource's name (its ARN's last part may be an opaque id such as vol-0abc...). */
  readonly name: string;
  readonly what: string;
  readonly resourceArn: string;
}

/** What `seedDay` set up. */
export interface SeededDay {
  readonly start: number;
  readonly end: number;
  readonly jobs: number;
  readonly historyJobs: number;
  readonly resourceTypes: readonly string[];
  readonly vaults: readonly string[];
  readonly story: readonly StoryLine[];
}

/** Settings the day needs from the template (copy rules, every summary channel, webhook secrets). */
export const dayParameters = (account: string): Record<string, string> => ({
  StartCopyJobCopyRules: JSON.stringify(copyRules(account)),
  PostSummaryChannels: 'sns,slack,teams,json',
  PostSummarySlackWebhookSecret: 'backup-autopilot/slack-webhook',
  PostSummaryTeamsWebhookSecret: 'backup-autopilot/teams-webhook',
});

const copyRules = (account: string) => [
  {
    name: 'prod-to-dr',
    match: { sourceVault: 'prod' },
    destinations: [
      { vaultArn: `arn:aws:backup:us-west-2:${account}:backup-vault:dr`, lifecycle: { deleteAfterDays: 35 } },
    ],
  },
  {
    name: 'dev-servers-to-dr',
    match: { sourceVault: 'dev', resourceTypes: ['EBS', 'EC2'] },
    destinations: [
      { vaultArn: `arn:aws:backup:us-west-2:${account}:backup-vault:dr`, lifecycle: { deleteAfterDays: 7 } },
    ],
  },
  {
    // Two hops: cross-Region first into a staging vault, then on to Europe from there.
    name: 'finance-to-europe',
    match: { sourceVault: 'finance' },
    destinations: [
      {
        vaultArn: `arn:aws:backup:eu-west-1:${account}:backup-vault:dr-eu`,
        via: [`arn:aws:backup:us-west-2:${account}:backup-vault:staging`],
        lifecycle: { deleteAfterDays: 90 },
      },
    ],
  },
  {
    name: 'dev-files-to-archive',
    match: { sourceVault: 'dev', resourceTypes: ['EFS'] },
    destinations: [{ vaultArn: `arn:aws:backup:us-west-2:${account}:backup-vault:archive-locked` }],
  },
];

/** A resource of the seeded estate. */
interface Resource {
  readonly name: string;
  readonly arn: string;
  readonly type: string;
  readonly vault: 'prod' | 'dev' | 'finance';
  readonly plan: string;
}

/** A deterministic number in [0, n) from the seed and the parts. */
const pick = (n: number, ...parts: readonly (string | number)[]): number => digest(...parts).readUInt32BE(0) % n;

const arnOf = (type: string, region: string, account: string, name: string, seed: string): string => {
  switch (type) {
    case 'EC2':
      return `arn:aws:ec2:${region}:${account}:instance/i-${hexFrom(17, seed, name)}`;
    case 'EBS':
      return `arn:aws:ec2:${region}:${account}:volume/vol-${hexFrom(17, seed, name)}`;
    case 'RDS':
      return `arn:aws:rds:${region}:${account}:db:${name}`;
    case 'Aurora':
      return `arn:aws:rds:${region}:${account}:cluster:${name}`;
    case 'DynamoDB':
      return `arn:aws:dynamodb:${region}:${account}:table/${name}`;
    case 'EFS':
      return `arn:aws:elasticfilesystem:${region}:${account}:file-system/fs-${hexFrom(8, seed, name)}`;
    default:
      return `arn:aws:s3:::${name}`;
  }
};

const INTERNAL_ERROR = 'An internal error occurred. Please try again later.';

/**
 * Seeds a realistic day into the sandbox: an estate of about 150 resources of seven types in three
 * source vaults under four plans, the previous day's jobs as history (for the comparison and the
 * backup that silently never ran), and this day's jobs at their plans' times, with one failure of
 * every kind the retry decision knows, a lost event, a duplicate storm, a two-hop copy, a copy the
 * destination refuses, and malware scans (clean ones, one that found threats, one that failed). The same seed seeds the same day.
 */
export const seedDay = (sandbox: Sandbox, options: { seed: string; hours: number }): SeededDay => {
  const { seed } = options;
  const { account, region } = sandbox;
  const { store, engine, outcomes } = sandbox.backup;
  const end = DAY_END;
  const start = end - options.hours * HOUR_MS;
  const history = new Set<string>();
  const story: StoryLine[] = [];
  let jobs = 0;

  for (const name of ['prod', 'dev', 'finance']) store.addVault({ account, region, name, creationDate: new Date(0) });
  for (const name of ['dr', 'staging', 'archive-locked']) {
    store.addVault({ account, region: 'us-west-2', name, creationDate: new Date(0) });
  }
  store.addVault({ account, region: 'eu-west-1', name: 'dr-eu', creationDate: new Date(0) });
  const lockedVault = `arn:aws:backup:us-west-2:${account}:backup-vault:archive-locked`;
  // The archive vault's access policy lets no one copy in (recov-point-create-a-copy: the destination
  // vault policy must allow backup:CopyIntoBackupVault); AWS creates the copy job and fails it.
  outcomes.forCopiesInto(lockedVault, {
    state: 'FAILED',
    statusMessage: `User: arn:aws:sts::${account}:assumed-role/AWSBackupDefaultServiceRole/AWSBackup-AWSBackupDefaultServiceRole is not authorized to perform: backup:CopyIntoBackupVault on resource: ${lockedVault}`,
  });

  const rule = (RuleName: string, vault: string, cron: string, window = 480) => ({
    RuleName,
    TargetBackupVaultName: vault,
    ScheduleExpression: cron,
    ScheduleExpressionTimezone: 'Etc/UTC',
    StartWindowMinutes: window,
    CompletionWindowMinutes: 10_080,
    Lifecycle: { DeleteAfterDays: 35 },
  });
  const plans = {
    prodDaily: store.addPlan({
      account,
      region,
      name: 'prod-daily',
      rules: [rule('nightly', 'prod', 'cron(0 5 ? * * *)'), rule('ebs-evening', 'prod', 'cron(0 17 ? * * *)')],
      creationDate: new Date(0),
    }),
    prodFrequent: store.addPlan({
      account,
      region,
      name: 'prod-every-4h',
      rules: [rule('every-4h', 'prod', 'cron(0 0/4 ? * * *)')],
      creationDate: new Date(0),
    }),
    prodFiles: store.addPlan({
      account,
      region,
      name: 'prod-files-midday',
      rules: [rule('midday', 'prod', 'cron(0 12 ? * * *)', 60)],
      creationDate: new Date(0),
    }),
    dev: store.addPlan({
      account,
      region,
      name: 'dev-daily',
      rules: [rule('daily', 'dev', 'cron(0 3 ? * * *)')],
      creationDate: new Date(0),
    }),
    finance: store.addPlan({
      account,
      region,
      name: 'finance-daily',
      rules: [rule('daily', 'finance', 'cron(0 4 ? * * *)')],
      creationDate: new Date(0),
    }),
    // Its selection's tags match no resource any more: the 01:00 rule runs and creates no job at all.
    analytics: store.addPlan({
      account,
      region,
      name: 'analytics-nightly',
      rules: [rule('nightly', 'prod', 'cron(0 1 ? * * *)', 60)],
      creationDate: new Date(0),
    }),
    // Created without a resource selection: its rule runs and backs nothing up.
    archive: store.addPlan({
      account,
      region,
      name: 'archive-weekly',
      rules: [rule('tuesdays', 'prod', 'cron(0 2 ? * 3 *)', 60)],
      creationDate: new Date(0),
    }),
  };
  for (const [key, plan] of Object.entries(plans)) {
    if (key === 'archive') continue;
    store.addSelection({
      account,
      region,
      planId: plan.planId,
      name: key === 'analytics' ? 'analytics-tagged' : `${plan.name}-resources`,
      creationDate: new Date(0),
    });
  }

  // The estate: counts per vault and type, each resource named deterministically.
  const estate: Resource[] = [];
  const add = (type: string, vault: Resource['vault'], plan: string, name: string): Resource => {
    const resource = { name, arn: arnOf(type, region, account, name, seed), type, vault, plan };
    store.addResource({ account, region, arn: resource.arn, resourceType: type, name });
    estate.push(resource);
    return resource;
  };
  const fleet: [string, Resource['vault'], string, number][] = [
    ['EBS', 'prod', 'prodDaily', 50],
    ['EC2', 'prod', 'prodDaily', 15],
    ['RDS', 'prod', 'prodDaily', 10],
    ['Aurora', 'prod', 'prodDaily', 4],
    ['DynamoDB', 'prod', 'prodDaily', 8],
    ['S3', 'prod', 'prodDaily', 5],
    ['EBS', 'dev', 'dev', 20],
    ['EC2', 'dev', 'dev', 6],
    ['Aurora', 'finance', 'finance', 2],
    ['DynamoDB', 'finance', 'finance', 3],
  ];
  for (const [type, vault, plan, count] of fleet) {
    for (let i = 1; i <= count; i += 1) add(type, vault, plan, `${vault}-${type.toLowerCase()}-${i}`);
  }
  const special = {
    retried: add('EBS', 'prod', 'prodDaily', 'orders-volume'),
    notRetryable: add('RDS', 'prod', 'prodDaily', 'payments-db'),
    lostEvent: add('DynamoDB', 'prod', 'prodDaily', 'sessions'),
    storm: add('EC2', 'prod', 'prodDaily', 'api-server'),
    exhausted: add('EBS', 'dev', 'dev', 'scratch-volume'),
    runsSoon: add('EBS', 'prod', 'prodFrequent', 'cache-volume'),
    expired: add('EFS', 'prod', 'prodFiles', 'shared-files'),
    twoHops: add('Aurora', 'finance', 'finance', 'ledger-cluster'),
    refusedCopy: add('EFS', 'dev', 'dev', 'team-share'),
    aborted: add('RDS', 'dev', 'dev', 'analytics-db'),
    silent: add('RDS', 'prod', 'prodDaily', 'legacy-reports'),
  };

  /** The times a plan's rules run in [from, to), with the rule names. */
  const runs = (plan: string, resource: Resource, from: number, to: number): { at: number; rule: string }[] => {
    const times: { at: number; rule: string }[] = [];
    for (let hour = Math.ceil(from / HOUR_MS) * HOUR_MS; hour < to; hour += HOUR_MS) {
      const h = new Date(hour).getUTCHours();
      const due =
        plan === 'prodDaily'
          ? h === 5
            ? 'nightly'
            : h === 17 && resource.type === 'EBS'
              ? 'ebs-evening'
              : undefined
          : plan === 'prodFrequent'
            ? h % 4 === 0
              ? 'every-4h'
              : undefined
            : plan === 'prodFiles'
              ? h === 12
                ? 'midday'
                : undefined
              : plan === 'dev'
                ? h === 3
                  ? 'daily'
                  : undefined
                : h === 4
                  ? 'daily'
                  : undefined;
      // AWS Backup starts a rule's jobs within minutes of its time, spread over the resources.
      if (due) times.push({ at: hour + pick(15, seed, resource.arn, hour) * MINUTE_MS, rule: due });
    }
    return times;
  };

  const planId = (plan: string): string => plans[plan as keyof typeof plans].planId;

  /** The job a plan's rule creates for a resource at its run time, as AWS Backup would. */
  const planJob = (id: string, resource: Resource, run: { at: number; rule: string }, outcome: Outcome): void =>
    engine.at(run.at, () =>
      store.createBackupJob({
        id,
        account,
        region,
        resourceArn: resource.arn,
        plan: { planId: planId(resource.plan), ruleName: run.rule },
        creationDate: run.at,
        outcome,
      }),
    );

  // History: every job before the played hours (the previous window, and with --hours under 24 the
  // start of this one), all completed. They happened before anyone watched: their events reach no
  // function. The sandbox starts 48 hours before the summary, and the engine alone plays them.
  if (sandbox.clock.ms() > end - 48 * HOUR_MS)
    throw new RangeError('seedDay needs a sandbox started 48 h before DAY_END');
  for (const resource of estate) {
    if (resource === special.expired && start <= end - 23 * HOUR_MS) continue;
    for (const run of runs(resource.plan, resource, end - 48 * HOUR_MS, start)) {
      const id = uuidFrom(seed, 'history', resource.arn, run.at);
      history.add(id);
      planJob(id, resource, run, { state: 'COMPLETED' });
    }
  }
  sandbox.bus.lose((event) => history.has(String((event.detail as { backupJobId?: unknown })?.backupJobId)), 'history');
  engine.advanceTo(start);

  /** How this day's job of a resource ends, for the special ones. */
  const outcomeOf = (resource: Resource, rule: string) => {
    // The special resources fail on their plan's main run only (nightly or daily).
    if (rule === 'ebs-evening') return { state: 'COMPLETED' as const };
    if (resource === special.retried || resource === special.storm || resource === special.exhausted) {
      return { state: 'FAILED' as const, statusMessage: INTERNAL_ERROR };
    }
    if (resource === special.notRetryable) {
      return { state: 'FAILED' as const, statusMessage: 'Insufficient privileges to perform this action.' };
    }
    if (resource === special.lostEvent) return { state: 'FAILED' as const, statusMessage: 'Rate exceeded' };
    if (resource === special.runsSoon && rule === 'every-4h') {
      return { state: 'FAILED' as const, statusMessage: INTERNAL_ERROR };
    }
    if (resource === special.aborted)
      return { state: 'ABORTED' as const, statusMessage: 'Backup job was stopped by user.' };
    return { state: 'COMPLETED' as const };
  };

  for (const resource of estate) {
    if (resource === special.silent) continue;
    const dayRuns = runs(resource.plan, resource, start, end);
    // The cache volume fails once, at 04:00, when the plan runs again at 08:00.
    const runsOfDay =
      resource === special.runsSoon ? dayRuns.filter((run) => new Date(run.at).getUTCHours() === 4) : dayRuns;
    for (const run of runsOfDay) {
      jobs += 1;
      const id = uuidFrom(seed, 'job', resource.arn, run.at);
      planJob(id, resource, run, outcomeOf(resource, run.rule));
      if (resource === special.lostEvent) {
        // EventBridge delivers AWS Backup events on a best-effort basis: this FAILED event never arrives.
        sandbox.bus.lose((event) => {
          const detail = event.detail as { backupJobId?: unknown; state?: unknown };
          return detail?.backupJobId === id && detail.state === 'FAILED';
        }, 'lost');
      }
      if (resource === special.storm) {
        sandbox.bus.repeat((event) => {
          const detail = event.detail as { backupJobId?: unknown; state?: unknown };
          return detail?.backupJobId === id && detail.state === 'FAILED';
        }, 10);
      }
    }
  }
  // The shared file system is busy with a long on-demand backup when its midday plan job is due:
  // that job waits in CREATED, and its 60-minute start window runs out (EXPIRED).
  const longRun = Math.max(start, end - 23 * HOUR_MS);
  if (longRun < end) {
    jobs += 1;
    engine.at(longRun, () =>
      store.createBackupJob({
        id: uuidFrom(seed, 'on-demand', special.expired.arn),
        account,
        region,
        resourceArn: special.expired.arn,
        vaultName: 'prod',
        creationDate: longRun,
        outcome: { state: 'COMPLETED', runMinutes: 14 * 60 },
      }),
    );
  }
  // Retries the toolkit starts: most complete; the scratch volume keeps failing.
  outcomes.forResource(special.exhausted.arn, { state: 'FAILED', statusMessage: INTERNAL_ERROR });
  // Two restore tests of the day (restore testing runs them daily): the second fails because its
  // role may not act (the message AWS's knowledge center quotes for an authorization failure,
  // https://repost.aws/knowledge-center/aws-backup-encoded-authorization-failure), so the retry
  // function alerts it once.
  for (const [n, resource] of [special.retried, special.twoHops].entries()) {
    const at = start + (3 + n) * HOUR_MS;
    if (at >= end) continue;
    engine.at(at, () => {
      const point = store.addRecoveryPoint({
        account,
        region,
        vaultName: resource.vault,
        resourceArn: resource.arn,
        resourceType: resource.type,
        creationDate: at - 24 * HOUR_MS,
      });
      store.createRestoreJob({
        account,
        region,
        recoveryPointArn: point.point.RecoveryPointArn as string,
        creationDate: at,
        restoreTestingPlanArn: `arn:aws:backup:${region}:${account}:restore-testing-plan:daily-restore-test-0001`,
        outcome:
          n === 0
            ? { state: 'COMPLETED' }
            : {
                state: 'FAILED',
                runMinutes: 12,
                statusMessage:
                  'You are not authorized to perform this operation. Please consult the permissions associated with your AWS Backup role(s), and refer to the AWS Backup documentation for more details.',
              },
      });
    });
  }
  // The nightly plan's malware scans (a plan rule's scan action, AWS Backup with GuardDuty) of six
  // production volumes' recovery points, after the nightly run: four clean, one that found threats,
  // one that failed because the scanner role may not act (AWS's message for a missing permission).
  const scanned = {
    threats: estate.find((r) => r.name === 'prod-ebs-7') as Resource,
    failed: estate.find((r) => r.name === 'prod-ebs-8') as Resource,
  };
  const scanAt = Math.max(start, end - 2 * HOUR_MS);
  for (const n of [3, 4, 5, 6, 7, 8]) {
    const resource = estate.find((r) => r.name === `prod-ebs-${n}`) as Resource;
    const outcome =
      resource === scanned.threats
        ? ({ state: 'COMPLETED', scanResultStatus: 'THREATS_FOUND' } as const)
        : resource === scanned.failed
          ? ({ state: 'FAILED', statusMessage: 'Insufficient privileges to perform this action.' } as const)
          : ({ state: 'COMPLETED', scanResultStatus: 'NO_THREATS_FOUND' } as const);
    const at = scanAt + n * MINUTE_MS;
    if (at >= end) continue;
    engine.at(at, () => {
      const point = store.addRecoveryPoint({
        account,
        region,
        vaultName: resource.vault,
        resourceArn: resource.arn,
        resourceType: resource.type,
        creationDate: at - 3 * HOUR_MS,
      });
      store.createScanJob({
        id: uuidFrom(seed, 'scan', resource.arn),
        account,
        region,
        recoveryPointArn: point.point.RecoveryPointArn as string,
        creationDate: at,
        outcome: { ...outcome, runMinutes: 20 },
      });
    });
  }
  // A busy minute: AWS Backup throttles the first copy starts of the nightly run; the SDK retries.
  sandbox.faults.add({ service: 'backup', operation: 'StartCopyJob', fault: { kind: 'throttle' }, times: 2 });

  sandbox.secrets.putSecret('backup-autopilot/slack-webhook', sandbox.webhooks.url('/slack/T000/B000/sandbox'));
  sandbox.secrets.putSecret('backup-autopilot/teams-webhook', sandbox.webhooks.url('/teams/workflows/sandbox'));

  const line = (id: string, what: string, resource: Resource) =>
    story.push({ id, name: resource.name, what, resourceArn: resource.arn });
  line('retried', 'failed with an internal error: retried after the backoff, then completed', special.retried);
  line('not-retryable', 'failed for missing permissions: not retried, one alert with the remedy', special.notRetryable);
  line('lost-event', 'failed, and its event was lost: only the hourly sweep finds it', special.lostEvent);
  line('storm', 'failed, and its event arrived 10 times at once: one schedule, one retry', special.storm);
  line('exhausted', 'fails every time: retried 3 times, then one alert', special.exhausted);
  line('plan-runs-soon', 'failed at 04:00, its plan runs again at 08:00: left to the plan', special.runsSoon);
  line(
    'expired',
    'expired behind a long running backup of the same file system: retried once that finished',
    special.expired,
  );
  line('two-hops', 'completed: copied to us-west-2, then on to eu-west-1 from there', special.twoHops);
  line('refused-copy', 'completed, but the destination vault refuses the copy: one alert', special.refusedCopy);
  line('aborted', 'stopped by a person: not retried (ABORTED is not in RetryStates)', special.aborted);
  line('silent-miss', 'backed up yesterday, no job at all today: the summary says so', special.silent);
  line('scan-threats', 'its malware scan found threats: one alert, listed in the summary', scanned.threats);
  line('scan-failed', 'its malware scan failed (missing permission): one alert, listed in the summary', scanned.failed);

  return {
    start,
    end,
    jobs,
    historyJobs: history.size,
    resourceTypes: [...new Set(estate.map((r) => r.type))].sort(),
    vaults: ['dev', 'finance', 'prod'],
    story,
  };
};
