/**
 * Faults on demand, for every stand-in. A rule matches a service and operation (and optionally the
 * request's input) and fires a number of times; each match consumes one.
 */
export type Fault =
  /** Answer the throttling error the service sends (Backup: ThrottlingException, 400). */
  | { readonly kind: 'throttle' }
  /** Answer a server error (500 InternalFailure or 503 ServiceUnavailableException). */
  | { readonly kind: 'server-error'; readonly status?: 500 | 503 }
  /** Wait this many real milliseconds before handling the request. */
  | { readonly kind: 'latency'; readonly ms: number }
  /** Let the call take effect, then destroy the connection before any response byte. */
  | { readonly kind: 'drop-after-effect' }
  /** Do not let the call take effect; kill the calling function container (a crash between two writes). */
  | { readonly kind: 'crash-caller' }
  /**
   * Answer this service error before any effect: a refusal the stand-in would not otherwise give
   * (AccessDeniedException from a role that lost a permission, say), to drive a caller's handling of it.
   */
  | { readonly kind: 'refuse'; readonly code: string; readonly message: string; readonly status?: number };

export interface FaultRule {
  readonly service: string;
  /** Operation name as the service model spells it (StartBackupJob, PutItem, Publish...); '*' = any. */
  readonly operation: string;
  readonly fault: Fault;
  /** How many matching requests it applies to (default 1). */
  readonly times?: number;
  /** Only requests whose parsed input passes this. */
  readonly when?: (input: unknown) => boolean;
}

/** The faults armed on a sandbox, consumed in the order they were added. */
export class Faults {
  readonly #rules: { rule: FaultRule; left: number }[] = [];
  /** Every fault that fired, for assertions. */
  readonly fired: { service: string; operation: string; kind: Fault['kind'] }[] = [];

  add(rule: FaultRule): this {
    this.#rules.push({ rule, left: rule.times ?? 1 });
    return this;
  }

  clear(): void {
    this.#rules.length = 0;
  }

  /** The fault for this request, if one is armed (consuming one use of it). */
  take(service: string, operation: string, input: unknown): Fault | undefined {
    for (const entry of this.#rules) {
      const { rule } = entry;
      if (entry.left <= 0 || rule.service !== service) continue;
      if (rule.operation !== '*' && rule.operation !== operation) continue;
      if (rule.when && !rule.when(input)) continue;
      entry.left -= 1;
      this.fired.push({ service, operation, kind: rule.fault.kind });
      return rule.fault;
    }
    return undefined;
  }
}
