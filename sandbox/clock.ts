/**
 * The sandbox's one clock. Virtual time moves only when the driver says so, so a whole day of AWS
 * Backup runs in seconds and the same seed replays the same day. Every stand-in reads time from
 * here; the function processes get the same time with each invocation (see lambda/virtual-clock.mjs).
 */
export class VirtualClock {
  #now: number;

  /** @param start - the first instant, epoch milliseconds. */
  constructor(start: number | Date) {
    this.#now = typeof start === 'number' ? start : start.getTime();
  }

  /** Epoch milliseconds now. */
  ms(): number {
    return this.#now;
  }

  /** Now, as a fresh Date. */
  now(): Date {
    return new Date(this.#now);
  }

  /** Moves time forward (never back: stand-ins keep records in time order). */
  advanceTo(ms: number): void {
    if (ms < this.#now) throw new RangeError(`the sandbox clock cannot go back (${new Date(ms).toISOString()})`);
    this.#now = ms;
  }

  advanceBy(ms: number): void {
    this.advanceTo(this.#now + ms);
  }
}
