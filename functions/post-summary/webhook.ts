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

/** The outcome of one delivery: never an exception, and never the URL, not even echoed by the endpoint. */
export interface WebhookResult {
  readonly ok: boolean;
  /** The last HTTP status, when a response arrived. */
  readonly status?: number;
  readonly attempts: number;
  /** Why the last attempt failed (status and the start of the response body, or the network error). */
  readonly error?: string;
}

function retryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/**
 * Bytes of a failure answer read at most; the rest is discarded unread. Slack explains a 400 in a
 * few bytes (`invalid_blocks`, `no_service`); an endpoint that answers 300 MB must not make the
 * function hold 300 MB (measured before this bound: 740 MB of memory grown in a 512 MB function).
 */
export const MAX_BODY_BYTES = 1024;
/** Characters of a failure answer quoted in the delivery error. */
export const MAX_ERROR_TEXT = 200;

/** Retry-After in seconds or as an HTTP date (RFC 9110, 10.2.3), as milliseconds from now. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function describeFailure(error: unknown): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string } };
  if (e.name === 'TimeoutError') return 'timed out';
  // undici reports "fetch failed" with the socket error as the cause; its code (ECONNREFUSED, ...) says why.
  return e.cause?.code ? `network error ${e.cause.code}` : `${e.name ?? 'Error'}: ${e.message ?? ''}`.trim();
}

/** Parts of a webhook URL at least this long are taken for its secret part (a token, a signature). */
const MIN_SECRET_PART = 8;

/**
 * `text` with every part of the URL's path and query of {@link MIN_SECRET_PART} characters or more
 * replaced by `…`: an endpoint's error page may echo the path it was asked for, and the path of a
 * webhook URL is its credential (Slack's `/services/T…/B…/<token>`, a Workflows URL's `sig=`).
 */
function withoutUrlParts(text: string, url: string): string {
  const { pathname, search } = new URL(url);
  const parts = `${pathname}${search}`.split(/[/?&=]/).filter((part) => part.length >= MIN_SECRET_PART);
  return parts.reduce((scrubbed, part) => scrubbed.replaceAll(part, '…'), text);
}

/** The start of a response body, and why reading it stopped early when it did. */
interface BodyStart {
  readonly text: string;
  readonly failure?: unknown;
}

/**
 * Reads at most `maxBytes` of a body, then cancels the stream: undici then closes the connection
 * instead of downloading (or buffering) the rest. A read the attempt's signal aborts (a body dripping
 * past the timeout) ends with what arrived and the reason. Hand-written because `Response.text()`,
 * `arrayBuffer()` and `blob()` all read to the end, and no fetch option bounds a body.
 */
async function readBodyStart(body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<BodyStart> {
  if (body === null) return { text: '' };
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let failure: unknown;
  try {
    while (size < maxBytes) {
      const { done, value } = await reader.read();
      if (done) break;
      const part = value.subarray(0, maxBytes - size);
      chunks.push(part);
      size += part.byteLength;
    }
  } catch (error) {
    failure = error;
  }
  // Rejects when the stream already failed (the abort above): nothing is left to discard then.
  await reader.cancel().catch(() => undefined);
  // A character cut at the bound decodes as U+FFFD: this text is for a person, not a parser.
  const text = new TextDecoder().decode(Buffer.concat(chunks)).slice(0, MAX_ERROR_TEXT);
  return failure === undefined ? { text } : { text, failure };
}

/** Discards a body unread (a success, a redirect): the connection closes, nothing is buffered. */
async function discard(body: ReadableStream<Uint8Array> | null): Promise<void> {
  await body?.cancel().catch(() => undefined);
}

/**
 * POSTs a JSON payload with global fetch: a timeout per attempt (the response body included),
 * exponential backoff on 429, 5xx, network errors and timeouts (honouring Retry-After), no retry on
 * other 4xx. Trusts nothing it gets back: a redirect is a permanent failure, never followed; at most
 * {@link MAX_BODY_BYTES} of a failure's body are read and a success's body is not read at all.
 * Never throws.
 */
export async function postWebhook(url: string, payload: unknown, options: WebhookOptions): Promise<WebhookResult> {
  const { timeoutMs, retries, baseDelayMs = 500, maxDelayMs = 30_000, signal } = options;
  const body = JSON.stringify(payload);
  let last: WebhookResult = { ok: false, attempts: 0, error: 'not sent' };
  for (let attempt = 1; attempt <= retries + 1; attempt += 1) {
    if (signal?.aborted) return { ...last, error: `aborted before attempt ${attempt}` };
    let wait = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
    try {
      // One signal for the whole attempt: undici aborts the body stream with it too, so a body read
      // below cannot outlast the attempt's timeout any more than the headers can.
      const timeout = AbortSignal.timeout(timeoutMs);
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body,
        // Following a redirect would send the summary to wherever the endpoint points (fetch resends
        // the body on 307 and 308): a webhook URL is one fixed endpoint, so a 3xx is refused.
        redirect: 'manual',
        signal: signal ? AbortSignal.any([timeout, signal]) : timeout,
      });
      const { status } = response;
      if (response.ok) {
        await discard(response.body);
        return { ok: true, status, attempts: attempt };
      }
      if (status >= 300 && status < 400) {
        await discard(response.body);
        return { ok: false, status, attempts: attempt, error: `HTTP ${status} redirect refused (not followed)` };
      }
      // Slack explains a 400 in its body (invalid_blocks): its start goes into the error.
      const start = await readBodyStart(response.body, MAX_BODY_BYTES);
      const cut = start.failure === undefined ? '' : ` (response body: ${describeFailure(start.failure)})`;
      const text = withoutUrlParts(start.text, url);
      last = { ok: false, status, attempts: attempt, error: `HTTP ${status} ${text}`.trim() + cut };
      if (!retryableStatus(status)) return last;
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
}
