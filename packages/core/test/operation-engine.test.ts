import { describe, expect, it } from 'vitest';
import { checkAttachable, MAX_SETTLE_ROUNDS, planDetach } from '../src/attach-rules.js';
import { startCallDeadline } from '../src/call-deadline.js';
import type { ResolvedCallOptions } from '../src/call-options.js';
import { DEFAULT_WAIT } from '../src/call-options.js';
import { type AttachPrimitives, runAttach } from '../src/engine/attach-engine.js';
import { type DetachPrimitives, runDetach } from '../src/engine/detach-engine.js';
import { BrokerError } from '../src/errors.js';
import type { Server, Volume, VolumeAttachment } from '../src/types.js';

const server: Server = {
  id: 's1',
  providerId: 's1',
  name: 's1',
  status: 'running',
  providerStatus: 'ACTIVE',
  addresses: [],
  metadata: {},
};

function volume(over: Partial<Volume> = {}): Volume {
  return {
    id: 'v1',
    providerId: 'v1',
    status: 'available',
    providerStatus: 'available',
    sizeGiB: 1,
    multiAttach: false,
    attachments: [],
    ...over,
  };
}

const on = (state: VolumeAttachment['state'], serverId = 's1'): VolumeAttachment => ({
  serverId,
  volumeId: 'v1',
  state,
});

const waiting: ResolvedCallOptions = { signal: undefined, wait: DEFAULT_WAIT, idempotencyKey: undefined };
const noWait: ResolvedCallOptions = { ...waiting, wait: false };

/** A fake cloud for the attach engine: each read answers the next of `reads`, counting every call. */
function attachFake(reads: Volume[], send: () => Promise<VolumeAttachment>) {
  const calls: string[] = [];
  let next = 0;
  const current = () => reads[Math.min(next, reads.length - 1)] ?? volume();
  const p: AttachPrimitives = {
    read: async () => {
      calls.push('read');
      const v = current();
      next++;
      return { server, volume: v, raw: undefined };
    },
    plan: ({ server: s, volume: v }) => checkAttachable(s, v),
    send: async () => {
      calls.push('send');
      return send();
    },
    isRefusal: (error) => error instanceof BrokerError && error.code === 'invalid-state',
    reread: async () => {
      calls.push('reread');
      const v = current();
      next++;
      return v;
    },
    waitAttached: async (pending, justSent) => {
      calls.push(justSent ? 'wait-ours' : 'wait-theirs');
      return { ...pending, state: 'attached' };
    },
    settle: async () => {
      calls.push('settle');
    },
  };
  return { p, calls };
}

describe('runAttach', () => {
  it('sends once, releases the server after the send, and waits for the attach', async () => {
    const { p, calls } = attachFake([volume()], async () => on('attaching'));
    const released: string[] = [];
    const result = await runAttach(p, waiting, () => released.push(calls.at(-1) ?? ''));
    expect(calls).toEqual(['read', 'send', 'wait-ours']);
    expect(released).toEqual(['send']);
    expect(result).toEqual(on('attached'));
  });

  it('answers alreadyAttached without a send when the volume is attached there', async () => {
    const { p, calls } = attachFake([volume({ status: 'in-use', attachments: [on('attached')] })], async () =>
      on('attaching'),
    );
    const result = await runAttach(p, waiting, () => {});
    expect(calls).toEqual(['read']);
    expect(result.alreadyAttached).toBe(true);
  });

  it('after a refusal, reads again and waits for the attach the race winner sent here', async () => {
    const refused = new BrokerError('invalid-state', 'volume status must be available');
    const fresh = volume({ status: 'attaching', attachments: [on('attaching')] });
    const { p, calls } = attachFake([volume(), fresh], () => Promise.reject(refused));
    const result = await runAttach(p, waiting, () => {});
    expect(calls).toEqual(['read', 'send', 'reread', 'wait-theirs']);
    expect(result.alreadyAttached).toBe(true);
  });

  it('after a refusal, names the holder when another server won the race', async () => {
    const refused = new BrokerError('invalid-state', 'volume status must be available');
    const fresh = volume({ status: 'in-use', attachments: [on('attached', 's2')] });
    const { p } = attachFake([volume(), fresh], () => Promise.reject(refused));
    await expect(runAttach(p, waiting, () => {})).rejects.toMatchObject({ code: 'conflict', heldBy: 's2' });
  });

  it("rethrows the cloud's refusal when a fresh read does not explain it", async () => {
    const refused = new BrokerError('invalid-state', 'something else');
    const { p } = attachFake([volume(), volume()], () => Promise.reject(refused));
    await expect(runAttach(p, waiting, () => {})).rejects.toBe(refused);
  });

  it('settles at most MAX_SETTLE_ROUNDS times, then fails with invalid-state', async () => {
    const { p, calls } = attachFake([volume({ status: 'detaching' })], async () => on('attaching'));
    await expect(runAttach(p, waiting, () => {})).rejects.toMatchObject({ code: 'invalid-state' });
    expect(calls.filter((c) => c === 'settle')).toHaveLength(MAX_SETTLE_ROUNDS);
    expect(calls.filter((c) => c === 'read')).toHaveLength(MAX_SETTLE_ROUNDS + 1);
  });

  it('with wait: false, neither settles nor waits', async () => {
    const settling = attachFake([volume({ status: 'detaching' })], async () => on('attaching'));
    await expect(runAttach(settling.p, noWait, () => {})).rejects.toMatchObject({ code: 'invalid-state' });
    expect(settling.calls).toEqual(['read']);
    const sending = attachFake([volume()], async () => on('attaching'));
    expect(await runAttach(sending.p, noWait, () => {})).toEqual(on('attaching'));
    expect(sending.calls).toEqual(['read', 'send']);
  });
});

/** A fake cloud for the detach engine over core's Volume. */
function detachFake(reads: Volume[]) {
  const calls: string[] = [];
  let next = 0;
  const take = () => reads[Math.min(next++, reads.length - 1)] ?? volume();
  const p: DetachPrimitives<Volume> = {
    read: async () => {
      calls.push('read');
      return take();
    },
    view: (v) => v,
    plan: (v) => planDetach('s1', v),
    settle: async () => {
      calls.push('settle');
      return take();
    },
    send: async () => {
      calls.push('send');
      return undefined;
    },
    unwaited: async () => {
      calls.push('unwaited');
      return volume({ status: 'detaching' });
    },
    waitDetached: async () => {
      calls.push('wait');
      return volume();
    },
  };
  return { p, calls };
}

describe('runDetach', () => {
  it('sends once, releases the server, and waits until the detach holds', async () => {
    const { p, calls } = detachFake([volume({ status: 'in-use', attachments: [on('attached')] })]);
    let released = 0;
    const result = await runDetach(p, waiting, () => released++);
    expect(calls).toEqual(['read', 'send', 'wait']);
    expect(released).toBe(1);
    expect(result).toEqual({ volume: volume(), detached: true });
  });

  it('converges: detached: false without a send when nothing is attached there', async () => {
    const { p, calls } = detachFake([volume()]);
    expect(await runDetach(p, waiting, () => {})).toEqual({ volume: volume(), detached: false });
    expect(calls).toEqual(['read']);
  });

  it('lets an attach in flight land, then detaches it', async () => {
    const attaching = volume({ status: 'attaching', attachments: [on('attaching')] });
    const { p, calls } = detachFake([attaching, volume({ status: 'in-use', attachments: [on('attached')] })]);
    await runDetach(p, waiting, () => {});
    expect(calls).toEqual(['read', 'settle', 'send', 'wait']);
  });

  it('settles at most MAX_SETTLE_ROUNDS times, and not at all with wait: false', async () => {
    const attaching = volume({ status: 'attaching', attachments: [on('attaching')] });
    const bounded = detachFake([attaching]);
    await expect(runDetach(bounded.p, waiting, () => {})).rejects.toMatchObject({ code: 'invalid-state' });
    expect(bounded.calls.filter((c) => c === 'settle')).toHaveLength(MAX_SETTLE_ROUNDS);
    const unwaited = detachFake([attaching]);
    await expect(runDetach(unwaited.p, noWait, () => {})).rejects.toMatchObject({ code: 'invalid-state' });
    expect(unwaited.calls).toEqual(['read']);
  });

  it("with wait: false, answers the cloud's view after the send", async () => {
    const { p, calls } = detachFake([volume({ status: 'in-use', attachments: [on('attached')] })]);
    const result = await runDetach(p, noWait, () => {});
    expect(calls).toEqual(['read', 'send', 'unwaited']);
    expect(result).toEqual({ volume: volume({ status: 'detaching' }), detached: true });
  });

  it('answers detached: false when the send finds the attachment gone meanwhile', async () => {
    const { p } = detachFake([volume({ status: 'in-use', attachments: [on('attached')] })]);
    let released = 0;
    const gone = volume();
    const result = await runDetach({ ...p, send: async () => gone }, waiting, () => released++);
    expect(result).toEqual({ volume: gone, detached: false });
    expect(released).toBe(0);
  });

  it('a deadline that ends the call before any poll carries what the first read found', async () => {
    const held = volume({ status: 'in-use', attachments: [on('attached')] });
    const { p } = detachFake([held]);
    const deadline = startCallDeadline(undefined, 20, 'detachVolume');
    // The send never answers: only the deadline can end the call, and no wait has polled yet.
    const hanging = (): Promise<undefined> =>
      new Promise((_, reject) => {
        deadline.signal.addEventListener('abort', () => reject(deadline.signal.reason), { once: true });
      });
    try {
      const call = { ...waiting, signal: deadline.signal };
      const error = await runDetach({ ...p, send: hanging }, call, () => {}).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'timeout', lastState: held });
    } finally {
      deadline.done();
    }
  });
});
