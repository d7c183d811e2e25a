import { describe, expect, it } from 'vitest';
import { KeyedMutex, serverRelease, wrapDriver } from '../src/driver-kit.js';
import type { AttachVolumeRequest, CallOptions, PlatformDriver, VolumeAttachment } from '../src/index.js';
import { flush } from './support/manual-clock.js';

/** A promise the test settles by hand. */
function gate(): { promise: Promise<void>; open: () => void; fail: (error: Error) => void } {
  let open!: () => void;
  let fail!: (error: Error) => void;
  const promise = new Promise<void>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { promise, open, fail };
}

/**
 * A driver whose attach sends (until the test opens `sent`), then waits (until `landed`).
 * With `releases`, it tells core its send is done between the two, as driver-openstack does.
 */
function stepDriver(releases: boolean) {
  const log: string[] = [];
  const steps = new Map<string, { sent: ReturnType<typeof gate>; landed: ReturnType<typeof gate> }>();
  const unused = () => Promise.reject(new Error('unused'));
  const driver: PlatformDriver = {
    kind: 'steps',
    capabilities: {},
    async attachVolume(request: AttachVolumeRequest, options?: CallOptions): Promise<VolumeAttachment> {
      const step = { sent: gate(), landed: gate() };
      steps.set(request.volumeId, step);
      log.push(`send ${request.volumeId}`);
      await step.sent.promise;
      if (releases) {
        const sent = serverRelease(options);
        sent();
        sent(); // idempotent: a second call must not let a third attach in early
      }
      log.push(`wait ${request.volumeId}`);
      await step.landed.promise;
      return { serverId: request.serverId, volumeId: request.volumeId, state: 'attached' };
    },
    createServer: unused,
    detachVolume: unused,
    getServer: unused,
    getVolume: unused,
    deleteServer: unused,
  };
  const platform = wrapDriver(driver, { platform: 'p', now: Date.now, secrets: [] });
  const step = (volumeId: string) => {
    const found = steps.get(volumeId);
    if (!found) throw new Error(`attach of ${volumeId} has not started`);
    return found;
  };
  return { platform, log, step };
}

describe('the per-server attach lock', () => {
  it("starts a second attach to one server after the first's send, not after its wait", async () => {
    const { platform, log, step } = stepDriver(true);
    const attaches = ['v1', 'v2', 'v3'].map((volumeId) => platform.attachVolume({ serverId: 's', volumeId }));
    await flush();
    expect(log).toEqual(['send v1']);
    step('v1').sent.open();
    await flush();
    // v1 is still waiting; v2 sends, and v3 stays behind v2's send despite v1's second release.
    expect(log).toEqual(['send v1', 'wait v1', 'send v2']);
    step('v2').sent.open();
    await flush();
    expect(log).toEqual(['send v1', 'wait v1', 'send v2', 'wait v2', 'send v3']);
    step('v3').sent.open();
    for (const volumeId of ['v1', 'v2', 'v3']) step(volumeId).landed.open();
    await expect(Promise.all(attaches)).resolves.toHaveLength(3);
  });

  it('keeps the whole-call lock for a driver that never releases it', async () => {
    const { platform, log, step } = stepDriver(false);
    const attaches = ['v1', 'v2'].map((volumeId) => platform.attachVolume({ serverId: 's', volumeId }));
    await flush();
    step('v1').sent.open();
    await flush();
    expect(log).toEqual(['send v1', 'wait v1']);
    step('v1').landed.open();
    await flush();
    expect(log).toContain('send v2');
    step('v2').sent.open();
    step('v2').landed.open();
    await expect(Promise.all(attaches)).resolves.toHaveLength(2);
  });

  it('lets the next attach go when a send fails before the driver released the lock', async () => {
    const { platform, log, step } = stepDriver(true);
    const first = platform.attachVolume({ serverId: 's', volumeId: 'v1' });
    const second = platform.attachVolume({ serverId: 's', volumeId: 'v2' });
    await flush();
    step('v1').sent.fail(new Error('refused'));
    await expect(first).rejects.toThrow('refused');
    await flush();
    expect(log).toContain('send v2');
    step('v2').sent.open();
    step('v2').landed.open();
    await expect(second).resolves.toMatchObject({ volumeId: 'v2' });
  });

  it('runs attaches to other servers in parallel', async () => {
    const { platform, log, step } = stepDriver(false);
    const attaches = [
      platform.attachVolume({ serverId: 's1', volumeId: 'v1' }),
      platform.attachVolume({ serverId: 's2', volumeId: 'v2' }),
    ];
    await flush();
    expect(log).toEqual(['send v1', 'send v2']);
    for (const volumeId of ['v1', 'v2']) {
      step(volumeId).sent.open();
      step(volumeId).landed.open();
    }
    await expect(Promise.all(attaches)).resolves.toHaveLength(2);
  });
});

describe('KeyedMutex.acquire', () => {
  it('hands the key on at the release, once, and forgets a drained key', async () => {
    const mutex = new KeyedMutex();
    const first = await mutex.acquire('s');
    let second: (() => void) | undefined;
    const waiting = mutex.acquire('s').then((release) => {
      second = release;
    });
    await flush();
    expect(second).toBeUndefined();
    first();
    await waiting;
    first(); // a late second release of the first holder leaves the second holding the key
    let third = false;
    const queued = mutex.run('s', async () => {
      third = true;
    });
    await flush();
    expect(third).toBe(false);
    second?.();
    await queued;
    expect(third).toBe(true);
    expect(mutex.size).toBe(0);
  });
});
