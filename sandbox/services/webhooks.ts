import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import { closeServer, listenOnLoopback } from '../http/loopback.js';
import type { SandboxServices } from '../http/stand-in.js';
import { slackRefusal } from './slack-limits.js';

/** The chat channel a webhook path stands for: its first segment (`/slack/...`, `/teams/...`). */
export type Channel = 'slack' | 'teams' | 'other';

/** A redirect status (RFC 9110, 15.4): what a hostile or moved endpoint may answer instead of accepting. */
export type RedirectStatus = 301 | 302 | 303 | 307 | 308;

/**
 * An answer other than the channel's normal one, for endpoints that misbehave: a redirect to
 * `location` (which a sender must not follow), or a body of `bytes` bytes streamed as the client
 * reads it (written from one reused 64 KiB buffer, so the sandbox never holds the body either).
 */
export type WebhookAnswer =
  | { readonly kind: 'redirect'; readonly status: RedirectStatus; readonly location: string }
  | { readonly kind: 'stream'; readonly status: number; readonly bytes: number };

/** How the webhook at one path answers, request after request. */
export interface WebhookScript {
  /** Statuses of the next requests, in order; once used up, {@link answer} or the channel's normal answer. */
  readonly statuses?: readonly number[];
  /** Every answer once {@link statuses} are used up (default: the channel's normal answer). */
  readonly answer?: WebhookAnswer;
  /** `Retry-After` (seconds) sent with every 429 or 503 of the script. */
  readonly retryAfterSeconds?: number;
  /** Real milliseconds to wait before each answer (to make a sender's timeout fire). */
  readonly delayMs?: number;
}

/** One POST the server received. */
export interface ReceivedWebhook {
  readonly channel: Channel;
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** The body parsed as JSON; the raw text when it is not JSON. */
  readonly body: unknown;
  readonly raw: string;
  /** Sandbox time, epoch milliseconds. */
  readonly at: number;
  /** The status it was answered with. */
  readonly status: number;
}

/** What a streamed answer ({@link WebhookAnswer} `stream`) wrote before its connection closed. */
export interface StreamedBody {
  readonly path: string;
  /** Bytes handed to the socket. */
  readonly bytes: number;
  /** The client closed the connection before the whole body was written. */
  readonly closedEarly: boolean;
}

export interface RunningWebhooks {
  /** `http://127.0.0.1:<port>`. */
  readonly baseUrl: string;
  /** The full URL of a path on this server (what the webhook secret holds). */
  url(path: string): string;
  /** Scripts the answers of one path (replacing any script it had). */
  script(path: string, script: WebhookScript): void;
  /** Every request received, in arrival order. */
  received(): readonly ReceivedWebhook[];
  /** Every streamed answer whose connection has closed, in closing order. */
  streamed(): readonly StreamedBody[];
  close(): Promise<void>;
}

const channelOf = (path: string): Channel => {
  const first = path.split('/')[1] ?? '';
  return first === 'slack' || first === 'teams' ? first : 'other';
};

// Normal answers: a Slack incoming webhook answers 200 with the body `ok` (Slack API, "Sending messages
// using incoming webhooks"); a Teams Workflows "When a Teams webhook request is received" trigger answers
// 202 Accepted with no body (Power Automate, "Request trigger").
const normal = (channel: Channel) =>
  channel === 'slack'
    ? { status: 200, body: 'ok' }
    : channel === 'teams'
      ? { status: 202, body: '' }
      : { status: 200, body: '' };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const CHUNK = Buffer.alloc(64 * 1024, 'x');

/** Writes `total` bytes as the socket drains; reports what was written when the connection closes. */
const streamBody = (res: ServerResponse, total: number, done: (bytes: number, closedEarly: boolean) => void) => {
  let bytes = 0;
  res.on('close', () => done(bytes, !res.writableFinished));
  const pump = (): void => {
    while (bytes < total) {
      const chunk = total - bytes < CHUNK.length ? CHUNK.subarray(0, total - bytes) : CHUNK;
      bytes += chunk.length;
      if (!res.write(chunk)) {
        res.once('drain', pump);
        return;
      }
    }
    res.end();
  };
  pump();
};

/**
 * Starts a loopback server that captures Slack and Teams webhook POSTs. It signs nothing and checks no
 * credentials (webhook URLs are bearer secrets); each path answers per its script: scripted
 * statuses, a delay, or a hostile answer (a redirect, a huge streamed body).
 */
export const startWebhooks = async (shared: SandboxServices): Promise<RunningWebhooks> => {
  const scripts = new Map<string, { script: WebhookScript; next: number }>();
  const log: ReceivedWebhook[] = [];
  const streams: StreamedBody[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      const channel = channelOf(path);
      const scripted = scripts.get(path);
      const step = scripted?.script.statuses?.[scripted.next];
      if (scripted && step !== undefined) scripted.next += 1;
      const special = step === undefined ? scripted?.script.answer : undefined;
      let body: unknown = raw;
      try {
        body = JSON.parse(raw);
      } catch {
        // not JSON: kept as text
      }
      // Unscripted, Slack answers a payload it would not post with 400 and its error (slack-limits.ts).
      const refused = channel === 'slack' ? slackRefusal(body) : undefined;
      const answer =
        step !== undefined
          ? { status: step, body: step < 300 ? 'ok' : 'error' }
          : special
            ? { status: special.status, body: '' }
            : refused
              ? { status: 400, body: refused }
              : normal(channel);
      log.push({
        channel,
        method: req.method ?? '',
        path,
        headers: req.headers,
        body,
        raw,
        at: shared.clock.ms(),
        status: answer.status,
      });
      if (scripted?.script.delayMs) await sleep(scripted.script.delayMs);
      if (res.destroyed) return;
      if (special?.kind === 'redirect') {
        res.writeHead(special.status, { location: special.location, 'content-type': 'text/plain' });
        res.end('moved');
        return;
      }
      if (special?.kind === 'stream') {
        res.writeHead(special.status, { 'content-type': 'text/plain' });
        streamBody(res, special.bytes, (bytes, closedEarly) => streams.push({ path, bytes, closedEarly }));
        return;
      }
      const retryAfter =
        scripted?.script.retryAfterSeconds !== undefined && (answer.status === 429 || answer.status === 503)
          ? { 'retry-after': String(scripted.script.retryAfterSeconds) }
          : {};
      res.writeHead(answer.status, { 'content-type': 'text/plain', ...retryAfter });
      res.end(answer.body);
    });
  });
  const { url: base } = await listenOnLoopback(server);
  return {
    baseUrl: base,
    url: (path) => `${base}${path.startsWith('/') ? '' : '/'}${path}`,
    script(path, script) {
      scripts.set(path, { script, next: 0 });
    },
    received: () => [...log],
    streamed: () => [...streams],
    close: () => closeServer(server),
  };
};
