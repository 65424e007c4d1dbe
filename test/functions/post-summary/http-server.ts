import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the local server received. */
export interface Received {
  readonly path: string;
  readonly contentType: string | undefined;
  readonly body: string;
  readonly at: number;
}

/** Answers the n-th request (1-based) to a path. */
export type Route = (res: ServerResponse, n: number, req: IncomingMessage) => void;

/**
 * A real HTTP server on 127.0.0.1 (an ephemeral port) for webhook tests: each path answers with its
 * route; every request is recorded with its body.
 */
export const startWebhookServer = async (routes: Record<string, Route>) => {
  const received: Received[] = [];
  const counts = new Map<string, number>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      received.push({
        path,
        contentType: req.headers['content-type'],
        body: Buffer.concat(chunks).toString(),
        at: Date.now(),
      });
      const n = (counts.get(path) ?? 0) + 1;
      counts.set(path, n);
      const route = routes[path];
      if (route) route(res, n, req);
      else res.writeHead(404).end('no_service');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    received,
    hits: (path: string) => received.filter((r) => r.path === path),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
