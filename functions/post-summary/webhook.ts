import { setTimeout as sleep } from 'node:timers/promises';

/** How a webhook POST is retried. */
export interface WebhookOptions {
  /** Each attempt's timeout. */
  readonly timeoutMs: number;
  /** Retries after the first attempt. */
  readonly retries: number;
  /** First backoff; doubled per retry (default 500 ms). */
  readonly baseDelayMs?: number;
  /** Longest wait between attempts, Retry-After included (default 30 s). */
  readonly maxDelayMs?: number;
  /** Stops waiting and sending (middy's signal, armed before Lambda's timeout). */
  readonly signal?: AbortSignal;
}

/** The outcome of one delivery: never an exception, and never the URL. */
export interface WebhookResult {
  readonly ok: boolean;
  /** The last HTTP status, when a response arrived. */
  readonly status?: number;
  readonly attempts: number;
  /** Why the last attempt failed (status and the start of the response body, or the network error). */
  readonly error?: string;
}

const retryableStatus = (status: number): boolean => status === 429 || status >= 500;

/** Retry-After in seconds or as an HTTP date (RFC 9110, 10.2.3), as milliseconds from now. */
export const retryAfterMs = (header: string | null, now = Date.now()): number | undefined => {
  if (header === null || header.trim() === '') return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
};

const describeFailure = (error: unknown): string => {
  const e = error as { name?: string; message?: string; cause?: { code?: string } };
  if (e.name === 'TimeoutError') return 'timed out';
  // undici reports "fetch failed" with the socket error as the cause; its code (ECONNREFUSED, ...) says why.
  return e.cause?.code ? `network error ${e.cause.code}` : `${e.name ?? 'Error'}: ${e.message ?? ''}`.trim();
};

/**
 * POSTs a JSON payload with global fetch: a timeout per attempt, exponential backoff on 429, 5xx,
 * network errors and timeouts (honouring Retry-After), no retry on other 4xx. Never throws.
 */
export const postWebhook = async (url: string, payload: unknown, options: WebhookOptions): Promise<WebhookResult> => {
  const { timeoutMs, retries, baseDelayMs = 500, maxDelayMs = 30_000, signal } = options;
  const body = JSON.stringify(payload);
  let last: WebhookResult = { ok: false, attempts: 0, error: 'not sent' };
  for (let attempt = 1; attempt <= retries + 1; attempt += 1) {
    if (signal?.aborted) return { ...last, error: `aborted before attempt ${attempt}` };
    let wait = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
    try {
      const timeout = AbortSignal.timeout(timeoutMs);
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body,
        signal: signal ? AbortSignal.any([timeout, signal]) : timeout,
      });
      // Read the body either way: it frees the connection, and Slack explains a 400 in it (invalid_blocks).
      const text = (await response.text()).slice(0, 200);
      if (response.ok) return { ok: true, status: response.status, attempts: attempt };
      last = { ok: false, status: response.status, attempts: attempt, error: `HTTP ${response.status} ${text}`.trim() };
      if (!retryableStatus(response.status)) return last;
      const after = retryAfterMs(response.headers.get('retry-after'));
      if (after !== undefined) wait = Math.min(maxDelayMs, Math.max(wait, after));
    } catch (error) {
      last = { ok: false, attempts: attempt, error: describeFailure(error) };
    }
    if (attempt <= retries) {
      try {
        await sleep(wait, undefined, { signal });
      } catch {
        return { ...last, error: `${last.error}; aborted while waiting to retry` };
      }
    }
  }
  return last;
};
