/**
 * The AWS Backup stand-in's state, per account and Region: vaults, plans (every version kept),
 * resources, recovery points, and backup, copy, restore and malware scan jobs carrying every member
 * of the model's BackupJob / CopyJob / RestoreJobsListMember / ScanJob shapes. Also the seeding API scenarios and
 * tests use (plain TypeScript, not HTTP). Jobs only change state through {@link BackupStore.transition},
 * which tells the listeners (the engine turns each change into one EventBridge event).
 */
import type {
  BackupJob,
  BackupRule,
  CopyJob,
  DescribeRecoveryPointOutput,
  Lifecycle,
  RecoveryPointCreator,
  RestoreJobsListMember,
  ScanJob,
} from '@aws-sdk/client-backup';
import type { VirtualClock } from '../clock.js';
import { hexFrom, uuidFrom } from '../ids.js';
import { parseVaultArn, planArn, recoveryPointArnFor, resourceNameOf, resourceTypeOf, vaultArn } from './arns.js';
import type { Outcome } from './outcomes.js';

const MINUTE = 60_000;
const GIB = 1024 ** 3;

/** StartWindowMinutes' default: "the default is 8 hours" (API_StartBackupJob). */
export const DEFAULT_START_WINDOW_MINUTES = 480;

export interface VaultRecord {
  readonly account: string;
  readonly region: string;
  readonly name: string;
  readonly arn: string;
  /** BACKUP_VAULT or LOGICALLY_AIR_GAPPED_BACKUP_VAULT (API_BackupJob VaultType). */
  readonly vaultType: string;
  /** LOCKED / UNLOCKED when the vault has a lock (API_BackupJob VaultLockState). */
  readonly lockState?: string;
  readonly encryptionKeyArn: string;
  readonly creationDate: Date;
}

/** A backup rule as a plan version stores it (RuleId assigned). */
export type StoredRule = BackupRule & { RuleName: string; TargetBackupVaultName: string; RuleId: string };

export interface PlanVersion {
  /** AWS's version ids are base64 of a UUID string (samples: createdBy.backupPlanVersion). */
  readonly versionId: string;
  readonly creationDate: Date;
  readonly rules: readonly StoredRule[];
}

export interface PlanRecord {
  readonly account: string;
  readonly region: string;
  readonly planId: string;
  readonly arn: string;
  readonly name: string;
  /** Oldest first; the last is the current version (GetBackupPlan without VersionId). */
  readonly versions: PlanVersion[];
  lastExecutionDate?: Date;
  readonly creationDate: Date;
  /** Resource selections (CreateBackupSelection), oldest first; a plan with none backs nothing up. */
  readonly selections: SelectionRecord[];
}

/** A plan's resource selection as ListBackupSelections shows it. */
export interface SelectionRecord {
  readonly selectionId: string;
  readonly name: string;
  readonly iamRoleArn: string;
  readonly creationDate: Date;
}

export interface SelectionSpec {
  readonly account: string;
  readonly region: string;
  readonly planId: string;
  readonly name: string;
  /** Default: the account's AWSBackupDefaultServiceRole. */
  readonly iamRoleArn?: string;
  readonly creationDate?: Date;
}

export interface ResourceRecord {
  readonly account: string;
  readonly region: string;
  readonly arn: string;
  readonly resourceType: string;
  readonly name: string;
  readonly sizeBytes: number;
}

export interface RecoveryPointRecord {
  readonly account: string;
  readonly region: string;
  /** DescribeRecoveryPoint's output, model member names. */
  readonly point: DescribeRecoveryPointOutput;
}

interface JobTiming {
  /** The outcome scripted for this job. */
  readonly outcome: Outcome;
  /** Epoch ms from which the job may start. */
  readonly eligibleAt: number;
  /** Epoch ms it entered PENDING / RUNNING. */
  pendingAt?: number;
  runningAt?: number;
  /** True once the job waited because another job of its resource was running. */
  blocked: boolean;
}

export interface BackupJobRecord extends JobTiming {
  readonly kind: 'backup';
  readonly account: string;
  readonly region: string;
  readonly job: BackupJob & { BackupJobId: string; ResourceArn: string; CreationDate: Date; State: string };
  /** The plan rule (at the creating version) when a plan created the job: its CopyActions run on completion. */
  readonly rule?: StoredRule;
  readonly sizeBytes: number;
}

export interface CopyJobRecord extends JobTiming {
  readonly kind: 'copy';
  readonly account: string;
  readonly region: string;
  readonly job: CopyJob & { CopyJobId: string; ResourceArn: string; CreationDate: Date; State: string };
  readonly sizeBytes: number;
}

/** Restore jobs: the API says PENDING from the start, but AWS emits a CREATED event first. */
export type RestorePhase = 'CREATED' | 'PENDING' | 'RUNNING' | 'COMPLETED' | 'FAILED' | 'ABORTED';

export interface RestoreJobRecord extends JobTiming {
  readonly kind: 'restore';
  readonly account: string;
  readonly region: string;
  readonly job: RestoreJobsListMember & { RestoreJobId: string; CreationDate: Date; Status: string };
  phase: RestorePhase;
  readonly recoveryPoint: RecoveryPointRecord['point'];
}

/** How a malware scan ends (model shape ScanState's final values; ScanResultInfo). */
export interface ScanOutcome {
  readonly state: 'COMPLETED' | 'COMPLETED_WITH_ISSUES' | 'FAILED' | 'CANCELED';
  /** What a finished scan found; default NO_THREATS_FOUND for COMPLETED and COMPLETED_WITH_ISSUES, none otherwise. */
  readonly scanResultStatus?: 'THREATS_FOUND' | 'NO_THREATS_FOUND';
  readonly statusMessage?: string;
  /** Minutes from RUNNING to the final state (default 10); 0 = straight to the final state. */
  readonly runMinutes?: number;
  /** Minutes after creation before the scan may start (default 1). */
  readonly startAfterMinutes?: number;
}

/** A malware scan of one recovery point: CREATED, RUNNING, then its final state (AWS's scan job samples). */
export interface ScanJobRecord extends Omit<JobTiming, 'outcome'> {
  readonly kind: 'scan';
  readonly account: string;
  readonly region: string;
  readonly outcome: ScanOutcome;
  readonly job: ScanJob & { ScanJobId: string; ResourceArn: string; CreationDate: Date; State: string };
}

export type JobRecord = BackupJobRecord | CopyJobRecord | RestoreJobRecord | ScanJobRecord;

/** One state change of one job: the engine turns it into one EventBridge event. */
export interface JobChange {
  readonly record: JobRecord;
  /** The state the event reports (a restore's CREATED phase included). */
  readonly state: string;
  /** Epoch ms of the change. */
  readonly at: number;
}

export interface VaultSpec {
  readonly account: string;
  readonly region: string;
  readonly name: string;
  readonly vaultType?: string;
  readonly lockState?: string;
  readonly encryptionKeyArn?: string;
  readonly creationDate?: Date;
}

export type RuleSpec = BackupRule & { RuleName: string; TargetBackupVaultName: string };

export interface PlanSpec {
  readonly account: string;
  readonly region: string;
  readonly name: string;
  readonly rules: readonly RuleSpec[];
  /** Default: a UUID from (account, region, name). */
  readonly planId?: string;
  readonly creationDate?: Date;
}

export interface ResourceSpec {
  readonly account: string;
  readonly region: string;
  readonly arn: string;
  /** Default: from the ARN (EBS, EC2, RDS, Aurora, DynamoDB, EFS, S3, FSx...). */
  readonly resourceType?: string;
  readonly name?: string;
  readonly sizeBytes?: number;
}

export interface BackupJobSpec {
  readonly account: string;
  readonly region: string;
  readonly resourceArn: string;
  readonly resourceType?: string;
  /** Default: the plan rule's target vault. Required without a plan. */
  readonly vaultName?: string;
  readonly iamRoleArn?: string;
  /** The plan (and rule, by name; default its first) that creates the job, at its current version unless given. */
  readonly plan?: { readonly planId: string; readonly ruleName?: string; readonly versionId?: string };
  /** Default: now. May be in the past (the engine then plays what is due since). */
  readonly creationDate?: Date | number;
  readonly startWindowMinutes?: number;
  readonly lifecycle?: Lifecycle;
  readonly backupOptions?: Record<string, string>;
  readonly parentJobId?: string;
  readonly outcome?: Outcome;
  /** Default: a lower-case UUID from what created the job (never from arrival order). */
  readonly id?: string;
}

export interface CopyJobSpec {
  readonly account: string;
  readonly region: string;
  readonly sourceRecoveryPointArn: string;
  readonly destinationVaultArn: string;
  readonly iamRoleArn?: string;
  readonly creationDate?: Date | number;
  readonly lifecycle?: Lifecycle;
  readonly createdBy?: RecoveryPointCreator;
  readonly createdByBackupJobId?: string;
  readonly outcome?: Outcome;
  /** Default: an UPPER-case UUID from what created the job. */
  readonly id?: string;
}

export interface RestoreJobSpec {
  readonly account: string;
  readonly region: string;
  readonly recoveryPointArn: string;
  readonly iamRoleArn?: string;
  readonly creationDate?: Date | number;
  readonly outcome?: Outcome;
  readonly id?: string;
  /** The restore testing plan that ran the job (DescribeRestoreJob `CreatedBy`); absent = started by hand. */
  readonly restoreTestingPlanArn?: string;
}

export interface ScanJobSpec {
  readonly account: string;
  readonly region: string;
  /** The recovery point scanned: it must exist in that account and Region; its vault, resource and plan are the scan's. */
  readonly recoveryPointArn: string;
  readonly scannerRoleArn?: string;
  readonly scanMode?: 'FULL_SCAN' | 'INCREMENTAL_SCAN';
  /** The earlier recovery point an incremental scan compares with. */
  readonly scanBaseRecoveryPointArn?: string;
  readonly creationDate?: Date | number;
  readonly outcome?: ScanOutcome;
  /** Default: a lower-case UUID from what created the job. */
  readonly id?: string;
}

export interface RecoveryPointSpec {
  readonly account: string;
  readonly region: string;
  readonly vaultName: string;
  readonly resourceArn: string;
  readonly resourceType?: string;
  readonly recoveryPointArn?: string;
  readonly creationDate?: Date | number;
  readonly sizeBytes?: number;
  readonly status?: string;
  readonly createdBy?: RecoveryPointCreator;
  readonly iamRoleArn?: string;
  readonly lifecycle?: Lifecycle;
  readonly sourceBackupVaultArn?: string;
}

const key = (...parts: readonly string[]) => parts.join('|');

/** Typical sizes per resource type, so a seeded day looks like a real one (deterministic per ARN). */
const BASE_SIZE: Readonly<Record<string, number>> = {
  EBS: 64 * GIB,
  EC2: 32 * GIB,
  RDS: 100 * GIB,
  Aurora: 200 * GIB,
  DynamoDB: 2 * GIB,
  EFS: 20 * GIB,
  S3: 150 * GIB,
  FSx: 300 * GIB,
};

/** A deterministic size for a resource: its type's base size times 0.5..1.5. */
export const defaultSizeBytes = (resourceType: string, arn: string): number => {
  const base = BASE_SIZE[resourceType] ?? 8 * GIB;
  const fraction = Number.parseInt(hexFrom(4, 'size', arn), 16) / 0xffff;
  return Math.round(base * (0.5 + fraction));
};

/** The role AWS Backup's console creates, used when a scenario names none. */
export const defaultRoleArn = (account: string): string =>
  `arn:aws:iam::${account}:role/service-role/AWSBackupDefaultServiceRole`;

/** A seeded instant: now by default, never in the future (seed later with `engine.at`, so events stay in time order). */
const ms = (value: Date | number | undefined, now: number): number => {
  const at = value === undefined ? now : typeof value === 'number' ? value : value.getTime();
  if (at > now) throw new RangeError(`cannot seed at ${new Date(at).toISOString()}, after the clock: use engine.at()`);
  return at;
};

/** How every new job starts: its scripted outcome (COMPLETED unless told), eligible a minute after creation unless told. */
const newTiming = (
  outcome: Outcome | undefined,
  created: number,
): Pick<JobTiming, 'outcome' | 'eligibleAt' | 'blocked'> => {
  const scripted = outcome ?? { state: 'COMPLETED' };
  return { outcome: scripted, eligibleAt: created + (scripted.startAfterMinutes ?? 1) * MINUTE, blocked: false };
};

type Listener = (change: JobChange) => void;

/** Every account's and Region's AWS Backup state in one sandbox. */
export class BackupStore {
  readonly #clock: VirtualClock;
  readonly #vaults = new Map<string, VaultRecord>();
  readonly #plans = new Map<string, PlanRecord>();
  readonly #resources = new Map<string, ResourceRecord>();
  readonly #points = new Map<string, RecoveryPointRecord>();
  readonly #jobs = new Map<string, JobRecord>();
  readonly #tags = new Map<string, Record<string, string>>();
  readonly #listeners: Listener[] = [];

  constructor(clock: VirtualClock) {
    this.#clock = clock;
  }

  /** Calls `listener` on every job state change, creation included. */
  onChange(listener: Listener): void {
    this.#listeners.push(listener);
  }

  // ---- vaults, plans, resources, recovery points ----

  addVault(spec: VaultSpec): VaultRecord {
    const vault: VaultRecord = {
      account: spec.account,
      region: spec.region,
      name: spec.name,
      arn: vaultArn(spec.region, spec.account, spec.name),
      vaultType: spec.vaultType ?? 'BACKUP_VAULT',
      ...(spec.lockState ? { lockState: spec.lockState } : {}),
      encryptionKeyArn:
        spec.encryptionKeyArn ??
        `arn:aws:kms:${spec.region}:${spec.account}:key/${uuidFrom('kms', spec.account, spec.region, spec.name)}`,
      creationDate: spec.creationDate ?? this.#clock.now(),
    };
    this.#vaults.set(key(spec.account, spec.region, spec.name), vault);
    return vault;
  }

  vault(account: string, region: string, name: string): VaultRecord | undefined {
    return this.#vaults.get(key(account, region, name));
  }

  /** The vault an ARN names, in whichever account and Region it is. */
  vaultByArn(arn: string): VaultRecord | undefined {
    const parts = parseVaultArn(arn);
    return parts && this.vault(parts.account, parts.region, parts.name);
  }

  addPlan(spec: PlanSpec): PlanRecord {
    const planId = spec.planId ?? uuidFrom('plan', spec.account, spec.region, spec.name);
    const plan: PlanRecord = {
      account: spec.account,
      region: spec.region,
      planId,
      arn: planArn(spec.region, spec.account, planId),
      name: spec.name,
      versions: [],
      creationDate: spec.creationDate ?? this.#clock.now(),
      selections: [],
    };
    this.#plans.set(key(spec.account, spec.region, planId), plan);
    this.updatePlan(spec.account, spec.region, planId, spec.rules, spec.creationDate);
    return plan;
  }

  /** A new version of a plan (UpdateBackupPlan); older versions stay readable by VersionId. */
  updatePlan(account: string, region: string, planId: string, rules: readonly RuleSpec[], at?: Date): PlanVersion {
    const plan = this.plan(account, region, planId);
    if (!plan) throw new Error(`no plan ${planId} in ${account}/${region}`);
    const n = plan.versions.length;
    const version: PlanVersion = {
      versionId: Buffer.from(uuidFrom('plan-version', account, region, planId, n)).toString('base64'),
      creationDate: at ?? this.#clock.now(),
      // A rule keeps its id across versions (AWS: RuleId identifies the rule, not the version).
      rules: rules.map((r) => ({ ...r, RuleId: r.RuleId ?? uuidFrom('rule', planId, r.RuleName) })),
    };
    plan.versions.push(version);
    return version;
  }

  /** A resource selection of a plan (CreateBackupSelection); the plan must exist. */
  addSelection(spec: SelectionSpec): SelectionRecord {
    const plan = this.plan(spec.account, spec.region, spec.planId);
    if (!plan) throw new Error(`no plan ${spec.planId} in ${spec.account}/${spec.region}`);
    const selection: SelectionRecord = {
      selectionId: uuidFrom('selection', spec.account, spec.region, spec.planId, spec.name),
      name: spec.name,
      iamRoleArn: spec.iamRoleArn ?? `arn:aws:iam::${spec.account}:role/service-role/AWSBackupDefaultServiceRole`,
      creationDate: spec.creationDate ?? this.#clock.now(),
    };
    plan.selections.push(selection);
    return selection;
  }

  /** Every plan of an account and Region, in creation order. */
  plans(account: string, region: string): PlanRecord[] {
    return [...this.#plans.values()].filter((p) => p.account === account && p.region === region);
  }

  plan(account: string, region: string, planId: string): PlanRecord | undefined {
    return this.#plans.get(key(account, region, planId));
  }

  addResource(spec: ResourceSpec): ResourceRecord {
    const resourceType = spec.resourceType ?? resourceTypeOf(spec.arn);
    const resource: ResourceRecord = {
      account: spec.account,
      region: spec.region,
      arn: spec.arn,
      resourceType,
      name: spec.name ?? resourceNameOf(spec.arn),
      sizeBytes: spec.sizeBytes ?? defaultSizeBytes(resourceType, spec.arn),
    };
    this.#resources.set(key(spec.account, spec.region, spec.arn), resource);
    return resource;
  }

  resource(account: string, region: string, arn: string): ResourceRecord | undefined {
    return this.#resources.get(key(account, region, arn));
  }

  addRecoveryPoint(spec: RecoveryPointSpec): RecoveryPointRecord {
    const resourceType = spec.resourceType ?? resourceTypeOf(spec.resourceArn);
    const at = new Date(ms(spec.creationDate, this.#clock.ms()));
    const vault = this.vault(spec.account, spec.region, spec.vaultName);
    const arn =
      spec.recoveryPointArn ??
      recoveryPointArnFor(
        resourceType,
        spec.region,
        spec.account,
        spec.resourceArn,
        spec.vaultName,
        String(at.getTime()),
      );
    const point: DescribeRecoveryPointOutput = {
      RecoveryPointArn: arn,
      BackupVaultName: spec.vaultName,
      BackupVaultArn: vault?.arn ?? vaultArn(spec.region, spec.account, spec.vaultName),
      ...(spec.sourceBackupVaultArn ? { SourceBackupVaultArn: spec.sourceBackupVaultArn } : {}),
      ResourceArn: spec.resourceArn,
      ResourceType: resourceType,
      ResourceName: resourceNameOf(spec.resourceArn),
      ...(spec.createdBy ? { CreatedBy: spec.createdBy } : {}),
      IamRoleArn: spec.iamRoleArn ?? defaultRoleArn(spec.account),
      // "COMPLETED" and "AVAILABLE" both mean usable (API_DescribeRecoveryPoint); the stand-in says COMPLETED.
      Status: (spec.status ?? 'COMPLETED') as DescribeRecoveryPointOutput['Status'],
      CreationDate: at,
      InitiationDate: at,
      CompletionDate: at,
      BackupSizeInBytes: spec.sizeBytes ?? defaultSizeBytes(resourceType, spec.resourceArn),
      ...(spec.lifecycle ? { Lifecycle: spec.lifecycle, CalculatedLifecycle: calculated(at, spec.lifecycle) } : {}),
      EncryptionKeyArn: vault?.encryptionKeyArn,
      IsEncrypted: true,
      StorageClass: 'WARM',
      IsParent: false,
      VaultType: (vault?.vaultType ?? 'BACKUP_VAULT') as DescribeRecoveryPointOutput['VaultType'],
    };
    const record = { account: spec.account, region: spec.region, point };
    this.#points.set(key(spec.account, spec.region, arn), record);
    return record;
  }

  recoveryPoint(account: string, region: string, arn: string): RecoveryPointRecord | undefined {
    return this.#points.get(key(account, region, arn));
  }

  /** Tags of a vault, plan or recovery point ARN (TagResource). */
  tags(arn: string): Record<string, string> {
    return { ...(this.#tags.get(arn) ?? {}) };
  }

  setTags(arn: string, tags: Readonly<Record<string, string>>): void {
    this.#tags.set(arn, { ...(this.#tags.get(arn) ?? {}), ...tags });
  }

  /** True when the ARN names a vault, plan or recovery point of that account and Region. */
  hasTaggable(account: string, region: string, arn: string): boolean {
    const vault = this.vaultByArn(arn);
    if (vault) return vault.account === account && vault.region === region;
    if (this.recoveryPoint(account, region, arn)) return true;
    return [...this.#plans.values()].some((p) => p.arn === arn && p.account === account && p.region === region);
  }

  // ---- jobs ----

  /** Every job, sorted by (account, kind, id) so iteration never depends on insertion order. */
  jobs(): JobRecord[] {
    return [...this.#jobs.values()].sort((a, b) => compareJobs(a, b));
  }

  job(id: string): JobRecord | undefined {
    return this.#jobs.get(id);
  }

  backupJob(account: string, region: string, id: string): BackupJobRecord | undefined {
    const r = this.#jobs.get(id);
    return r?.kind === 'backup' && r.account === account && r.region === region ? r : undefined;
  }

  copyJob(account: string, region: string, id: string): CopyJobRecord | undefined {
    const r = this.#jobs.get(id);
    return r?.kind === 'copy' && r.account === account && r.region === region ? r : undefined;
  }

  restoreJob(account: string, region: string, id: string): RestoreJobRecord | undefined {
    const r = this.#jobs.get(id);
    return r?.kind === 'restore' && r.account === account && r.region === region ? r : undefined;
  }

  scanJob(account: string, region: string, id: string): ScanJobRecord | undefined {
    const r = this.#jobs.get(id);
    return r?.kind === 'scan' && r.account === account && r.region === region ? r : undefined;
  }

  /** A backup job created as a plan would create it (or as StartBackupJob does): it appears in CREATED. */
  createBackupJob(spec: BackupJobSpec): BackupJobRecord {
    const { account, region } = spec;
    const created = ms(spec.creationDate, this.#clock.ms());
    const resource =
      this.resource(account, region, spec.resourceArn) ??
      this.addResource({
        account,
        region,
        arn: spec.resourceArn,
        ...(spec.resourceType ? { resourceType: spec.resourceType } : {}),
      });
    let rule: StoredRule | undefined;
    let createdBy: RecoveryPointCreator | undefined;
    if (spec.plan) {
      const plan = this.plan(account, region, spec.plan.planId);
      if (!plan) throw new Error(`no plan ${spec.plan.planId} in ${account}/${region}`);
      const version = spec.plan.versionId
        ? plan.versions.find((v) => v.versionId === spec.plan?.versionId)
        : plan.versions.at(-1);
      if (!version) throw new Error(`no version ${spec.plan.versionId} of plan ${plan.planId}`);
      rule = spec.plan.ruleName ? version.rules.find((r) => r.RuleName === spec.plan?.ruleName) : version.rules[0];
      if (!rule) throw new Error(`no rule ${spec.plan.ruleName} in plan ${plan.planId}`);
      createdBy = {
        BackupPlanId: plan.planId,
        BackupPlanArn: plan.arn,
        BackupPlanName: plan.name,
        BackupPlanVersion: version.versionId,
        BackupRuleId: rule.RuleId,
        BackupRuleName: rule.RuleName,
        ...(rule.ScheduleExpression ? { BackupRuleCron: rule.ScheduleExpression } : {}),
        ...(rule.ScheduleExpressionTimezone ? { BackupRuleTimezone: rule.ScheduleExpressionTimezone } : {}),
      };
      plan.lastExecutionDate = new Date(created);
    }
    const vaultName = spec.vaultName ?? rule?.TargetBackupVaultName;
    if (!vaultName) throw new Error('createBackupJob needs a vaultName or a plan');
    const vault = this.vault(account, region, vaultName);
    const id = this.#freeId(
      spec.id ?? uuidFrom('backup-job', account, region, spec.resourceArn, created, createdBy?.BackupRuleId ?? ''),
    );
    const timing = newTiming(spec.outcome, created);
    const { outcome } = timing;
    const startWindow = spec.startWindowMinutes ?? Number(rule?.StartWindowMinutes ?? DEFAULT_START_WINDOW_MINUTES);
    const lifecycle = spec.lifecycle ?? rule?.Lifecycle;
    const record: BackupJobRecord = {
      kind: 'backup',
      account,
      region,
      ...timing,
      sizeBytes: outcome.sizeBytes ?? resource.sizeBytes,
      ...(rule ? { rule } : {}),
      job: compactJob({
        AccountId: account,
        BackupJobId: id,
        BackupVaultName: vaultName,
        BackupVaultArn: vault?.arn ?? vaultArn(region, account, vaultName),
        VaultType: vault?.vaultType ?? 'BACKUP_VAULT',
        VaultLockState: vault?.lockState,
        RecoveryPointArn: recoveryPointArnFor(resource.resourceType, region, account, id),
        RecoveryPointLifecycle: lifecycle,
        EncryptionKeyArn: vault?.encryptionKeyArn,
        IsEncrypted: true,
        ResourceArn: spec.resourceArn,
        CreationDate: new Date(created),
        State: 'CREATED',
        PercentDone: '0.0',
        BackupSizeInBytes: 0,
        IamRoleArn: spec.iamRoleArn ?? defaultRoleArn(account),
        CreatedBy: createdBy,
        StartBy: new Date(created + startWindow * MINUTE),
        ResourceType: resource.resourceType,
        BytesTransferred: 0,
        BackupOptions: spec.backupOptions,
        ParentJobId: spec.parentJobId,
        IsParent: false,
        ResourceName: resource.name,
        InitiationDate: new Date(created),
      }),
    };
    return this.#admit(record, created);
  }

  /** A copy job (as a plan's CopyAction or StartCopyJob creates it), in CREATED, in the source account and Region. */
  createCopyJob(spec: CopyJobSpec): CopyJobRecord {
    const { account, region } = spec;
    const created = ms(spec.creationDate, this.#clock.ms());
    const source = this.#points.get(key(account, region, spec.sourceRecoveryPointArn))?.point;
    if (!source) throw new Error(`no recovery point ${spec.sourceRecoveryPointArn} in ${account}/${region}`);
    const destination = this.vaultByArn(spec.destinationVaultArn);
    const resourceArn = source.ResourceArn ?? '';
    const resourceType = source.ResourceType ?? resourceTypeOf(resourceArn);
    const id = this.#freeId(
      spec.id ??
        uuidFrom(
          'copy-job',
          account,
          region,
          spec.sourceRecoveryPointArn,
          spec.destinationVaultArn,
          created,
        ).toUpperCase(),
    );
    const timing = newTiming(spec.outcome, created);
    const { outcome } = timing;
    const sizeBytes = outcome.sizeBytes ?? source.BackupSizeInBytes ?? defaultSizeBytes(resourceType, resourceArn);
    const record: CopyJobRecord = {
      kind: 'copy',
      account,
      region,
      ...timing,
      sizeBytes,
      job: compactJob({
        AccountId: account,
        CopyJobId: id,
        SourceBackupVaultArn: source.BackupVaultArn,
        SourceRecoveryPointArn: spec.sourceRecoveryPointArn,
        DestinationBackupVaultArn: spec.destinationVaultArn,
        DestinationVaultType: destination?.vaultType,
        DestinationVaultLockState: destination?.lockState,
        DestinationEncryptionKeyArn: destination?.encryptionKeyArn,
        DestinationRecoveryPointLifecycle: spec.lifecycle,
        ResourceArn: resourceArn,
        CreationDate: new Date(created),
        State: 'CREATED',
        BackupSizeInBytes: sizeBytes,
        IamRoleArn: spec.iamRoleArn ?? defaultRoleArn(account),
        CreatedBy: spec.createdBy,
        CreatedByBackupJobId: spec.createdByBackupJobId,
        ResourceType: resourceType,
        IsParent: false,
        ResourceName: source.ResourceName ?? resourceNameOf(resourceArn),
      }),
    };
    return this.#admit(record, created);
  }

  /** A restore job of a recovery point of that account and Region: CREATED event, then PENDING. */
  createRestoreJob(spec: RestoreJobSpec): RestoreJobRecord {
    const { account, region } = spec;
    const created = ms(spec.creationDate, this.#clock.ms());
    const point = this.#points.get(key(account, region, spec.recoveryPointArn))?.point;
    if (!point) throw new Error(`no recovery point ${spec.recoveryPointArn} in ${account}/${region}`);
    const id = this.#freeId(
      spec.id ?? uuidFrom('restore-job', account, region, spec.recoveryPointArn, created).toUpperCase(),
    );
    const timing = newTiming(spec.outcome, created);
    const { outcome } = timing;
    const record: RestoreJobRecord = {
      kind: 'restore',
      account,
      region,
      ...timing,
      phase: 'CREATED',
      recoveryPoint: point,
      job: compactJob({
        AccountId: account,
        RestoreJobId: id,
        RecoveryPointArn: spec.recoveryPointArn,
        SourceResourceArn: point.ResourceArn,
        BackupVaultArn: point.BackupVaultArn,
        CreationDate: new Date(created),
        Status: 'PENDING',
        PercentDone: '0.0',
        BackupSizeInBytes: outcome.sizeBytes ?? point.BackupSizeInBytes,
        IamRoleArn: spec.iamRoleArn ?? defaultRoleArn(account),
        ResourceType: point.ResourceType,
        RecoveryPointCreationDate: point.CreationDate,
        IsParent: false,
        ...(spec.restoreTestingPlanArn ? { CreatedBy: { RestoreTestingPlanArn: spec.restoreTestingPlanArn } } : {}),
      }),
    };
    return this.#admit(record, created);
  }

  /**
   * A malware scan of a recovery point of that account and Region (a plan's scan action or
   * StartScanJob), in CREATED. GuardDuty is the only scanner (API_ScanJob); the scan's vault,
   * resource and plan are the recovery point's.
   */
  createScanJob(spec: ScanJobSpec): ScanJobRecord {
    const { account, region } = spec;
    const created = ms(spec.creationDate, this.#clock.ms());
    const point = this.#points.get(key(account, region, spec.recoveryPointArn))?.point;
    if (!point) throw new Error(`no recovery point ${spec.recoveryPointArn} in ${account}/${region}`);
    const id = this.#freeId(spec.id ?? uuidFrom('scan-job', account, region, spec.recoveryPointArn, created));
    const outcome = spec.outcome ?? { state: 'COMPLETED' };
    const c = point.CreatedBy;
    const record: ScanJobRecord = {
      kind: 'scan',
      account,
      region,
      outcome,
      eligibleAt: created + (outcome.startAfterMinutes ?? 1) * MINUTE,
      blocked: false,
      job: compactJob({
        AccountId: account,
        BackupVaultArn: point.BackupVaultArn,
        BackupVaultName: point.BackupVaultName,
        CreatedBy:
          c?.BackupPlanId && c.BackupPlanArn && c.BackupPlanVersion && c.BackupRuleId
            ? {
                BackupPlanArn: c.BackupPlanArn,
                BackupPlanId: c.BackupPlanId,
                BackupPlanVersion: c.BackupPlanVersion,
                BackupRuleId: c.BackupRuleId,
              }
            : undefined,
        CreationDate: new Date(created),
        IamRoleArn: point.IamRoleArn ?? defaultRoleArn(account),
        MalwareScanner: 'GUARDDUTY',
        RecoveryPointArn: spec.recoveryPointArn,
        ResourceArn: point.ResourceArn,
        ResourceName: point.ResourceName,
        ResourceType: point.ResourceType,
        ScanBaseRecoveryPointArn: spec.scanBaseRecoveryPointArn,
        ScanId: uuidFrom('guardduty-scan', id),
        ScanJobId: id,
        ScanMode: spec.scanMode ?? (spec.scanBaseRecoveryPointArn ? 'INCREMENTAL_SCAN' : 'FULL_SCAN'),
        ScannerRoleArn: spec.scannerRoleArn ?? `arn:aws:iam::${account}:role/AWSBackupGuardDutyScannerRole`,
        State: 'CREATED',
      }),
    };
    return this.#admit(record, created);
  }

  /**
   * Moves a job to `state` at `at` with the given member changes, then tells the listeners. The
   * only way a job changes state, so every change gives exactly one event.
   */
  transition(record: JobRecord, state: string, at: number, patch: Record<string, unknown> = {}): void {
    Object.assign(record.job, patch);
    if (record.kind === 'restore') {
      record.phase = state as RestorePhase;
      record.job.Status = (state === 'CREATED' ? 'PENDING' : state) as RestoreJobRecord['job']['Status'];
    } else {
      record.job.State = state as BackupJobRecord['job']['State'];
    }
    this.#announce(record, state, at);
  }

  /** Files a new job and tells the listeners it is CREATED. */
  #admit<R extends JobRecord>(record: R, created: number): R {
    this.#jobs.set(jobIdOf(record), record);
    this.#announce(record, 'CREATED', created);
    return record;
  }

  #announce(record: JobRecord, state: string, at: number): void {
    for (const listener of this.#listeners) listener({ record, state, at });
  }

  /** The id, or the id with a suffix when a seed asks twice for the same one (same resource, same instant). */
  #freeId(id: string): string {
    if (!this.#jobs.has(id)) return id;
    for (let n = 2; ; n++) {
      const next = uuidFrom(id, n);
      const cased = id === id.toUpperCase() ? next.toUpperCase() : next;
      if (!this.#jobs.has(cased)) return cased;
    }
  }
}

const KIND_ORDER = { backup: 0, copy: 1, restore: 2, scan: 3 } as const;

/** (account, kind, id): the engine's tie-break after time. */
export const compareJobs = (a: JobRecord, b: JobRecord): number =>
  a.account.localeCompare(b.account) || KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || jobIdOf(a).localeCompare(jobIdOf(b));

export const jobIdOf = (r: JobRecord): string =>
  r.kind === 'backup'
    ? r.job.BackupJobId
    : r.kind === 'copy'
      ? r.job.CopyJobId
      : r.kind === 'restore'
        ? r.job.RestoreJobId
        : r.job.ScanJobId;

/** Drops undefined members, so records hold exactly the members AWS would return. */
const compactJob = <T>(o: Record<string, unknown>): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

const DAY = 86_400_000;

/** CalculatedLifecycle from a Lifecycle: days after creation (API_CalculatedLifecycle). */
export const calculated = (at: Date, lifecycle: Lifecycle): { MoveToColdStorageAt?: Date; DeleteAt?: Date } => ({
  ...(lifecycle.MoveToColdStorageAfterDays === undefined
    ? {}
    : { MoveToColdStorageAt: new Date(at.getTime() + Number(lifecycle.MoveToColdStorageAfterDays) * DAY) }),
  ...(lifecycle.DeleteAfterDays === undefined
    ? {}
    : { DeleteAt: new Date(at.getTime() + Number(lifecycle.DeleteAfterDays) * DAY) }),
});
