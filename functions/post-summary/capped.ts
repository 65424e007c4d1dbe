import type { Capped } from './report.js';

/**
 * Keeps the best `cap` items of a stream by rank (`compare` negative = the first ranks higher) and
 * counts the rest, so a list a person reads costs memory for what is shown, never for every job.
 * `make` builds an item only when it is kept: most jobs are only counted.
 */
export class TopN<R, T> {
  readonly #cap: number;
  readonly #compare: (a: R, b: R) => number;
  readonly #kept: { rank: R; item: T }[] = [];
  #seen = 0;

  constructor(cap: number, compare: (a: R, b: R) => number) {
    this.#cap = cap;
    this.#compare = compare;
  }

  offer(rank: R, make: () => T): void {
    this.#seen += 1;
    const kept = this.#kept;
    const last = kept.at(-1);
    if (kept.length >= this.#cap && (last === undefined || this.#compare(rank, last.rank) >= 0)) return;
    let at = kept.length;
    while (at > 0) {
      const before = kept[at - 1];
      if (before === undefined || this.#compare(rank, before.rank) >= 0) break;
      at -= 1;
    }
    kept.splice(at, 0, { rank, item: make() });
    if (kept.length > this.#cap) kept.pop();
  }

  /** The kept items, best first, and how many were left off. */
  result(): Capped<T> {
    return { items: this.#kept.map((k) => k.item), more: this.#seen - this.#kept.length };
  }
}
