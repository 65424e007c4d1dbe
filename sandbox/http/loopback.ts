/** The loopback servers of the sandbox: stand-ins, the DynamoDB proxy and its backend, the webhook catcher. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Where a listening server answers. */
export interface LoopbackAddress {
  readonly port: number;
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
}

/** Listens on a free port of 127.0.0.1 (port 0: the OS picks one, so parallel sandboxes never collide). */
export const listenOnLoopback = async (server: Server): Promise<LoopbackAddress> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { port, url: `http://127.0.0.1:${port}` };
};

/** Closes a server, keep-alive connections included (close() alone waits for them to idle out). */
export const closeServer = (server: Server): Promise<void> =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
