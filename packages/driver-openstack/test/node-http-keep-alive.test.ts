import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedAfterEach } from './support/loopback-server.js';

// Connection reuse is what these tests are about, and nock's interception gives every request a
// fresh mock socket: nock is switched off for this file. Every URL is a 127.0.0.1 server of the test.
beforeAll(() => {
  nock.restore();
});
afterAll(() => {
  nock.activate();
});

const { transport, server } = closedAfterEach();

describe('node-http transport connections (no nock)', () => {
  it('keeps one connection alive across sequential requests', async () => {
    const s = await server((_req, res) => res.end('{}'));
    const { exchange } = transport();
    for (let i = 0; i < 5; i++) await exchange({ method: 'GET', url: `${s.url}/v`, headers: {} });
    expect(s.requests()).toBe(5);
    expect(s.connections()).toBe(1);
  });

  it('a GET on a keep-alive socket the server dropped is sent once more; a POST is not repeated', async () => {
    // Request 2 finds its reused socket cut without an answer, as when a server closes an idle connection.
    const s = await server((req, res, n) => (n === 2 ? req.socket.destroy() : res.end(`{"n":${n}}`)));
    const { exchange } = transport();
    await exchange({ method: 'GET', url: `${s.url}/a`, headers: {} });
    const again = await exchange({ method: 'GET', url: `${s.url}/a`, headers: {} });
    expect(JSON.parse(again.text)).toEqual({ n: 3 });

    const p = await server((req, res, n) => (n === 2 ? req.socket.destroy() : res.end('{}')));
    await exchange({ method: 'POST', url: `${p.url}/servers`, headers: {}, body: '{}' });
    const error = await exchange({ method: 'POST', url: `${p.url}/servers`, headers: {}, body: '{}' }).catch(
      (e: unknown) => e,
    );
    expect((error as NodeJS.ErrnoException).code).toBe('ECONNRESET');
    expect(p.requests()).toBe(2);
  });
});
