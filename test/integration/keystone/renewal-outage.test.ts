// A Keystone outage inside a token's renewal window, against a REAL Keystone: the token
// requests go through a loopback proxy we can take down, the calls go straight to Keystone
// (which checks the cached token on every one of them). No call may fail while the token is
// valid, and the renewals keep to one shared backoff.
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MemoryEventSink } from '@hybrid-broker/core';
import { systemClock } from '@hybrid-broker/core/driver-kit';
import { keystoneAuthConfigSchema } from '@hybrid-broker/driver-openstack';
import {
  createHttpClient,
  KeystoneAuth,
  type OpenStackRuntime,
} from '@hybrid-broker/driver-openstack/layers';
import { afterEach, describe, expect, inject, it } from 'vitest';
import type { KeystoneInfo } from './keystone-harness.js';

const ks: KeystoneInfo = inject('keystone');

/** A proxy to Keystone that answers nothing while `down` (requests hang until it comes back up). */
async function keystoneProxy() {
  const target = new URL(ks.url);
  const state = { down: false, seen: 0, held: [] as (() => void)[] };
  const server: Server = createServer((req, res) => {
    state.seen++;
    const forward = () => {
      const out = request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      out.on('error', () => res.destroy());
      req.pipe(out);
    };
    if (state.down) state.held.push(() => res.destroy());
    else forward();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/v3`,
    state,
    async close() {
      for (const drop of state.held.splice(0)) drop();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

let proxy: Awaited<ReturnType<typeof keystoneProxy>> | undefined;
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
});

describe('Keystone renewal against a real Keystone', () => {
  it('Keystone unreachable inside the renewal window: every call goes on with the valid token', async () => {
    proxy = await keystoneProxy();
    const events = new MemoryEventSink();
    // Our clock is moved forward after the token is issued, to reach its renewal window
    // without waiting an hour; Keystone itself still judges the token by the real time.
    const clock = { ahead: 0, ...systemClock, now: () => Date.now() + clock.ahead };
    const runtime: OpenStackRuntime = {
      fetch: globalThis.fetch,
      clock,
      emit: (e) => events.emit({ ...e, time: Date.now() } as never),
      requestTimeoutMs: 1_000,
      retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 50 },
    };
    const auth = new KeystoneAuth({
      config: keystoneAuthConfigSchema.parse({
        method: 'password',
        url: proxy.url,
        userId: ks.seed.user.id,
        password: ks.seed.user.password,
        projectId: ks.seed.project.id,
      }),
      http: createHttpClient(runtime),
      clock,
      emit: runtime.emit,
    });
    const http = createHttpClient(runtime, auth);
    const call = () => http.send({ method: 'GET', url: `${ks.url}/auth/projects`, service: 'keystone' });
    expect((await call()).status).toBe(200);
    const first = auth.cached;
    const life = (first?.expiresAt ?? 0) - Date.now();
    proxy.state.down = true;
    proxy.state.seen = 0;
    clock.ahead = life - 90_000; // 90 s before expiry: inside the default 2-minute renewal window
    let ok = 0;
    const failed: string[] = [];
    const until = Date.now() + 4_000;
    while (Date.now() < until) {
      const results = await Promise.allSettled(Array.from({ length: 5 }, call));
      for (const r of results) {
        if (r.status === 'fulfilled') ok++;
        else failed.push(String(r.reason));
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const renewalRequests = proxy.state.seen;
    console.info('real keystone outage:', { ok, failed: failed.length, renewalRequests });
    expect(failed).toEqual([]);
    expect(ok).toBeGreaterThan(20);
    expect(auth.cached).toBe(first);
    // One shared backoff (1 s, 2 s, ...) over 4 s: a few attempts, each up to 3 requests.
    expect(renewalRequests).toBeLessThanOrEqual(9);
    // Keystone back: the next renewal (once the backoff allows) replaces the token.
    proxy.state.down = false;
    for (const drop of proxy.state.held.splice(0)) drop();
    clock.ahead = life - 60_000;
    await new Promise((resolve) => setTimeout(resolve, 4_500));
    await call();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(auth.cached).not.toBe(first);
    expect(events.ofType('reauth').filter((e) => e.reason === 'expiring').length).toBeGreaterThan(0);
  }, 40_000);
});
