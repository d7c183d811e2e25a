import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';
import { createNodeHttpTransport, type NodeHttpTransport } from '../../src/http/node-http-transport.js';

/** Answers request number `n` (from 1) of a loopback server. */
export type LoopbackHandler = (req: IncomingMessage, res: ServerResponse, n: number) => void;

/** A server on 127.0.0.1 only, counting requests and TCP connections. */
export interface LoopbackServer {
  readonly url: string;
  requests(): number;
  connections(): number;
  close(): void;
}

/** Starts a keep-alive HTTP server on 127.0.0.1 with `handler`. */
export async function serveLoopback(handler: LoopbackHandler): Promise<LoopbackServer> {
  let requests = 0;
  let connections = 0;
  const server: Server = createServer({ keepAlive: true }, (req, res) => handler(req, res, ++requests));
  server.on('connection', () => connections++);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => requests,
    connections: () => connections,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

/** Transports and loopback servers for the tests of one file, each closed after its test. */
export function closedAfterEach(): {
  transport(): NodeHttpTransport;
  server(handler: LoopbackHandler): Promise<LoopbackServer>;
} {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  });
  return {
    transport() {
      const t = createNodeHttpTransport();
      cleanups.push(() => t.close());
      return t;
    },
    async server(handler) {
      const s = await serveLoopback(handler);
      cleanups.push(s.close);
      return s;
    },
  };
}
