import { ValidationError } from '../errors.js';
import { toBackupApiError } from './errors.js';

/**
 * Checks a page size (MaxResults) against an API's range before any call: the SDK does not check,
 * the service rejects. Job lists take 1..1000, job summaries 1..500 (service model).
 */
export function checkPageSize(pageSize: number | undefined, max: number): void {
  if (pageSize !== undefined && (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > max)) {
    throw new ValidationError('pageSize', pageSize, `must be an integer from 1 to ${max} (MaxResults)`);
  }
}

/**
 * Streams the items of every page. The input is validated (and built) by the caller before this
 * runs, so a bad filter throws synchronously and no call is made; the paginator writes NextToken and
 * MaxResults into the input, so each listing gets a fresh object.
 */
export async function* pageItems<TPage, TItem>(
  operation: string,
  pages: () => AsyncIterable<TPage>,
  pick: (page: TPage) => readonly TItem[] | undefined,
): AsyncGenerator<TItem, void, undefined> {
  let iterator: AsyncIterator<TPage>;
  try {
    iterator = pages()[Symbol.asyncIterator]();
  } catch (error) {
    throw toBackupApiError(operation, error);
  }
  while (true) {
    let next: IteratorResult<TPage>;
    try {
      next = await iterator.next();
    } catch (error) {
      throw toBackupApiError(operation, error);
    }
    if (next.done) return;
    yield* pick(next.value) ?? [];
  }
}
