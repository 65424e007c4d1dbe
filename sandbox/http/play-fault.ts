import type { Fault } from './faults.js';
import { ServiceError } from './stand-in.js';

/** The errors a service answers for the faults that refuse a call: each service words them its own way. */
export interface FaultErrors {
  readonly throttle: (operation: string) => ServiceError;
  readonly serverError: (status: 500 | 503) => ServiceError;
}

/** The call's output, or why no answer goes back (the call is recorded with status 0 and this reason). */
export type FaultOutcome<T> = { readonly output: T } | { readonly lost: 'crashed' | 'connection dropped' };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Plays the fault armed for one call (faults.ts) around its effect: `latency` waits first; `throttle`
 * and `server-error` (503 unless 500 is asked) throw the service's error before any effect;
 * `crash-caller` skips the effect (a crash between two writes); `drop-after-effect` lets it happen and
 * loses the answer.
 */
export const underFault = async <T>(
  armed: Fault | undefined,
  errors: FaultErrors,
  operation: string,
  effect: () => T | Promise<T>,
): Promise<FaultOutcome<T>> => {
  if (armed?.kind === 'latency') await sleep(armed.ms);
  if (armed?.kind === 'throttle') throw errors.throttle(operation);
  if (armed?.kind === 'server-error') throw errors.serverError(armed.status === 500 ? 500 : 503);
  if (armed?.kind === 'refuse') throw new ServiceError(armed.code, armed.message, armed.status ?? 400);
  if (armed?.kind === 'crash-caller') return { lost: 'crashed' };
  const output = await effect();
  if (armed?.kind === 'drop-after-effect') return { lost: 'connection dropped' };
  return { output };
};
