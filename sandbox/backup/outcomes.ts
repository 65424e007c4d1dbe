/**
 * Scripted outcomes: how a job the sandbox runs will end. A scenario says it per job when it seeds
 * one, or per resource ARN / destination vault ARN for the jobs the toolkit starts through the API
 * ("the retry of this resource completes", "copies into vault X fail with <message>").
 */

/** Final states a job can be scripted into (copy jobs: COMPLETED, FAILED, PARTIAL; restores: COMPLETED, FAILED, ABORTED). */
export type FinalState = 'COMPLETED' | 'FAILED' | 'ABORTED' | 'EXPIRED' | 'PARTIAL';

/** How one job ends. */
export interface Outcome {
  readonly state: FinalState;
  /** AWS's StatusMessage (unquoted; events quote it where AWS does). */
  readonly statusMessage?: string;
  /** AWS's MessageCategory; COMPLETED defaults to SUCCESS, other states to none. */
  readonly messageCategory?: string;
  /** Minutes from RUNNING to the final state; 0 = fail before running. Defaults by state and size. */
  readonly runMinutes?: number;
  /** Minutes in PENDING before RUNNING (backup jobs); default 0 (no PENDING state). */
  readonly pendingMinutes?: number;
  /** Minutes after creation before the job may start (default 1). */
  readonly startAfterMinutes?: number;
  /** The backup's size; defaults to a deterministic size by resource type. */
  readonly sizeBytes?: number;
}

/** What API-started jobs get when nothing more specific is scripted. */
export const DEFAULT_OUTCOME: Outcome = Object.freeze({ state: 'COMPLETED' });

const NONE: Outcome[] = [];

/**
 * Outcomes for jobs started through StartBackupJob / StartCopyJob. Each key holds a queue: every
 * new job takes the next outcome and the last one repeats ("fails once, then completes").
 */
export class OutcomePolicy {
  readonly #backups = new Map<string, Outcome[]>();
  readonly #copies = new Map<string, Outcome[]>();
  #default: Outcome = DEFAULT_OUTCOME;

  /** Outcomes of the next backup jobs of this resource started through the API. */
  forResource(resourceArn: string, ...outcomes: readonly Outcome[]): this {
    this.#backups.set(resourceArn, [...outcomes]);
    return this;
  }

  /** Outcomes of the next copy jobs into this destination vault started through the API or by a plan. */
  forCopiesInto(destinationVaultArn: string, ...outcomes: readonly Outcome[]): this {
    this.#copies.set(destinationVaultArn, [...outcomes]);
    return this;
  }

  /** The outcome of every other API-started job (COMPLETED unless set). */
  setDefault(outcome: Outcome): this {
    this.#default = outcome;
    return this;
  }

  /** The outcome of a new backup job of this resource (consuming one from its queue). */
  nextBackup(resourceArn: string): Outcome {
    return take(this.#backups.get(resourceArn) ?? NONE) ?? this.#default;
  }

  /** The outcome of a new copy job into this vault (consuming one from its queue). */
  nextCopy(destinationVaultArn: string): Outcome {
    return take(this.#copies.get(destinationVaultArn) ?? NONE) ?? this.#default;
  }
}

const take = (queue: Outcome[]): Outcome | undefined => (queue.length > 1 ? queue.shift() : queue[0]);

/**
 * Status messages used when a scenario scripts none. The EXPIRED and ABORTED ones are AWS's own
 * (eventbridge.html samples: EXPIRED "Backup job failed because there was a running job for the
 * same resource.", ABORTED "Backup job was stopped by user."); the others are the sandbox's wording.
 */
export const DEFAULT_MESSAGES = Object.freeze({
  backupExpired: 'Backup job failed because there was a running job for the same resource.',
  backupAborted: 'Backup job was stopped by user.',
  backupFailed: 'An internal error occurred. Please try again later.',
  copyFailed: 'An internal error occurred. Please try again later.',
  restoreFailed: 'An internal error occurred. Please try again later.',
  restoreAborted: 'Restore job was stopped by user.',
  /** The sandbox's wording: AWS documents no message for a copy into a vault that does not exist. */
  copyVaultMissing: (vaultArn: string) => `Copy job failed because backup vault ${vaultArn} does not exist.`,
});
