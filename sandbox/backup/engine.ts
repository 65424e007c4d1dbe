/**
 * Moves jobs on the sandbox clock, as AWS Backup would: CREATED → (PENDING) → RUNNING → a final
 * state, one state change at a time, each told to the listeners as one EventBridge event.
 *
 * - "Only one backup or copy job runs at a time for a resource"; the others wait in CREATED
 *   (recov-point-create-a-copy). A backup job still CREATED when its start window passes
 *   (StartWindowMinutes, default 8 hours: API_StartBackupJob) becomes EXPIRED with AWS's message
 *   for that case (events/backup-job.expired.json).
 * - A completed backup job creates its recovery point; a plan's backup also starts the copy jobs
 *   of its rule's CopyActions (API_BackupRule, CopyJob.CreatedByBackupJobId). A completed copy
 *   job creates the recovery point in the destination vault, in the account and Region of the
 *   destination vault's ARN.
 * - Due changes run in time order, then (account, kind, job id) order: never in arrival order.
 */
import type { VirtualClock } from '../clock.js';
import { parseVaultArn, recoveryPointArnFor } from './arns.js';
import { type BackupEventJson, buildEvent } from './events.js';
import { DEFAULT_MESSAGES, type Outcome, type OutcomePolicy } from './outcomes.js';
import {
  type BackupJobRecord,
  type BackupStore,
  type CopyJobRecord,
  compareJobs,
  type JobChange,
  type JobRecord,
  type RestoreJobRecord,
  type ScanJobRecord,
} from './store.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const GIB = 1024 ** 3;
// Scans end COMPLETED_WITH_ISSUES or CANCELED too (model shape ScanState).
const FINAL = new Set(['COMPLETED', 'FAILED', 'ABORTED', 'EXPIRED', 'PARTIAL', 'COMPLETED_WITH_ISSUES', 'CANCELED']);

/** Minutes a scan runs when its outcome says none: the sandbox's figure (AWS publishes none). */
const SCAN_RUN_MINUTES = 10;

/**
 * A scan's final message when its outcome scripts none: AWS's own from the scan job samples
 * (eventbridge.html) for COMPLETED, COMPLETED_WITH_ISSUES and CANCELED; for FAILED AWS publishes
 * only the placeholder "<failure reason>", so the sandbox says what it says of other failures.
 */
const SCAN_MESSAGES = {
  COMPLETED: 'An AWS Backup scan job was successful completed.',
  COMPLETED_WITH_ISSUES: 'Scan job partially completed. View more details in Amazon GuardDuty',
  CANCELED: 'Scan job was stopped by user.',
  FAILED: DEFAULT_MESSAGES.restoreFailed,
} as const;

/** A restore's PENDING event follows its CREATED event within seconds (restore-job samples). */
const RESTORE_PENDING_AFTER_MS = 5 * SECOND;

/** Minutes a job runs before its final state: the scripted value, else by state and size. */
export const runMinutesOf = (kind: JobRecord['kind'], outcome: Outcome, sizeBytes: number): number => {
  if (outcome.runMinutes !== undefined) return outcome.runMinutes;
  if (outcome.state === 'FAILED') return kind === 'copy' ? 1 : 0;
  if (outcome.state === 'ABORTED' || outcome.state === 'EXPIRED') return 0;
  // Completed jobs: a few minutes plus about one minute per 4 GiB (backup) or 8 GiB (copy), at most 6 hours.
  const perGib = kind === 'copy' ? 8 : 4;
  return Math.min(360, 5 + Math.round(sizeBytes / GIB / perGib));
};

type Step = { readonly at: number; readonly record: JobRecord; readonly apply: () => void };

export type EventListener = (event: BackupEventJson, change: JobChange) => void;

/** Plays the store's jobs on the sandbox clock. */
export class BackupEngine {
  readonly #store: BackupStore;
  readonly #clock: VirtualClock;
  readonly #policy: OutcomePolicy;
  readonly #active = new Set<JobRecord>();
  readonly #listeners: EventListener[] = [];
  readonly #timers: { at: number; seq: number; action: () => void }[] = [];
  #timerSeq = 0;
  #cursor: number;

  constructor(store: BackupStore, clock: VirtualClock, policy: OutcomePolicy) {
    this.#store = store;
    this.#clock = clock;
    this.#policy = policy;
    this.#cursor = clock.ms();
    store.onChange((change) => {
      if (FINAL.has(change.state)) this.#active.delete(change.record);
      else this.#active.add(change.record);
      const event = buildEvent(change);
      for (const listener of this.#listeners) listener(event, change);
    });
  }

  /** Calls `listener` with every event AWS Backup would send, in the order the changes happen. */
  onEvent(listener: EventListener): void {
    this.#listeners.push(listener);
  }

  /** Runs `action` (seeding a job, say) when the engine reaches `at`, before job changes due then. */
  at(at: number | Date, action: () => void): void {
    const ms = typeof at === 'number' ? at : at.getTime();
    this.#timers.push({ at: ms, seq: this.#timerSeq++, action });
    this.#timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
  }

  /** Plays every change due up to the clock's now (operations call this first, so answers match the clock). */
  catchUp(): void {
    this.advanceTo(this.#clock.ms());
  }

  /**
   * Moves every job whose next change is due at or before `ms`, in time order then (account,
   * kind, job id) order, moving the clock along (it never goes back), and leaves the clock at `ms`.
   */
  advanceTo(ms: number): void {
    for (;;) {
      const timer = this.#timers[0];
      const step = this.#nextStep();
      if (timer && timer.at <= ms && (!step || timer.at <= step.at)) {
        this.#timers.shift();
        this.#moveTo(timer.at);
        timer.action();
        continue;
      }
      if (!step || step.at > ms) break;
      this.#moveTo(step.at);
      step.apply();
    }
    this.#moveTo(ms);
  }

  /** Advances by `ms` milliseconds from the clock's now. */
  advanceBy(ms: number): void {
    this.advanceTo(this.#clock.ms() + ms);
  }

  #moveTo(ms: number): void {
    if (ms > this.#clock.ms()) this.#clock.advanceTo(ms);
    if (ms > this.#cursor) this.#cursor = ms;
  }

  /** The earliest due change over every active job (ties by account, kind, id). */
  #nextStep(): Step | undefined {
    const busy = this.#busyResources();
    let best: Step | undefined;
    for (const record of this.#active) {
      const step = this.#stepOf(record, busy);
      if (!step) continue;
      if (!best || step.at < best.at || (step.at === best.at && compareJobs(step.record, best.record) < 0)) best = step;
    }
    return best;
  }

  /** Resources with a backup job PENDING or RUNNING, or a copy job RUNNING. */
  #busyResources(): Set<string> {
    const busy = new Set<string>();
    for (const r of this.#active) {
      // Restores and scans read a recovery point: they keep no resource busy.
      if (r.kind === 'restore' || r.kind === 'scan') continue;
      const state = r.job.State;
      if (state === 'RUNNING' || state === 'PENDING') busy.add(r.job.ResourceArn);
    }
    return busy;
  }

  #stepOf(record: JobRecord, busy: Set<string>): Step | undefined {
    if (record.kind === 'backup') return this.#backupStep(record, busy);
    if (record.kind === 'copy') return this.#copyStep(record, busy);
    if (record.kind === 'scan') return this.#scanStep(record);
    return this.#restoreStep(record);
  }

  #backupStep(r: BackupJobRecord, busy: Set<string>): Step | undefined {
    const { outcome } = r;
    const startBy = r.job.StartBy?.getTime() ?? Number.POSITIVE_INFINITY;
    const run = runMinutesOf('backup', outcome, r.sizeBytes) * MINUTE;
    switch (r.job.State) {
      case 'CREATED': {
        const expire = () => {
          this.#store.transition(r, 'EXPIRED', startBy, {
            CompletionDate: new Date(startBy),
            StatusMessage: outcome.statusMessage ?? DEFAULT_MESSAGES.backupExpired,
            ...(outcome.messageCategory ? { MessageCategory: outcome.messageCategory } : {}),
          });
        };
        if (outcome.state === 'EXPIRED') return { at: startBy, record: r, apply: expire };
        const at = Math.max(r.eligibleAt, this.#cursor);
        if (busy.has(r.job.ResourceArn) || at >= startBy) {
          return {
            at: startBy,
            record: r,
            apply: () => {
              r.blocked = busy.has(r.job.ResourceArn);
              expire();
            },
          };
        }
        if ((outcome.pendingMinutes ?? 0) > 0) {
          return {
            at,
            record: r,
            apply: () => {
              r.pendingAt = at;
              this.#store.transition(r, 'PENDING', at);
            },
          };
        }
        return { at, record: r, apply: () => this.#startBackup(r, at, run) };
      }
      case 'PENDING': {
        const at = (r.pendingAt ?? r.eligibleAt) + (outcome.pendingMinutes ?? 0) * MINUTE;
        return { at, record: r, apply: () => this.#startBackup(r, at, run) };
      }
      case 'RUNNING':
        return this.#endStep(r, run, (at) => this.#finishBackup(r, at));
      default:
        return undefined;
    }
  }

  #startBackup(r: BackupJobRecord, at: number, run: number): void {
    r.runningAt = at;
    if (run === 0) {
      this.#finishBackup(r, at);
      return;
    }
    this.#store.transition(r, 'RUNNING', at, {
      BackupSizeInBytes: r.sizeBytes,
      ExpectedCompletionDate: new Date(at + run),
    });
  }

  #finishBackup(r: BackupJobRecord, at: number): void {
    const { outcome } = r;
    const state = outcome.state === 'EXPIRED' ? 'FAILED' : outcome.state;
    const common = {
      CompletionDate: new Date(at),
      ...(outcome.messageCategory || state === 'COMPLETED'
        ? { MessageCategory: outcome.messageCategory ?? 'SUCCESS' }
        : {}),
    };
    if (state === 'COMPLETED' || state === 'PARTIAL') {
      this.#store.transition(r, state, at, {
        ...common,
        PercentDone: '100.0',
        BackupSizeInBytes: r.sizeBytes,
        BytesTransferred: r.sizeBytes,
        ...(outcome.statusMessage ? { StatusMessage: outcome.statusMessage } : {}),
      });
      this.#createRecoveryPoint(r, at, state);
      return;
    }
    const message =
      outcome.statusMessage ?? (state === 'ABORTED' ? DEFAULT_MESSAGES.backupAborted : DEFAULT_MESSAGES.backupFailed);
    this.#store.transition(r, state, at, { ...common, StatusMessage: message });
  }

  #createRecoveryPoint(r: BackupJobRecord, at: number, state: 'COMPLETED' | 'PARTIAL'): void {
    const j = r.job;
    this.#store.addRecoveryPoint({
      account: r.account,
      region: r.region,
      vaultName: j.BackupVaultName ?? '',
      resourceArn: j.ResourceArn,
      ...(j.ResourceType ? { resourceType: j.ResourceType } : {}),
      ...(j.RecoveryPointArn ? { recoveryPointArn: j.RecoveryPointArn } : {}),
      creationDate: j.CreationDate,
      sizeBytes: r.sizeBytes,
      status: state,
      ...(j.CreatedBy ? { createdBy: j.CreatedBy } : {}),
      ...(j.IamRoleArn ? { iamRoleArn: j.IamRoleArn } : {}),
      ...(j.RecoveryPointLifecycle ? { lifecycle: j.RecoveryPointLifecycle } : {}),
    });
    if (state !== 'COMPLETED' || !j.RecoveryPointArn) return;
    // A plan's rule copies what it backed up (API_CopyAction); sorted so ids never depend on rule order.
    const actions = (r.rule?.CopyActions ?? [])
      .map((a) => ({ ...a, destination: a.DestinationBackupVaultArn ?? '' }))
      .sort((a, b) => a.destination.localeCompare(b.destination));
    for (const action of actions) {
      this.#store.createCopyJob({
        account: r.account,
        region: r.region,
        sourceRecoveryPointArn: j.RecoveryPointArn,
        destinationVaultArn: action.destination,
        creationDate: at,
        ...(j.IamRoleArn ? { iamRoleArn: j.IamRoleArn } : {}),
        ...(action.Lifecycle ? { lifecycle: action.Lifecycle } : {}),
        ...(j.CreatedBy ? { createdBy: j.CreatedBy } : {}),
        createdByBackupJobId: j.BackupJobId,
        outcome: this.#policy.nextCopy(action.destination),
      });
    }
  }

  #copyStep(r: CopyJobRecord, busy: Set<string>): Step | undefined {
    const run = runMinutesOf('copy', r.outcome, r.sizeBytes) * MINUTE;
    switch (r.job.State) {
      case 'CREATED': {
        if (busy.has(r.job.ResourceArn)) {
          r.blocked = true;
          return undefined; // waits for the running job of its resource (no start window for copies)
        }
        return this.#startStep(r, Math.max(r.eligibleAt, this.#cursor), run, (at) => this.#finishCopy(r, at));
      }
      case 'RUNNING':
        return this.#endStep(r, run, (at) => this.#finishCopy(r, at));
      default:
        return undefined;
    }
  }

  /** Starts a copy or restore job at `at`: RUNNING, or straight to its final state when it runs no time. */
  #startStep(r: CopyJobRecord | RestoreJobRecord, at: number, run: number, finish: (at: number) => void): Step {
    return {
      at,
      record: r,
      apply: () => {
        r.runningAt = at;
        if (run === 0) finish(at);
        else this.#store.transition(r, 'RUNNING', at);
      },
    };
  }

  /** Ends a RUNNING job `run` ms after it started. */
  #endStep(r: JobRecord, run: number, finish: (at: number) => void): Step {
    const at = (r.runningAt ?? r.eligibleAt) + run;
    return { at, record: r, apply: () => finish(at) };
  }

  #finishCopy(r: CopyJobRecord, at: number): void {
    const { outcome } = r;
    const destinationArn = r.job.DestinationBackupVaultArn ?? '';
    const destination = this.#store.vaultByArn(destinationArn);
    const state = outcome.state === 'COMPLETED' || outcome.state === 'PARTIAL' ? outcome.state : 'FAILED';
    if (state === 'FAILED' || !destination) {
      const message = !destination
        ? DEFAULT_MESSAGES.copyVaultMissing(destinationArn)
        : (outcome.statusMessage ?? DEFAULT_MESSAGES.copyFailed);
      this.#store.transition(r, 'FAILED', at, {
        CompletionDate: new Date(at),
        StatusMessage: message,
        ...(outcome.messageCategory ? { MessageCategory: outcome.messageCategory } : {}),
      });
      return;
    }
    const where = parseVaultArn(destinationArn) ?? { account: r.account, region: r.region, name: '' };
    const resourceType = r.job.ResourceType ?? '';
    const pointArn = recoveryPointArnFor(resourceType, where.region, where.account, r.job.CopyJobId);
    this.#store.addRecoveryPoint({
      account: where.account,
      region: where.region,
      vaultName: where.name,
      resourceArn: r.job.ResourceArn,
      resourceType,
      recoveryPointArn: pointArn,
      creationDate: at,
      sizeBytes: r.sizeBytes,
      status: state,
      ...(r.job.IamRoleArn ? { iamRoleArn: r.job.IamRoleArn } : {}),
      ...(r.job.DestinationRecoveryPointLifecycle ? { lifecycle: r.job.DestinationRecoveryPointLifecycle } : {}),
      ...(r.job.SourceBackupVaultArn ? { sourceBackupVaultArn: r.job.SourceBackupVaultArn } : {}),
    });
    this.#store.transition(r, state, at, {
      CompletionDate: new Date(at),
      DestinationRecoveryPointArn: pointArn,
      MessageCategory: outcome.messageCategory ?? 'SUCCESS',
      ...(outcome.statusMessage ? { StatusMessage: outcome.statusMessage } : {}),
    });
  }

  #scanStep(r: ScanJobRecord): Step | undefined {
    const run = (r.outcome.runMinutes ?? SCAN_RUN_MINUTES) * MINUTE;
    const finish = (at: number) => this.#finishScan(r, at);
    switch (r.job.State) {
      case 'CREATED': {
        const at = Math.max(r.eligibleAt, this.#cursor);
        return {
          at,
          record: r,
          apply: () => {
            r.runningAt = at;
            if (run === 0) finish(at);
            else this.#store.transition(r, 'RUNNING', at);
          },
        };
      }
      case 'RUNNING':
        return this.#endStep(r, run, finish);
      default:
        return undefined;
    }
  }

  #finishScan(r: ScanJobRecord, at: number): void {
    const { state, scanResultStatus, statusMessage } = r.outcome;
    // Only a finished scan has a result (GuardDuty: "Scan Result Status may not be present if the scan was not completed").
    const finished = state === 'COMPLETED' || state === 'COMPLETED_WITH_ISSUES';
    this.#store.transition(r, state, at, {
      CompletionDate: new Date(at),
      ...(finished ? { ScanResult: { ScanResultStatus: scanResultStatus ?? 'NO_THREATS_FOUND' } } : {}),
      StatusMessage: statusMessage ?? SCAN_MESSAGES[state],
    });
  }

  #restoreStep(r: RestoreJobRecord): Step | undefined {
    const { outcome } = r;
    const size = Number(r.job.BackupSizeInBytes ?? 0);
    const run = runMinutesOf('restore', outcome, size) * MINUTE;
    switch (r.phase) {
      case 'CREATED': {
        const at = Math.max(r.job.CreationDate.getTime() + RESTORE_PENDING_AFTER_MS, this.#cursor);
        return { at, record: r, apply: () => this.#store.transition(r, 'PENDING', at) };
      }
      case 'PENDING':
        return this.#startStep(r, Math.max(r.eligibleAt, this.#cursor), run, (at) => this.#finishRestore(r, at));
      case 'RUNNING':
        return this.#endStep(r, run, (at) => this.#finishRestore(r, at));
      default:
        return undefined;
    }
  }

  #finishRestore(r: RestoreJobRecord, at: number): void {
    const { outcome } = r;
    const state = outcome.state === 'COMPLETED' || outcome.state === 'ABORTED' ? outcome.state : 'FAILED';
    if (state === 'COMPLETED') {
      this.#store.transition(r, 'COMPLETED', at, {
        CompletionDate: new Date(at),
        PercentDone: '100.0',
        CreatedResourceArn: createdResourceArn(r),
      });
      return;
    }
    this.#store.transition(r, state, at, {
      CompletionDate: new Date(at),
      StatusMessage:
        outcome.statusMessage ??
        (state === 'ABORTED' ? DEFAULT_MESSAGES.restoreAborted : DEFAULT_MESSAGES.restoreFailed),
    });
  }
}

/** The resource a restore creates, in the source resource's service (the restore sample's createdResourceArn). */
const createdResourceArn = (r: RestoreJobRecord): string => {
  const id = r.job.RestoreJobId.toLowerCase();
  const hex = id.replace(/-/g, '').slice(0, 17);
  switch (r.job.ResourceType) {
    case 'EBS':
      return `arn:aws:ec2:${r.region}:${r.account}:volume/vol-${hex}`;
    case 'EC2':
      return `arn:aws:ec2:${r.region}:${r.account}:instance/i-${hex}`;
    case 'RDS':
      return `arn:aws:rds:${r.region}:${r.account}:db:restored${id}`;
    default:
      return `${r.job.SourceResourceArn ?? `arn:aws:backup:${r.region}:${r.account}:resource`}-restored-${hex}`;
  }
};
