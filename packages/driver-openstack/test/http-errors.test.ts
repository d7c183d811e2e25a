import { type BrokerError, isBrokerError } from '@hybrid-broker/core';
import { describe, expect, it } from 'vitest';
import { errorFromResponse } from '../src/common/openstack-errors.js';
import { fakeTarget } from './support/fake-target.js';
import { guardNetwork, recordingClock } from './support/nock-guard.js';

guardNetwork();

const failed = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  errorFromResponse({
    service: 'nova',
    method: 'GET',
    url: 'http://nova.fake:8774/v2.1/servers/1?secret=x',
    status,
    headers: new Headers({ 'x-openstack-request-id': 'req-1234', ...headers }),
    bodyText: typeof body === 'string' ? body : JSON.stringify(body),
    now: Date.parse('2026-01-01T00:00:00Z'),
  });

describe('errors are mapped from the services bodies and statuses', () => {
  it.each([
    [
      404,
      { itemNotFound: { code: 404, message: 'Instance 1 could not be found.' } },
      'not-found',
      'itemNotFound',
    ],
    [
      400,
      { badRequest: { code: 400, message: 'Invalid imageRef provided.' } },
      'invalid-request',
      'badRequest',
    ],
    [
      409,
      {
        conflictingRequest: {
          code: 409,
          message: "Cannot 'attach_volume' instance 1 while it is in vm_state building",
        },
      },
      'invalid-state',
      'conflictingRequest',
    ],
    [
      409,
      { conflictingRequest: { code: 409, message: 'Volume 1 is already attached' } },
      'conflict',
      'conflictingRequest',
    ],
    [
      403,
      { forbidden: { code: 403, message: 'Quota exceeded for instances: Requested 1, but already used 10' } },
      'quota-exceeded',
      'forbidden',
    ],
    [
      403,
      { forbidden: { code: 403, message: 'Policy does not allow os_compute_api:servers:create' } },
      'forbidden',
      'forbidden',
    ],
    [
      413,
      { overLimit: { code: 413, message: 'Maximum number of volumes allowed exceeded' } },
      'quota-exceeded',
      'overLimit',
    ],
    [
      429,
      { overLimit: { code: 429, message: 'This request was rate-limited.', retryAfter: '2' } },
      'throttled',
      'overLimit',
    ],
    [
      401,
      {
        error: {
          code: 401,
          message: 'The request you have made requires authentication.',
          title: 'Unauthorized',
        },
      },
      'auth-failed',
      'Unauthorized',
    ],
    [503, { computeFault: { code: 503, message: 'Service Unavailable' } }, 'unavailable', 'computeFault'],
    [
      500,
      { computeFault: { code: 500, message: 'Unexpected API Error.' } },
      'provider-error',
      'computeFault',
    ],
  ])('%i %j is %s', (status, body, code, providerCode) => {
    const error = failed(status, body);
    expect(error.code).toBe(code);
    expect(error.providerCode).toBe(providerCode);
    expect(error.requestId).toBe('req-1234');
    expect(error.statusCode).toBe(status);
    expect(error.message).toContain('req-1234');
    expect(error.message).not.toContain('secret=x');
  });

  it('reads Retry-After from the header, else from the overLimit body', () => {
    expect(failed(429, '', { 'retry-after': '3' }).retryAfterMs).toBe(3000);
    expect(
      failed(429, { overLimit: { code: 429, message: 'slow down', retryAfter: '2' } }).retryAfterMs,
    ).toBe(2000);
    expect(failed(429, '', { 'retry-after': '3' }).retryable).toBe(true);
  });

  it('an HTML error page or malformed JSON still gives a readable message', () => {
    const html = failed(
      502,
      '<html><head><title>502 Bad Gateway</title></head><body><h1>Bad</h1></body></html>',
    );
    expect(html.code).toBe('unavailable');
    expect(html.message).toContain('502 Bad Gateway');
    const broken = failed(500, '{"computeFault": {"code": 500,');
    expect(broken.code).toBe('provider-error');
    expect(broken.message).toMatch(/malformed JSON/);
  });

  it('a 200 whose body is not JSON is a retryable provider-error with the request id, never a result', async () => {
    const { driver, cloud, queue } = fakeTarget();
    const volume = cloud.addVolume();
    const bad = { key: 'GET /v3/{project}/volumes/{id}', status: 200, body: '{"volume": {"id": "cut' };
    for (let i = 0; i < 5; i++) queue.push(bad);
    const error = await driver.getVolume({ volumeId: volume.id }).catch((e: unknown) => e);
    expect(isBrokerError(error, 'provider-error')).toBe(true);
    expect((error as BrokerError).retryable).toBe(true);
    expect((error as BrokerError).message).toMatch(/not JSON/);
    expect((error as BrokerError).requestId).toMatch(/^req-/);
  });
});

describe('retries', () => {
  it('a 429 with Retry-After is waited out, then the call succeeds', async () => {
    const { clock, slept } = recordingClock();
    const { driver, cloud, queue, events } = fakeTarget({ services: { clock } });
    const volume = cloud.addVolume();
    queue.push({
      key: 'GET /v3/{project}/volumes/{id}',
      status: 429,
      body: { overLimit: { code: 429, message: 'This request was rate-limited.', retryAfter: '7' } },
      headers: { 'retry-after': '7' },
    });
    const read = await driver.getVolume({ volumeId: volume.id });
    expect(read.id).toBe(volume.id);
    expect(slept).toContain(7000);
    expect(cloud.count('GET /v3/{project}/volumes/{id}')).toBe(2);
    expect(events.ofType('retry')).toMatchObject([{ code: 'throttled', delayMs: 7000, attempt: 1 }]);
  });

  it('a 429 on a create without idempotency key is repeated (Nova did nothing), a 503 is not', async () => {
    const { clock } = recordingClock();
    const { driver, cloud, queue, fixtures } = fakeTarget({ services: { clock } });
    const request = { name: 'sg-1', image: fixtures.image, flavor: fixtures.flavor };
    queue.push({ key: 'POST /v2.1/servers', status: 429, body: '', headers: { 'retry-after': '1' } });
    await driver.createServer(request, { wait: false });
    expect(cloud.servers.size).toBe(1);
    expect(cloud.count('POST /v2.1/servers')).toBe(2);
    queue.push({
      key: 'POST /v2.1/servers',
      status: 503,
      body: { computeFault: { code: 503, message: 'down' } },
    });
    const error = await driver.createServer(request, { wait: false }).catch((e: unknown) => e);
    expect(isBrokerError(error, 'unavailable')).toBe(true);
    expect(cloud.count('POST /v2.1/servers')).toBe(3);
  });

  it('a create repeated after a 429 is not repeated again after a 503, and fails with the 503', async () => {
    const { clock } = recordingClock();
    const { driver, cloud, queue, fixtures } = fakeTarget({ services: { clock } });
    queue.push({ key: 'POST /v2.1/servers', status: 429, body: '', headers: { 'retry-after': '1' } });
    queue.push({
      key: 'POST /v2.1/servers',
      status: 503,
      body: { computeFault: { code: 503, message: 'down' } },
    });
    const error = await driver
      .createServer({ name: 'sg-2', image: fixtures.image, flavor: fixtures.flavor }, { wait: false })
      .catch((e: unknown) => e);
    expect(isBrokerError(error, 'unavailable')).toBe(true);
    expect(cloud.count('POST /v2.1/servers')).toBe(2);
    expect(cloud.servers.size).toBe(0);
  });

  it('a 503 on a read is retried with backoff', async () => {
    const { clock, slept } = recordingClock();
    const { driver, cloud, queue } = fakeTarget({ services: { clock } });
    const volume = cloud.addVolume();
    queue.push({ key: 'GET /v3/{project}/volumes/{id}', status: 503, body: '' });
    await driver.getVolume({ volumeId: volume.id });
    expect(cloud.count('GET /v3/{project}/volumes/{id}')).toBe(2);
    expect(slept).toHaveLength(1);
  });
});

describe('timeouts and aborts of one request', () => {
  const hanging = (input: string | URL | Request, init?: RequestInit): Promise<Response> =>
    String(input).includes('/volumes/')
      ? new Promise((_, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)))
      : globalThis.fetch(input, init);

  it('a request that never answers ends as unavailable after requestTimeoutMs', async () => {
    const { driver, cloud } = fakeTarget({
      config: { requestTimeoutMs: 50, retry: { maxAttempts: 1 } },
      services: { fetch: hanging },
    });
    const started = Date.now();
    const error = await driver.getVolume({ volumeId: cloud.addVolume().id }).catch((e: unknown) => e);
    expect(isBrokerError(error, 'unavailable')).toBe(true);
    expect((error as BrokerError).message).toMatch(/timed out after 50 ms/);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('aborting the caller signal ends a hanging request at once with aborted', async () => {
    const { driver, cloud } = fakeTarget({ services: { fetch: hanging } });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const error = await driver
      .getVolume({ volumeId: cloud.addVolume().id }, { signal: controller.signal })
      .catch((e: unknown) => e);
    expect(isBrokerError(error, 'aborted')).toBe(true);
  });
});
