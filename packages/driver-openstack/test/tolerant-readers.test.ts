import { describe, expect, it } from 'vitest';
import { fakeTarget } from './support/fake-target.js';
import { guardNetwork } from './support/nock-guard.js';

guardNetwork();

// `GET /servers/{id}` of a server in ERROR, shaped as the Compute API reference's
// server-get response (microversion 2.1), with the two oddities older or patched Novas send:
// `fault.code` as a string and a numeric `id`.
function erroredServer(id: unknown) {
  return {
    server: {
      'OS-DCF:diskConfig': 'AUTO',
      'OS-EXT-AZ:availability_zone': 'nova',
      'OS-EXT-STS:power_state': 0,
      'OS-EXT-STS:task_state': null,
      'OS-EXT-STS:vm_state': 'error',
      accessIPv4: '',
      accessIPv6: '',
      addresses: {},
      created: '2013-09-23T13:53:12Z',
      fault: {
        code: '500',
        created: '2013-09-23T13:53:13Z',
        message: 'No valid host was found. There are not enough hosts available.',
        details: 'Traceback (most recent call last): ...',
      },
      flavor: { id: '1', links: [] },
      hostId: '',
      id,
      image: { id: '70a599e0-31e7-49b7-b260-868f441e862b', links: [] },
      key_name: null,
      links: [],
      metadata: {},
      name: 'new-server-test',
      status: 'ERROR',
      tenant_id: '6f70656e737461636b20342065766572',
      updated: '2013-09-23T13:53:13Z',
      user_id: 'fake',
    },
  };
}

describe('tolerant readers: only the fields the driver uses are checked', () => {
  it('a server whose fault.code is a string reads as a server in error with its fault', async () => {
    const { driver, queue } = fakeTarget();
    const id = '9168b536-cd40-4630-b43f-b259807c6e87';
    queue.push({ key: 'GET /v2.1/servers/{id}', status: 200, body: erroredServer(id) });
    const server = await driver.getServer({ serverId: id });
    // Before: provider-error, because an unused field had an unexpected type.
    expect(server).toMatchObject({ id, status: 'error', fault: expect.stringMatching(/No valid host/) });
  });

  it('a numeric server id (older bodies) reads as its string', async () => {
    const { driver, queue } = fakeTarget();
    queue.push({ key: 'GET /v2.1/servers/4711', status: 200, body: erroredServer(4711) });
    expect((await driver.getServer({ serverId: '4711' })).id).toBe('4711');
  });
});

describe('rate limiting is throttled, not a quota', () => {
  it("Cinder's rate limiter (413, Retry-After, 'This request was rate-limited.') is throttled with its Retry-After", async () => {
    const { driver, queue } = fakeTarget({ config: { retry: { maxAttempts: 1 } } });
    // The body of Cinder's (and Nova's legacy) ratelimit middleware.
    const body = {
      overLimit: {
        code: 413,
        message: 'This request was rate-limited.',
        retryAfter: '2',
        details: 'Only 10 GET request(s) can be made to * every minute.',
      },
    };
    queue.push({ key: 'GET /v3/{project}/volumes/{id}', status: 413, body, headers: { 'retry-after': '2' } });
    const error = await driver
      .getVolume({ volumeId: 'a26887c6-c47b-4654-abb5-dfadf7d3f803' })
      .catch((e: unknown) => e);
    // Before: quota-exceeded, because the text contains "limit".
    expect(error).toMatchObject({ code: 'throttled', statusCode: 413, retryAfterMs: 2_000, retryable: true });
  });
});
