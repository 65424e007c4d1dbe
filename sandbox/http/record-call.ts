import type { Principal } from './principals.js';
import type { SandboxServices } from './stand-in.js';

/** What the call log says of one request, as far as the stand-in had read it when it answered. */
export interface CallFacts {
  readonly service: string;
  readonly operation: string;
  readonly input: unknown;
  /** The signer, when the access key id is one the sandbox issued. */
  readonly principal: Principal | undefined;
  /** The Region of the signed credential scope ('' when unsigned). */
  readonly region: string;
  /** The kind of fault that fired on the call, if one did. */
  readonly fault: string | undefined;
}

/**
 * Records one call in the sandbox's call log at the sandbox's now, with the answer's status (0 when
 * no answer was sent: the caller crashed, or the connection was dropped) and error code.
 */
export const recordCall = (shared: SandboxServices, facts: CallFacts, status: number, error?: string): void => {
  const { principal, fault } = facts;
  shared.calls.record({
    at: shared.clock.ms(),
    service: facts.service,
    operation: facts.operation,
    account: principal?.account ?? '',
    region: facts.region,
    caller: principal?.name ?? '(unsigned)',
    ...(principal?.container ? { container: principal.container } : {}),
    input: facts.input,
    status,
    ...(error ? { error } : {}),
    ...(fault ? { fault } : {}),
  });
};
