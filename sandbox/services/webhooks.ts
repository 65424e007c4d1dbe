import { createServer, type IncomingHttpHeaders } from 'node:http';
import { closeServer, listenOnLoopback } from '../http/loopback.js';
import type { SandboxServices } from '../http/stand-in.js';

/** The chat channel a webhook path stands for: its first segment (`/slack/...`, `/teams/...`). */
export type Channel = 'slack' | 'teams' | 'other';

/** How the webhook at one path answers, request after request. */
export interface WebhookScript {
  /** Statuses of the next requests, in order; once used up, the channel's normal answer. */
  readonly statuses?: readonly number[];
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

export interface RunningWebhooks {
  /** `http://127.0.0.1:<port>`. */
  readonly baseUrl: string;
  /** The full URL of a path on this server (what the webhook secret holds). */
  url(path: string): string;
  /** Scripts the answers of one path (replacing any script it had). */
  script(path: string, script: WebhookScript): void;
  /** Every request received, in arrival order. */
  received(): readonly ReceivedWebhook[];
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

/**
 * Starts a loopback server that captures Slack and Teams webhook POSTs. It signs nothing and checks no
 * credentials (webhook URLs are bearer secrets); each path answers per its script.
 */
export const startWebhooks = async (shared: SandboxServices): Promise<RunningWebhooks> => {
  const scripts = new Map<string, { script: WebhookScript; next: number }>();
  const log: ReceivedWebhook[] = [];
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
      const answer = step === undefined ? normal(channel) : { status: step, body: step < 300 ? 'ok' : 'error' };
      let body: unknown = raw;
      try {
        body = JSON.parse(raw);
      } catch {
        // not JSON: kept as text
      }
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
    close: () => closeServer(server),
  };
};
