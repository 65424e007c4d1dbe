import { ValidationError } from '../../shared/errors.js';

/** Regions listed at once by default (SUMMARY_REGION_CONCURRENCY). */
export const DEFAULT_REGION_CONCURRENCY = 4;
/** The most Regions listed at once (SUMMARY_REGION_CONCURRENCY's upper bound). */
export const MAX_REGION_CONCURRENCY = 16;

/**
 * Runs `work` for every item with at most `limit` running at once, in the items' order, and
 * resolves when all have finished. Each Region's listing holds one page (up to 1,000 jobs) in
 * memory while it is read, so the bound is what keeps the summary's peak memory independent of the
 * number of Regions. `work` must not throw (the summary turns every failure into a missing part);
 * if it does, the first error rejects the whole after the running ones settle, and no new item starts.
 *
 * @throws ValidationError when `limit` is not an integer from 1 to {@link MAX_REGION_CONCURRENCY}.
 */
export async function forEachBounded<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_REGION_CONCURRENCY) {
    throw new ValidationError('regionConcurrency', limit, `must be an integer from 1 to ${MAX_REGION_CONCURRENCY}`);
  }
  let next = 0;
  let failed: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (failed === undefined && next < items.length) {
      const item = items[next] as T;
      next += 1;
      try {
        await work(item);
      } catch (error) {
        failed ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failed) throw failed.error;
}
