import type { IncomingMessage } from 'node:http';
import { isBrokerError } from '@hybrid-broker/core';
import { systemClock } from '@hybrid-broker/core/driver-kit';
import { describe, expect, it } from 'vitest';
import { OpenStackHttpClient } from '../src/http/http-client.js';
import { type ExchangeFn, RAW_EXCHANGE } from '../src/http/http-exchange.js';
import { fakeTarget } from './support/fake-target.js';
import { closedAfterEach } from './support/loopback-server.js';
import { guardNetwork } from './support/nock-guard.js';

guardNetwork();

const { transport, server } = closedAfterEach();
const readBody = async (req: IncomingMessage) => {
  let body = '';
  for await (const chunk of req) body += chunk;
  return body;
};

describe('node-http transport', () => {
  it('works as fetch: JSON body out with its length, status, headers and body back; 204 has an empty body', async () => {
    const seen: { body: string; length: string | undefined; type: string | undefined }[] = [];
    const s = await server(async (req, res, n) => {
      seen.push({
        body: await readBody(req),
        length: req.headers['content-length'],
        type: req.headers['content-type'],
      });
      if (n === 1) res.writeHead(202, { 'x-openstack-request-id': 'req-1' }).end('{"ok":true}');
      else res.writeHead(204).end();
    });
    const { fetch } = transport();
    const response = await fetch(`${s.url}/servers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"server":{}}',
    });
    expect(response.status).toBe(202);
    expect(response.headers.get('x-openstack-request-id')).toBe('req-1');
    expect(await response.json()).toEqual({ ok: true });
    expect(seen[0]).toEqual({ body: '{"server":{}}', length: '13', type: 'application/json' });
    const empty = await fetch(`${s.url}/servers/1`, { method: 'DELETE' });
    expect([empty.status, await empty.text()]).toEqual([204, '']);
  });

  it('an abort ends a hanging request at once with the signal reason and closes its socket', async () => {
    const s = await server(() => undefined);
    const { exchange } = transport();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const started = Date.now();
    const error = await exchange({
      method: 'GET',
      url: `${s.url}/hang`,
      headers: {},
      signal: controller.signal,
    }).catch((e: unknown) => e);
    expect(error).toBe(controller.signal.reason);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('a signal aborted before the call sends nothing', async () => {
    const s = await server((_req, res) => res.end('{}'));
    const { exchange } = transport();
    const error = await exchange({
      method: 'GET',
      url: `${s.url}/v`,
      headers: {},
      signal: AbortSignal.abort(),
    }).catch((e: unknown) => e);
    expect((error as Error).name).toBe('AbortError');
    expect(s.requests()).toBe(0);
  });

  it('a response cut mid-body is a failure, not a short body', async () => {
    const s = await server((req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('{"volume":');
      setTimeout(() => req.socket.destroy(), 5);
    });
    const { exchange } = transport();
    await expect(exchange({ method: 'GET', url: `${s.url}/v`, headers: {} })).rejects.toThrow();
  });

  it('reads one header without building the Headers object, and all of them on demand', async () => {
    const s = await server((_req, res) => res.writeHead(200, { 'X-Compute-Request-Id': 'req-9' }).end('{}'));
    const response = await transport().exchange({ method: 'GET', url: `${s.url}/v`, headers: {} });
    expect(response.header('x-compute-request-id')).toBe('req-9');
    expect(response.header('retry-after')).toBeNull();
    expect(response.headers.get('x-compute-request-id')).toBe('req-9');
  });
});

describe('the driver on the node-http transport', () => {
  it('with transport "node-http" sends through node:http, never through the fetch service', async () => {
    let fetchCalls = 0;
    const { driver, cloud } = fakeTarget({
      config: { transport: 'node-http' },
      services: {
        fetch: () => {
          fetchCalls++;
          return Promise.reject(new Error('the fetch service must not be used'));
        },
      },
    });
    const volume = await driver.getVolume({ volumeId: cloud.addVolume().id });
    expect(volume.providerStatus).toBe('available');
    expect(fetchCalls).toBe(0);
  });

  it('the HTTP client sends through a fetch function’s raw exchange when it has one', async () => {
    const sent: string[] = [];
    const exchange: ExchangeFn = async (request) => {
      sent.push(`${request.method} ${request.url} ${request.body ?? ''}`);
      const headers = new Headers({ 'x-openstack-request-id': 'req-raw' });
      return { status: 200, headers, text: '{"ok":1}', header: (name) => headers.get(name) };
    };
    const fetchFn = Object.assign(() => Promise.reject(new Error('plain fetch used')), {
      [RAW_EXCHANGE]: exchange,
    });
    const client = new OpenStackHttpClient({ fetch: fetchFn, clock: systemClock, requestTimeoutMs: 1_000 });
    const response = await client.send({
      method: 'POST',
      url: 'http://nova.fake/servers',
      service: 'nova',
      body: { a: 1 },
      anonymous: true,
    });
    expect(response).toMatchObject({ status: 200, body: { ok: 1 }, requestId: 'req-raw' });
    expect(sent).toEqual(['POST http://nova.fake/servers {"a":1}']);
  });

  it('a request over node:http that never answers ends as unavailable after requestTimeoutMs', async () => {
    const s = await server(() => undefined);
    const t = transport();
    const client = new OpenStackHttpClient({
      fetch: t.fetch,
      clock: systemClock,
      requestTimeoutMs: 50,
      retry: { maxAttempts: 1 },
    });
    const started = Date.now();
    const error = await client
      .send({ method: 'GET', url: `${s.url}/volumes/1`, service: 'cinder', anonymous: true })
      .catch((e: unknown) => e);
    expect(isBrokerError(error, 'unavailable')).toBe(true);
    expect((error as Error).message).toMatch(/timed out after 50 ms/);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
