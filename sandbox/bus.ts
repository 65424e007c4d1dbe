import { matchesPattern } from './template/event-pattern.js';

/** One rule of the template: a function's EventBridgeRule event, as resolved. */
export interface BusRule {
  /** `<function logical id>.<event name>`, e.g. RetryFailedJobFunction.BackupJobFailed. */
  readonly id: string;
  readonly target: string;
  readonly pattern: unknown;
}

/** What happened to one event put on the bus. */
export interface BusRecord {
  readonly at: number;
  readonly event: Readonly<Record<string, unknown>>;
  /** Rule ids that matched. */
  readonly matched: readonly string[];
  /** Dropped on purpose (a lost event, as EventBridge's best-effort delivery can lose one). */
  readonly dropped: boolean;
}

/**
 * The default event bus of one account and Region: matches each event against every rule of the
 * template as EventBridge does, and hands the matching ones to their targets. AWS Backup's events are
 * delivered "on a best-effort basis" (EventBridge, "Events from AWS services"): `lose` makes the bus
 * drop the events a predicate picks, so a test or a scenario can prove the sweeps find them.
 */
export class EventBus {
  readonly records: BusRecord[] = [];
  readonly #rules: BusRule[];
  readonly #deliver: (rule: BusRule, event: Record<string, unknown>) => void;
  readonly #lost: ((event: Record<string, unknown>) => boolean)[] = [];

  constructor(rules: readonly BusRule[], deliver: (rule: BusRule, event: Record<string, unknown>) => void) {
    this.#rules = [...rules];
    this.#deliver = deliver;
  }

  /** Drops every later event the predicate picks (each predicate stays armed). */
  lose(predicate: (event: Record<string, unknown>) => boolean): void {
    this.#lost.push(predicate);
  }

  /** Puts one event on the bus at sandbox time `at`. */
  put(event: Record<string, unknown>, at: number): BusRecord {
    const dropped = this.#lost.some((lost) => lost(event));
    const rules = dropped ? [] : this.#rules.filter((rule) => matchesPattern(rule.pattern, event));
    const record: BusRecord = { at, event, matched: rules.map((rule) => rule.id), dropped };
    this.records.push(record);
    for (const rule of rules) this.#deliver(rule, event);
    return record;
  }
}
