import { isRecord } from '../../shared/objects.js';
import type { Sandbox } from '../sandbox.js';
import type { StoryLine } from './day.js';

/** One alert a person received (an SNS message of kind `alert`). */
export interface AlertRecord {
  readonly at: string;
  readonly from: string;
  readonly subject: string;
  readonly category: string;
  readonly body: string;
}

/** What the toolkit did during a sandbox run, and why: the content of `actions.json`. */
export interface Actions {
  readonly window: { readonly start: string; readonly end: string };
  readonly events: {
    readonly sent: number;
    readonly delivered: number;
    readonly lost: number;
    readonly duplicated: number;
  };
  readonly retries: {
    readonly scheduled: readonly { at: string; resource: string; attempt: number; notBefore: string }[];
    /** Looks again while a job ran for the resource (decide.ts `wait`), by resource. */
    readonly waited: Readonly<Record<string, number>>;
    readonly started: readonly { at: string; resource: string; token: string; newJobId: string }[];
    readonly skipped: Readonly<Record<string, readonly string[]>>;
    readonly duplicatesIgnored: number;
  };
  readonly copies: readonly { at: string; rule?: string; hop: string; from: string; to: string; region: string }[];
  readonly alerts: readonly AlertRecord[];
  readonly story: readonly (StoryLine & { readonly happened: readonly string[] })[];
  /** The name of every resource the actions mention, by ARN (ARNs end in opaque ids such as vol-0abc...). */
  readonly names: Readonly<Record<string, string>>;
  /** Calls that change something, per function: exactly once per intent, so the same on every run. */
  readonly mutatingCalls: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

const MUTATING = new Set(['StartBackupJob', 'StartCopyJob', 'TagResource', 'CreateSchedule', 'Publish']);
const iso = (ms: number) => new Date(ms).toISOString();
const str = (value: unknown): string => (typeof value === 'string' ? value : '');

const count = <T>(items: readonly T[], keyOf: (item: T) => string): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const item of items) out[keyOf(item)] = (out[keyOf(item)] ?? 0) + 1;
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
};

/** The resource a backup or copy job id belongs to, from the Backup stand-in. */
const resourceOfJob = (sandbox: Sandbox, jobId: string): string => {
  const record = sandbox.backup.store.job(jobId);
  return record && record.kind !== 'restore' ? record.job.ResourceArn : jobId;
};

/** Builds the actions of a run from what the stand-ins recorded and what the functions returned. */
export const collectActions = (sandbox: Sandbox, story: readonly StoryLine[], start: number, end: number): Actions => {
  const ok = (status: number) => status >= 200 && status < 300;
  const calls = sandbox.calls.list();
  // Events of the seeded history happened before the played hours: they are not the day's.
  const bus = sandbox.bus.records.filter((b) => b.dropped !== 'history');

  const schedules = calls
    .filter((c) => c.operation === 'CreateSchedule' && ok(c.status))
    .map((c) => {
      const input = isRecord(c.input) ? c.input : {};
      const target = isRecord(input.Target) ? input.Target : {};
      const attempt = JSON.parse(str(target.Input) || '{}') as { jobId?: string; attempt?: number; wait?: number };
      return {
        at: iso(c.at),
        resource: resourceOfJob(sandbox, attempt.jobId ?? ''),
        attempt: attempt.attempt ?? 0,
        // A look again while a job runs for the resource (decide.ts `wait`), not a retry's schedule.
        waiting: attempt.wait !== undefined,
        notBefore: str(input.ScheduleExpression).replace(/^at\((.*)\)$/, '$1Z'),
      };
    });
  const started = calls
    .filter((c) => c.operation === 'StartBackupJob' && ok(c.status))
    .map((c) => {
      const input = isRecord(c.input) ? c.input : {};
      const token = str(input.IdempotencyToken);
      const use = sandbox.backup.tokens().find((t) => t.token === token);
      return { at: iso(c.at), resource: str(input.ResourceArn), token, newJobId: use?.jobId ?? '' };
    });
  // Only one start per token is an intent; a re-send of the same token is the same intent.
  const startedOnce = started
    .filter((s, i) => started.findIndex((o) => o.token === s.token) === i)
    .sort((a, b) => a.at.localeCompare(b.at) || a.resource.localeCompare(b.resource));
  const scheduled = schedules.filter((s) => !s.waiting).map(({ waiting: _waiting, ...s }) => s);
  const waited = count(
    schedules.filter((s) => s.waiting),
    (s) => s.resource,
  );
  scheduled.sort((a, b) => a.at.localeCompare(b.at) || a.resource.localeCompare(b.resource) || a.attempt - b.attempt);

  const skipped: Record<string, string[]> = {};
  let duplicatesIgnored = 0;
  for (const invocation of sandbox.invocations) {
    if (invocation.function !== 'RetryFailedJobFunction' || !invocation.outcome.ok) continue;
    const result = invocation.outcome.result;
    if (!isRecord(result)) continue;
    if (result.result === 'duplicate') duplicatesIgnored += 1;
    if (result.result === 'skipped') {
      const reason = str(result.reason);
      const list = skipped[reason] ?? [];
      list.push(resourceOfJob(sandbox, str(result.jobId)));
      skipped[reason] = list;
    }
  }
  for (const list of Object.values(skipped)) list.sort();

  const copyRuns = sandbox.invocations.flatMap((invocation) => {
    if (invocation.function !== 'StartCopyJobFunction' || !invocation.outcome.ok) return [];
    const result = invocation.outcome.result;
    return isRecord(result) && Array.isArray(result.results) ? (result.results as unknown[]) : [];
  });
  const copies = calls
    .filter((c) => c.operation === 'StartCopyJob' && ok(c.status))
    .map((c) => {
      const input = isRecord(c.input) ? c.input : {};
      const token = str(input.IdempotencyToken);
      const planned = copyRuns
        .map((r) => (isRecord(r) && isRecord(r.copy) ? r.copy : undefined))
        .find((copy) => copy && isRecord(copy.input) && copy.input.IdempotencyToken === token);
      return {
        at: iso(c.at),
        ...(planned ? { rule: str(planned.ruleName) } : {}),
        hop: planned ? `${planned.hop} of ${planned.hops}` : '?',
        from: str(input.RecoveryPointArn),
        to: str(input.DestinationBackupVaultArn),
        region: c.region,
        token,
      };
    })
    .filter((copy, i, all) => all.findIndex((o) => o.token === copy.token) === i)
    // Copies started in the same sandbox minute arrive in any order: sort them so a seed replays byte for byte.
    .sort((a, b) => a.at.localeCompare(b.at) || a.from.localeCompare(b.from) || a.to.localeCompare(b.to))
    .map(({ token: _token, ...copy }) => copy);

  const alerts: AlertRecord[] = sandbox.sns
    .published()
    .filter((m) => m.attributes.kind?.StringValue !== 'summary')
    .map((m) => ({
      at: iso(m.at),
      from: m.caller,
      subject: m.subject ?? '',
      category: m.attributes.category?.StringValue ?? '',
      body: m.message,
    }))
    .sort((a, b) => a.at.localeCompare(b.at) || a.subject.localeCompare(b.subject));

  const storyWithFacts = story.map((line) => {
    const happened: string[] = [];
    const mine = (arn: string) => arn === line.resourceArn;
    const jobs = sandbox.backup.store
      .jobs()
      .flatMap((r) => (r.kind === 'backup' && mine(r.job.ResourceArn) ? [r.job] : []));
    const today = jobs.filter((job) => job.CreationDate.getTime() >= start);
    happened.push(`${today.length} backup job(s) today: ${today.map((job) => job.State).join(', ') || 'none'}`);
    const lost = bus.filter(
      (b) =>
        b.dropped === 'lost' &&
        today.some((job) => job.BackupJobId === (b.event.detail as { backupJobId?: string })?.backupJobId),
    );
    if (lost.length > 0) happened.push(`${lost.length} event(s) lost on the way`);
    const repeated = bus.filter(
      (b) =>
        b.deliveries > 1 &&
        today.some((job) => job.BackupJobId === (b.event.detail as { backupJobId?: string })?.backupJobId),
    );
    for (const r of repeated)
      happened.push(`a ${String((r.event.detail as { state?: string }).state)} event delivered ${r.deliveries} times`);
    const myScheduled = scheduled.filter((s) => mine(s.resource));
    if (myScheduled.length > 0) happened.push(`${myScheduled.length} retry schedule(s) created`);
    const looks = waited[line.resourceArn] ?? 0;
    if (looks > 0) happened.push(`a job ran for it: looked again ${looks} time(s)`);
    const myStarts = startedOnce.filter((s) => mine(s.resource));
    if (myStarts.length > 0) happened.push(`${myStarts.length} retry start(s)`);
    for (const [reason, resources] of Object.entries(skipped)) {
      const n = resources.filter(mine).length;
      if (n > 0) happened.push(`skipped: ${reason}${n > 1 ? ` (x${n})` : ''}`);
    }
    // A copy belongs to the resource whose recovery point it copies (hop 1 from the source Region,
    // hop 2 from the intermediate vault's Region, where hop 1's copy landed).
    const hops = copies.filter(
      (c) =>
        sandbox.backup.store.recoveryPoint(sandbox.account, c.region, c.from)?.point.ResourceArn === line.resourceArn,
    );
    for (const c of hops) happened.push(`copy hop ${c.hop} started in ${c.region} into ${c.to.split(':').pop()}`);
    const myAlerts = alerts.filter((a) => a.body.includes(line.resourceArn));
    for (const a of myAlerts) happened.push(`alert: ${a.subject}`);
    return { ...line, happened };
  });

  const mutating: Record<string, Record<string, number>> = {};
  for (const c of calls) {
    if (!MUTATING.has(c.operation) || !ok(c.status)) continue;
    const byOp = mutating[c.caller] ?? {};
    byOp[`${c.service}.${c.operation}`] = (byOp[`${c.service}.${c.operation}`] ?? 0) + 1;
    mutating[c.caller] = byOp;
  }

  const names: Record<string, string> = {};
  const mentioned = [
    ...scheduled.map((x) => x.resource),
    ...Object.keys(waited),
    ...startedOnce.map((x) => x.resource),
    ...Object.values(skipped).flat(),
    ...story.map((x) => x.resourceArn),
  ];
  for (const arn of [...new Set(mentioned)].sort()) {
    const name = sandbox.backup.store.resource(sandbox.account, sandbox.region, arn)?.name;
    if (name) names[arn] = name;
  }

  return {
    window: { start: iso(start), end: iso(end) },
    events: {
      sent: bus.length,
      delivered: bus.filter((b) => b.matched.length > 0).length,
      lost: bus.filter((b) => b.dropped === 'lost').length,
      duplicated: bus.filter((b) => b.deliveries > 1).length,
    },
    retries: { scheduled, waited, started: startedOnce, skipped, duplicatesIgnored },
    copies,
    alerts,
    story: storyWithFacts,
    names,
    mutatingCalls: Object.fromEntries(
      Object.entries(mutating)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([caller, ops]) => [
          caller,
          count(
            Object.entries(ops).flatMap(([op, n]) => Array<string>(n).fill(op)),
            (x) => x,
          ),
        ]),
    ),
  };
};

/** Every AWS call each function made, by service and operation (retries of throttled calls included). */
export const callsPerFunction = (sandbox: Sandbox): Record<string, Record<string, number>> => {
  const out: Record<string, Record<string, number>> = {};
  for (const c of sandbox.calls.list()) {
    const byOp = out[c.caller] ?? {};
    byOp[`${c.service}.${c.operation}`] = (byOp[`${c.service}.${c.operation}`] ?? 0) + 1;
    out[c.caller] = byOp;
  }
  return out;
};
