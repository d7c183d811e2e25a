import { describe, expect, it } from 'vitest';
import { loopbackBearerPolicy } from '../src/pipeline-policies.js';

type Policy = ReturnType<typeof loopbackBearerPolicy>;
type Request = Parameters<Policy['sendRequest']>[0];

function fakeRequest(url: string): Request & { auth: () => string | undefined } {
  const headers = new Map<string, string>();
  return {
    url,
    abortSignal: undefined,
    headers: { set: (k: string, v: string) => headers.set(k, v) },
    auth: () => headers.get('authorization'),
  } as unknown as Request & { auth: () => string | undefined };
}

describe('loopbackBearerPolicy', () => {
  it('asks the credential once for many concurrent first requests, and reuses the token', async () => {
    let calls = 0;
    const credential = {
      getToken: async () => {
        calls++;
        await new Promise((r) => setTimeout(r, 10));
        return { token: `t${calls}`, expiresOnTimestamp: Date.now() + 3_600_000 };
      },
    };
    const policy = loopbackBearerPolicy(credential, ['https://management.azure.com/.default']);
    const requests = Array.from({ length: 50 }, () => fakeRequest('http://127.0.0.1:1234/subscriptions/x'));
    const next = async () => ({ status: 200 }) as never;
    await Promise.all(requests.map((r) => policy.sendRequest(r, next)));
    await policy.sendRequest(fakeRequest('http://127.0.0.1:1234/subscriptions/y'), next);
    expect(calls).toBe(1);
    expect(new Set(requests.map((r) => r.auth()))).toEqual(new Set(['Bearer t1']));
  });

  it('refuses to send a bearer token over plain http to a host that is not loopback', async () => {
    const credential = { getToken: async () => ({ token: 't', expiresOnTimestamp: Date.now() + 3_600_000 }) };
    const policy = loopbackBearerPolicy(credential, []);
    await expect(
      policy.sendRequest(fakeRequest('http://example.com/x'), async () => ({}) as never),
    ).rejects.toThrow(/loopback/);
  });
});
