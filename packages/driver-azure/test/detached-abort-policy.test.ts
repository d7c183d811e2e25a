import { describe, expect, it } from 'vitest';
import { detachedAbortPolicy } from '../src/detached-abort-policy.js';

type Policy = ReturnType<typeof detachedAbortPolicy>;
type Request = Parameters<Policy['sendRequest']>[0];

describe('detachedAbortPolicy', () => {
  it('releases the caller at once on abort, without handing the signal to the HTTP client', async () => {
    const controller = new AbortController();
    const request = { abortSignal: controller.signal } as unknown as Request;
    let seenSignal: unknown = 'unset';
    let finish!: () => void;
    const inFlight = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const next = async (r: Request) => {
      seenSignal = r.abortSignal;
      await inFlight;
      return { status: 200 } as never;
    };
    const call = detachedAbortPolicy().sendRequest(request, next);
    setTimeout(() => controller.abort(), 10);
    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
    expect(seenSignal).toBeUndefined();
    finish();
  });

  it('passes responses and errors through when nothing aborts', async () => {
    const controller = new AbortController();
    const ok = await detachedAbortPolicy().sendRequest(
      { abortSignal: controller.signal } as unknown as Request,
      async () => ({ status: 204 }) as never,
    );
    expect(ok).toEqual({ status: 204 });
    await expect(
      detachedAbortPolicy().sendRequest(
        { abortSignal: controller.signal } as unknown as Request,
        async () => {
          throw new Error('boom');
        },
      ),
    ).rejects.toThrow('boom');
  });
});
