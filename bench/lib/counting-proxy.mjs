// The one counting proxy every client of bench/real.mjs goes through: a loopback listener per
// service port of the stack, forwarding unchanged. Keystone's token and catalog bodies are
// rewritten so every catalog URL names the proxy, which is how each client (broker, raw loop,
// openstacksdk) is routed through it with nothing but the proxy's Keystone URL. The Host header
// is kept, so the services' version documents link back to the proxy too.
import http from 'node:http';

/**
 * Starts the proxy in front of `ports` (real port numbers on 127.0.0.1, the first one Keystone's).
 * Returns `urlOf(realUrl)` (the proxied URL), `reset()`, `count()` (requests since reset,
 * total and by `METHOD service`), and `close()`.
 */
export async function startCountingProxy(ports) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const map = new Map(); // real port -> proxy port
  let counts = {};
  const servers = [];
  const rewrite = (text) =>
    text.replace(/(127\.0\.0\.1|localhost):(\d+)/g, (m, _host, port) =>
      map.has(Number(port)) ? `127.0.0.1:${map.get(Number(port))}` : m,
    );
  for (const [service, realPort] of Object.entries(ports)) {
    const server = http.createServer((req, res) => {
      const key = `${req.method} ${service}`;
      counts[key] = (counts[key] ?? 0) + 1;
      const headers = { ...req.headers };
      if (service === 'identity') delete headers['accept-encoding'];
      const out = http.request(
        { host: '127.0.0.1', port: realPort, method: req.method, path: req.url, headers, agent },
        (up) => forward(service, up, res, rewrite),
      );
      out.on('error', (e) => {
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`proxy: ${e.message}`);
      });
      req.pipe(out);
    });
    server.keepAliveTimeout = 30_000;
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    map.set(realPort, server.address().port);
    servers.push(server);
  }
  return {
    urlOf: (url) => rewrite(url),
    reset: () => {
      counts = {};
    },
    count: () => ({ total: Object.values(counts).reduce((a, b) => a + b, 0), by: { ...counts } }),
    close: async () => {
      for (const s of servers) {
        s.closeAllConnections();
        await new Promise((resolve) => s.close(resolve));
      }
      agent.destroy();
    },
  };
}

/** Copies the answer back; Keystone's JSON bodies with the catalog's URLs rewritten. */
function forward(service, up, res, rewrite) {
  const json = /json/.test(up.headers['content-type'] ?? '');
  if (service !== 'identity' || !json) {
    res.writeHead(up.statusCode ?? 502, up.headers);
    up.pipe(res);
    return;
  }
  const chunks = [];
  up.on('data', (c) => chunks.push(c));
  up.on('end', () => {
    const body = Buffer.from(rewrite(Buffer.concat(chunks).toString('utf8')));
    const headers = { ...up.headers, 'content-length': String(body.length) };
    delete headers['transfer-encoding'];
    res.writeHead(up.statusCode ?? 502, headers);
    res.end(body);
  });
}
