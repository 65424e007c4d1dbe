/** One request a stand-in answered, as the sandbox records it. */
export interface CallRecord {
  /** Order of arrival (across every stand-in of a sandbox). */
  readonly seq: number;
  /** Sandbox time, epoch milliseconds. */
  readonly at: number;
  readonly service: string;
  readonly operation: string;
  readonly account: string;
  readonly region: string;
  /** The principal's name (a function's logical id, or `sandbox`). */
  readonly caller: string;
  readonly container?: string;
  /** The parsed input (wire names mapped back to the model's member names where a model exists). */
  readonly input: unknown;
  readonly status: number;
  /** The error code the stand-in answered, if any. */
  readonly error?: string;
  /** The fault that fired on this call, if any. */
  readonly fault?: string;
}

/** Every call every stand-in answered, in arrival order. */
export class CallLog {
  readonly #records: CallRecord[] = [];

  record(call: Omit<CallRecord, 'seq'>): CallRecord {
    const full = { seq: this.#records.length + 1, ...call };
    this.#records.push(full);
    return full;
  }

  /** Calls matching every given field. */
  list(filter: Partial<Pick<CallRecord, 'service' | 'operation' | 'caller' | 'account'>> = {}): CallRecord[] {
    return this.#records.filter((r) =>
      Object.entries(filter).every(([key, value]) => value === undefined || r[key as keyof CallRecord] === value),
    );
  }

  clear(): void {
    this.#records.length = 0;
  }
}
