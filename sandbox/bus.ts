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
  /** Why it was dropped on purpose (a lost event, as EventBridge's best-effort delivery can lose one); false when delivered. */
  readonly dropped: false | string;
  /** How many times it was delivered to each matching rule (EventBridge delivers "at least once"). */
  readonly deliveries: number;
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
  readonly #lost: { predicate: (event: Record<string, unknown>) => boolean; reason: string }[] = [];
  readonly #repeated: { predicate: (event: Record<string, unknown>) => boolean; times: number }[] = [];

  constructor(rules: readonly BusRule[], deliver: (rule: BusRule, event: Record<string, unknown>) => void) {
    this.#rules = [...rules];
    this.#deliver = deliver;
  }

  /** Drops every later event the predicate picks (each predicate stays armed). */
  lose(predicate: (event: Record<string, unknown>) => boolean, reason = 'lost'): void {
    this.#lost.push({ predicate, reason });
  }

  /** Delivers every later event the predicate picks `times` times at once (a duplicate storm). */
  repeat(predicate: (event: Record<string, unknown>) => boolean, times: number): void {
    this.#repeated.push({ predicate, times });
  }

  /** Puts one event on the bus at sandbox time `at`. */
  put(event: Record<string, unknown>, at: number): BusRecord {
    const dropped = this.#lost.find((lost) => lost.predicate(event))?.reason ?? false;
    const rules = dropped ? [] : this.#rules.filter((rule) => matchesPattern(rule.pattern, event));
    const deliveries = this.#repeated.find((r) => r.predicate(event))?.times ?? 1;
    const record: BusRecord = { at, event, matched: rules.map((rule) => rule.id), dropped, deliveries };
    this.records.push(record);
    for (const rule of rules) for (let n = 0; n < deliveries; n += 1) this.#deliver(rule, event);
    return record;
  }
}
