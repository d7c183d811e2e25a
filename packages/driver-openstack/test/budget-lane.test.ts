import { RequestBudget, systemClock } from '@hybrid-broker/core/driver-kit';
import { describe, expect, it } from 'vitest';
import { budgetLane } from '../src/http/budget-lane.js';
import { OpenStackHttpClient } from '../src/http/http-client.js';

const NOVA = 'http://nova.fake:8774/v2.1/p1';
const CINDER = 'http://cinder.fake:8776/v3/p1';

describe('budgetLane', () => {
  it("names a request's service, reads or writes, and endpoint", () => {
    const get = { method: 'GET', service: 'nova', url: `${NOVA}/servers/1`, endpoint: NOVA } as const;
    expect(budgetLane(get)).toBe(`nova reads ${NOVA}`);
    expect(budgetLane({ ...get, method: 'HEAD' })).toBe(`nova reads ${NOVA}`);
    expect(budgetLane({ ...get, method: 'POST' })).toBe(`nova writes ${NOVA}`);
    expect(budgetLane({ ...get, method: 'DELETE' })).toBe(`nova writes ${NOVA}`);
    const { endpoint: _endpoint, ...bare } = get;
    expect(budgetLane(bare)).toBe('nova reads nova.fake:8774');
  });
});

describe('a 429 pauses the lane it came from', () => {
  it("a Nova write's Retry-After holds Nova's writes, not Cinder's reads nor Nova's reads", async () => {
    const budget = new RequestBudget({ requestsPerSecond: 100, burst: 100 }, systemClock);
    const fetch = async () =>
      new Response(JSON.stringify({ overLimit: { code: 429, message: 'This request was rate-limited.' } }), {
        status: 429,
        headers: { 'content-type': 'application/json', 'retry-after': '30' },
      });
    const http = new OpenStackHttpClient({
      fetch,
      clock: systemClock,
      requestTimeoutMs: 5_000,
      retry: { maxAttempts: 1 },
      budget,
    });
    const post = {
      method: 'POST',
      url: `${NOVA}/servers/1/os-volume_attachments`,
      service: 'nova',
      endpoint: NOVA,
      anonymous: true,
      body: {},
    } as const;
    const error = await http.send(post).catch((e: unknown) => e);
    expect((error as { code?: string }).code).toBe('throttled');
    const soon = Date.now() + 1_000;
    // Nova's writes wait out the 30 s: past a 1 s deadline, so refused at once as throttled.
    const writes = await budget.take(undefined, soon, budgetLane(post)).catch((e: unknown) => e);
    expect((writes as { code?: string }).code).toBe('throttled');
    // The reads of both services go on.
    const cinderRead = {
      method: 'GET',
      url: `${CINDER}/volumes/detail`,
      service: 'cinder',
      endpoint: CINDER,
    } as const;
    await expect(budget.take(undefined, soon, budgetLane(cinderRead))).resolves.toBeUndefined();
    await expect(
      budget.take(undefined, soon, budgetLane({ ...post, method: 'GET' })),
    ).resolves.toBeUndefined();
  });
});
