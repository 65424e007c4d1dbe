/**
 * StartBackupJob / StartCopyJob idempotency tokens. "Retrying a successful request with the same
 * idempotency token results in a success message with no action taken" (API_StartBackupJob,
 * API_StartCopyJob): the same token with the same input answers the first call's output again.
 * What a reused token with DIFFERENT input does is undocumented; the sandbox refuses it with
 * InvalidParameterValueException naming the token, so a toolkit bug that reuses a token shows up.
 * How long AWS remembers a token is undocumented too: the sandbox never forgets. Tokens are scoped
 * to (operation, account, Region).
 */

import { ServiceError } from '../http/stand-in.js';
import { hexFrom } from '../ids.js';
import { canonical } from './paging.js';

/** One use of a token, as recorded. */
export interface TokenUse {
  readonly operation: 'StartBackupJob' | 'StartCopyJob';
  readonly account: string;
  readonly region: string;
  readonly token: string;
  /** The job the token names (the first call's). */
  readonly jobId: string;
  /** Sandbox time of the call, epoch ms. */
  readonly at: number;
  /** True when the call repeated an earlier one and nothing was started. */
  readonly replay: boolean;
}

interface First {
  readonly fingerprint: string;
  readonly output: unknown;
  readonly jobId: string;
}

export class IdempotencyTokens {
  readonly #first = new Map<string, First>();
  readonly #uses: TokenUse[] = [];

  /** Every use of every token, in arrival order. */
  uses(): readonly TokenUse[] {
    return [...this.#uses];
  }

  /**
   * Answers a Start call: the recorded output for a replay, or `start()`'s for a new token.
   *
   * @throws ServiceError InvalidParameterValueException when the token was used with other input
   */
  run<T>(
    operation: TokenUse['operation'],
    scope: { account: string; region: string; at: number },
    token: string,
    input: object,
    start: () => { output: T; jobId: string },
  ): T {
    const { IdempotencyToken: _t, ...rest } = input as Record<string, unknown>;
    const fingerprint = hexFrom(32, canonical(rest));
    const key = [operation, scope.account, scope.region, token].join('|');
    const first = this.#first.get(key);
    if (first) {
      if (first.fingerprint !== fingerprint) {
        throw new ServiceError(
          'InvalidParameterValueException',
          `IdempotencyToken ${token} was already used with a different ${operation} request`,
          400,
        );
      }
      this.#uses.push({ operation, ...scope, token, jobId: first.jobId, replay: true });
      return structuredClone(first.output) as T;
    }
    const { output, jobId } = start();
    this.#first.set(key, { fingerprint, output: structuredClone(output), jobId });
    this.#uses.push({ operation, ...scope, token, jobId, replay: false });
    return output;
  }
}
