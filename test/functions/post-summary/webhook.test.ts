import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postWebhook, retryAfterMs } from '../../../functions/post-summary/webhook.js';
import { startWebhookServer } from './http-server.js';

type Server = Awaited<ReturnType<typeof startWebhookServer>>;
let server: Server;
/** Where the redirects point: it must never receive a request. */
let elsewhere: Server;

/** What a streamed answer sent before the client went away. */
interface Streamed {
  bytes: number;
  /** The client closed the connection before the whole body was written. */
  closedEarly: boolean;
}
const streamed = new Map<string, Streamed>();

/**
 * Answers `status` with a body of `total` bytes, written in 64 KiB chunks of one reused buffer as
 * the socket drains: the test allocates 64 KiB, never `total`.
 */
const stream = (path: string, status: number, total: number) => (res: ServerResponse) => {
  const chunk = Buffer.alloc(64 * 1024, 'x');
  const seen: Streamed = { bytes: 0, closedEarly: false };
  streamed.set(path, seen);
  res.writeHead(status, { 'content-type': 'text/plain' });
  const pump = (): void => {
    while (seen.bytes < total) {
      seen.bytes += chunk.length;
      if (!res.write(chunk)) return void res.once('drain', pump);
    }
    res.end();
  };
  res.on('close', () => {
    seen.closedEarly = !res.writableFinished;
  });
  pump();
};

/** Answers `status`, then writes one byte every 50 ms for a minute. */
const drip = (status: number) => (res: ServerResponse) => {
  res.writeHead(status, { 'content-type': 'text/plain' });
  const timer = setInterval(() => res.write('.'), 50);
  const stop = setTimeout(() => res.end(), 60_000);
  res.on('close', () => {
    clearInterval(timer);
    clearTimeout(stop);
  });
};

const redirect = (status: number) => (res: ServerResponse) =>
  res.writeHead(status, { location: elsewhere.url('/stolen') }).end('moved');

const MB = 1024 * 1024;

beforeAll(async () => {
  elsewhere = await startWebhookServer({ '/stolen': (res) => res.writeHead(200).end('ok') });
  server = await startWebhookServer({
    '/huge-500': stream('/huge-500', 500, 300 * MB),
    '/huge-200': stream('/huge-200', 200, 300 * MB),
    '/drip-500': drip(500),
    '/drip-200': drip(200),
    '/301': redirect(301),
    '/302': redirect(302),
    '/303': redirect(303),
    '/307': redirect(307),
    '/308': redirect(308),
    '/ok': (res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'),
    '/accepted': (res) => res.writeHead(202).end(),
    '/500-then-ok': (res, n) => (n === 1 ? res.writeHead(500).end('oops') : res.writeHead(200).end('ok')),
    '/429-retry-after': (res, n) =>
      n === 1 ? res.writeHead(429, { 'retry-after': '1' }).end('rate_limited') : res.writeHead(200).end('ok'),
    '/slow': (res) => {
      const timer = setTimeout(() => res.writeHead(200).end('late'), 2_000);
      res.on('close', () => clearTimeout(timer));
    },
    '/always-500': (res) => res.writeHead(503).end('unavailable'),
    '/gone': (res) => res.writeHead(404).end('no_service'),
    '/bad-payload': (res) => res.writeHead(400).end('invalid_blocks'),
    '/services/T0000/B0000/SECRETtoken?sig=SIGNATUREabc': (res, _n, req) =>
      res.writeHead(404).end(`no webhook at http://127.0.0.1${req.url}`),
  });
});
afterAll(async () => {
  await server.stop();
  await elsewhere.stop();
});

// Short backoffs; a timeout roomy enough that a loaded CI machine never times out an answer the
// stand-in gives at once (the timeout tests set their own 300 ms).
const fast = { timeoutMs: 3_000, retries: 2, baseDelayMs: 20 };

describe('postWebhook over real HTTP', () => {
  it('posts the JSON payload once on success', async () => {
    const result = await postWebhook(server.url('/ok'), { text: 'hello' }, fast);
    expect(result).toEqual({ ok: true, status: 200, attempts: 1 });
    const [hit] = server.hits('/ok');
    expect(hit?.body).toBe('{"text":"hello"}');
    expect(hit?.contentType).toBe('application/json; charset=utf-8');
  });

  it('accepts 202 (what Teams Workflows answers)', async () => {
    expect(await postWebhook(server.url('/accepted'), {}, fast)).toEqual({ ok: true, status: 202, attempts: 1 });
  });

  it('retries a 500 and succeeds on the second attempt', async () => {
    const result = await postWebhook(server.url('/500-then-ok'), { n: 1 }, fast);
    expect(result).toEqual({ ok: true, status: 200, attempts: 2 });
    expect(server.hits('/500-then-ok')).toHaveLength(2);
  });

  it('honours Retry-After on a 429', async () => {
    const result = await postWebhook(server.url('/429-retry-after'), {}, fast);
    expect(result).toMatchObject({ ok: true, attempts: 2 });
    const [first, second] = server.hits('/429-retry-after');
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it('gives up after its retries when every attempt times out', async () => {
    const started = Date.now();
    const result = await postWebhook(server.url('/slow'), {}, { ...fast, timeoutMs: 300, retries: 1 });
    expect(result).toEqual({ ok: false, attempts: 2, error: 'timed out' });
    expect(server.hits('/slow')).toHaveLength(2);
    // Two 300 ms attempts and one 20 ms backoff, not the server's 2 s.
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('retries a 5xx up to its limit with growing waits', async () => {
    const result = await postWebhook(server.url('/always-500'), {}, { ...fast, retries: 3, baseDelayMs: 40 });
    expect(result).toEqual({ ok: false, status: 503, attempts: 4, error: 'HTTP 503 unavailable' });
    const at = server.hits('/always-500').map((h) => h.at);
    const gaps = at.slice(1).map((t, i) => t - (at[i] ?? t));
    expect(gaps).toHaveLength(3);
    expect(gaps[2]).toBeGreaterThanOrEqual(150); // 40, 80, 160 ms
  });

  it.each([
    { path: '/gone', status: 404, error: 'HTTP 404 no_service' },
    { path: '/bad-payload', status: 400, error: 'HTTP 400 invalid_blocks' },
  ])('does not retry a $status', async ({ path, status, error }) => {
    expect(await postWebhook(server.url(path), {}, fast)).toEqual({ ok: false, status, attempts: 1, error });
    expect(server.hits(path)).toHaveLength(1);
  });

  it('never quotes the secret parts of its URL that an error page echoes', async () => {
    const path = '/services/T0000/B0000/SECRETtoken?sig=SIGNATUREabc';
    const result = await postWebhook(server.url(path), {}, fast);
    expect(result).toEqual({
      ok: false,
      status: 404,
      attempts: 1,
      error: 'HTTP 404 no webhook at http://127.0.0.1/…/T0000/B0000/…?sig=…',
    });
  });

  it('reports a refused connection without throwing', async () => {
    const closed = await startWebhookServer({});
    const url = closed.url('/x');
    await closed.stop();
    const result = await postWebhook(url, {}, { ...fast, retries: 1 });
    expect(result).toEqual({ ok: false, attempts: 2, error: 'network error ECONNREFUSED' });
  });

  it('stops retrying when the invocation is aborted', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const result = await postWebhook(
      server.url('/always-500'),
      {},
      { ...fast, retries: 5, baseDelayMs: 1_000, signal: controller.signal },
    );
    expect(result.ok).toBe(false);
    expect(result.attempts).toBe(1);
    expect(result.error).toContain('aborted while waiting to retry');
  });
});

describe('postWebhook trusts nothing it gets back', () => {
  it.each([301, 302, 303, 307, 308])('refuses a %i redirect: not followed, not retried', async (status) => {
    const result = await postWebhook(server.url(`/${status}`), { text: 'the summary' }, fast);
    expect(result).toEqual({ ok: false, status, attempts: 1, error: `HTTP ${status} redirect refused (not followed)` });
    expect(server.hits(`/${status}`)).toHaveLength(1);
    expect(elsewhere.received).toEqual([]);
  });

  it('reads a bounded start of a 300 MB failure body and closes the connection on the rest', async () => {
    // A generous timeout: only the bound, not the clock, may stop this read.
    const result = await postWebhook(server.url('/huge-500'), {}, { timeoutMs: 20_000, retries: 0 });
    expect(result).toEqual({ ok: false, status: 500, attempts: 1, error: `HTTP 500 ${'x'.repeat(200)}` });
    await expect.poll(() => streamed.get('/huge-500')?.closedEarly).toBe(true);
    // What the server got into the socket before it closed: kernel buffers, far from 300 MB.
    expect(streamed.get('/huge-500')?.bytes).toBeLessThan(32 * MB);
  });

  it('does not read a success body at all, however large', async () => {
    const result = await postWebhook(server.url('/huge-200'), {}, { timeoutMs: 20_000, retries: 0 });
    expect(result).toEqual({ ok: true, status: 200, attempts: 1 });
    await expect.poll(() => streamed.get('/huge-200')?.closedEarly).toBe(true);
    expect(streamed.get('/huge-200')?.bytes).toBeLessThan(32 * MB);
  });

  it('stops a failure body that drips past the attempt timeout, keeping the status', async () => {
    const started = Date.now();
    const result = await postWebhook(server.url('/drip-500'), {}, { timeoutMs: 300, retries: 1, baseDelayMs: 20 });
    // 1 KiB at a byte per 50 ms would take 51 s per attempt.
    expect(result).toMatchObject({ ok: false, status: 500, attempts: 2 });
    expect(result.error).toMatch(/^HTTP 500 \.* \(response body: timed out\)$/);
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(server.hits('/drip-500')).toHaveLength(2);
  });

  it('answers a success at once although its body keeps dripping', async () => {
    const started = Date.now();
    expect(await postWebhook(server.url('/drip-200'), {}, { timeoutMs: 5_000, retries: 0 })).toEqual({
      ok: true,
      status: 200,
      attempts: 1,
    });
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});

describe('retryAfterMs', () => {
  const now = Date.parse('2026-11-24T08:00:00Z');
  it.each([
    { header: null, expected: undefined },
    { header: '', expected: undefined },
    { header: '3', expected: 3_000 },
    { header: 'Tue, 24 Nov 2026 08:00:10 GMT', expected: 10_000 },
    { header: 'Tue, 24 Nov 2026 07:59:00 GMT', expected: 0 },
    { header: 'soon', expected: undefined },
  ])('$header -> $expected', ({ header, expected }) => {
    expect(retryAfterMs(header, now)).toBe(expected);
  });
});
