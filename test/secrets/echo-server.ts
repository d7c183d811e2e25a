import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback "Keystone" (or a proxy in front of one) that echoes the whole
 * request, headers and body, in a Keystone-format 400 error: the way a
 * misbehaving server or proxy puts the password it was sent into the error
 * the broker reports.
 */
export async function startEchoServer(): Promise<{
  url: string;
  requests: () => number;
  stop(): Promise<void>;
}> {
  let requests = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests++;
      const echo = `${req.method} ${req.url} body=${Buffer.concat(chunks).toString('utf8')} headers=${JSON.stringify(req.headers)}`;
      const body = JSON.stringify({
        error: { code: 400, title: 'Bad Request', message: `Malformed request: ${echo}` },
      });
      res.writeHead(400, { 'content-type': 'application/json', 'x-openstack-request-id': 'req-echo' });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v3`,
    requests: () => requests,
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
