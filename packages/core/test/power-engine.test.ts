import { describe, expect, it } from 'vitest';
import { DEFAULT_WAIT, type ResolvedCallOptions } from '../src/call-options.js';
import type { PlatformDriver } from '../src/driver.js';
import { wrapDriver } from '../src/driver-kit.js';
import { type PowerPrimitives, planPower, runPower } from '../src/engine/power-engine.js';
import { BrokerError } from '../src/errors.js';
import type { Server } from '../src/types.js';
import { type verdict, waitFor } from '../src/waiter.js';

function server(over: Partial<Server> = {}): Server {
  return {
    id: 's1',
    providerId: 's1',
    name: 's1',
    status: 'running',
    providerStatus: 'ACTIVE',
    addresses: [],
    metadata: {},
    powerState: 'running',
    providerPowerState: 'active',
    ...over,
  };
}

const fast: ResolvedCallOptions = {
  signal: undefined,
  wait: { ...DEFAULT_WAIT, timeoutMs: 60, initialDelayMs: 5, maxDelayMs: 10, jitter: 0 },
  idempotencyKey: undefined,
};
const noWait: ResolvedCallOptions = { ...fast, wait: false };

/** Primitives over a list of reads (the last repeats), counting the sends. */
function primitives(reads: Server[], refuse = 0): PowerPrimitives & { sent: number } {
  let at = 0;
  const read = async () => reads[Math.min(at++, reads.length - 1)] as Server;
  const p = {
    sent: 0,
    read,
    busy: (s: Server) => (s.providerPowerState === 'image_snapshot' ? 'image_snapshot' : undefined),
    send: async () => {
      p.sent++;
      if (p.sent <= refuse) throw new BrokerError('invalid-state', 'Cannot stop while it is in task_state');
    },
    isBusy: (error: unknown) => error instanceof BrokerError && error.code === 'invalid-state',
    wait: (description: string, check: (s: Server) => ReturnType<typeof verdict.failed>) =>
      waitFor({
        description,
        probe: read,
        check,
        stateOf: (s) => s.providerPowerState ?? s.providerStatus,
        options: fast.wait === false ? DEFAULT_WAIT : fast.wait,
      }),
  };
  return p;
}

describe('power engine', () => {
  it('decides on a read: done, join, settle or send', () => {
    expect(planPower('startServer', server(), undefined)).toBe('done');
    expect(planPower('stopServer', server({ powerState: 'stopping' }), 'powering-off')).toBe('join');
    expect(planPower('stopServer', server(), 'image_snapshot')).toBe('settle');
    expect(planPower('stopServer', server(), undefined)).toBe('send');
    expect(() => planPower('rebootServer', server({ powerState: 'stopped' }), undefined)).toThrow(/start it/);
  });

  it('waits a busy server out, then sends once it settled', async () => {
    const busy = server({ providerPowerState: 'image_snapshot' });
    const p = primitives([busy, busy, server(), server({ powerState: 'stopped', status: 'stopped' })]);
    const done = await runPower('stopServer', p, fast);
    expect(done.powerState).toBe('stopped');
    expect(p.sent).toBe(1);
  });

  it('a server still busy at the deadline is invalid-state with the last read', async () => {
    const p = primitives([server({ providerPowerState: 'image_snapshot' })]);
    const error = await runPower('stopServer', p, fast).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'invalid-state',
      lastState: { providerPowerState: 'image_snapshot' },
    });
    expect(p.sent).toBe(0);
  });

  it('a busy refusal of the send is waited out and decided again; wait false refuses at once', async () => {
    const p = primitives([server(), server(), server({ powerState: 'stopped', status: 'stopped' })], 1);
    expect((await runPower('stopServer', p, fast)).powerState).toBe('stopped');
    // the refused send, then one more once the server read settled
    expect(p.sent).toBe(2);
    const unwaited = primitives([server({ providerPowerState: 'image_snapshot' })]);
    await expect(runPower('stopServer', unwaited, noWait)).rejects.toMatchObject({ code: 'invalid-state' });
  });

  it('a driver without capability power is refused before anything is sent, naming the platform', async () => {
    let calls = 0;
    const plain: PlatformDriver = {
      kind: 'plain',
      capabilities: {},
      createServer: async () => server(),
      attachVolume: async () => Promise.reject(new Error('unused')),
      detachVolume: async () => Promise.reject(new Error('unused')),
      getServer: async () => server(),
      getVolume: async () => Promise.reject(new Error('unused')),
      deleteServer: async () => ({ serverId: 's1', deleted: true }),
      startServer: async () => {
        calls++;
        return server();
      },
    };
    const platform = wrapDriver(plain, { platform: 'lab', now: Date.now, secrets: [] });
    await expect(platform.startServer({ serverId: 's1' })).rejects.toMatchObject({
      code: 'invalid-request',
      field: 'platform',
    });
    await expect(platform.rebootServer({ serverId: '' })).rejects.toMatchObject({ field: 'serverId' });
    expect(calls).toBe(0);
  });
});
