import {
  type AttachPlan,
  afterRefusal,
  MAX_SETTLE_ROUNDS,
  neverSettled,
  type SameServer,
} from '../attach-rules.js';
import { noteState } from '../call-deadline.js';
import type { ResolvedCallOptions } from '../call-options.js';
import type { Server, Volume, VolumeAttachment } from '../types.js';

/**
 * Both sides of an attach as one read found them. `raw` carries what else the
 * driver's send needs from that read (EC2's instance, for the devices in use).
 */
export interface AttachSides<R = undefined> {
  readonly server: Server;
  readonly volume: Volume;
  readonly raw: R;
}

/**
 * What a driver supplies for {@link runAttach}: its own reads, its send and its
 * waits, each keeping the driver's shared-read and coalescing machinery. The
 * engine decides the order; a primitive never loops.
 */
export interface AttachPrimitives<R = undefined> {
  /** Reads the server and the volume, as this driver reads them (shared, in parallel or in turn). */
  read(): Promise<AttachSides<R>>;
  /**
   * Decides on what was read: `checkAttachable` with the driver's zone rule or its own
   * preconditions. Called in the same turn as `send`, so a cloud that decides atomically
   * (the memory driver) may take its snapshot here.
   */
  plan(sides: AttachSides<R>): AttachPlan;
  /** Sends the attach; resolves with the attachment as the cloud answered it (`attaching`). */
  send(sides: AttachSides<R>): Promise<VolumeAttachment>;
  /** Whether an error of the send, or of the wait after it, is the cloud refusing a race another caller won. */
  isRefusal(error: unknown): boolean;
  /** The volume read again after a refusal, to say what the refusal meant. */
  reread(): Promise<Volume>;
  /**
   * The error to throw when the fresh read does not explain a refusal (OpenStack reads the
   * holder from Nova's message). Without it, the cloud's own error is thrown.
   */
  unexplained?(error: unknown, sides: AttachSides<R>, fresh: Volume): unknown;
  /** Waits until the attach holds; resolves with the attachment as last seen. `justSent`: ours. */
  waitAttached(pending: VolumeAttachment, justSent: boolean): Promise<VolumeAttachment>;
  /** Waits until the volume is out of a transition another caller began. */
  settle(): Promise<unknown>;
  /** How server ids compare (ARM ids case-insensitively); exact by default. */
  readonly same?: SameServer;
}

/**
 * The one attach loop: read both sides, plan, send, and on a refusal read again
 * and re-plan (refusal-then-confirm); then wait until the attach holds, or wait
 * out a transition and decide again, at most {@link MAX_SETTLE_ROUNDS} times and
 * never with `wait: false`. An attach already in place answers `alreadyAttached`.
 *
 * `sent` releases the server's lock (see `serverRelease`): once the cloud took the
 * send, or when there is only another caller's attach to wait for.
 */
export async function runAttach<R>(
  p: AttachPrimitives<R>,
  call: ResolvedCallOptions,
  sent: () => void,
): Promise<VolumeAttachment> {
  for (let round = 0; ; round++) {
    const sides = await p.read();
    // A deadline that ends the call before its wait polls still carries what was read.
    noteState(call.signal, sides.volume);
    let plan = p.plan(sides);
    if (plan.action === 'send') {
      try {
        const pending = await p.send(sides);
        sent();
        return await waitAttached(p, call, pending, false);
      } catch (error) {
        if (!p.isRefusal(error)) throw error;
        const fresh = await p.reread();
        const next = afterRefusal(sides.server, fresh, p.same);
        if (next === undefined) throw p.unexplained ? p.unexplained(error, sides, fresh) : error;
        plan = next;
      }
    }
    if (plan.action === 'attached') return { ...plan.attachment, alreadyAttached: true };
    if (plan.action === 'attaching') {
      // Only waited for, nothing sent: no device of ours to keep the server for.
      sent();
      return waitAttached(p, call, plan.attachment, true);
    }
    if (round >= MAX_SETTLE_ROUNDS || call.wait === false) throw neverSettled(sides.volume, 'attachVolume');
    await p.settle();
  }
}

/** The wait after a send (or for another caller's attach); `already` marks the result `alreadyAttached`. */
async function waitAttached<R>(
  p: AttachPrimitives<R>,
  call: ResolvedCallOptions,
  pending: VolumeAttachment,
  already: boolean,
): Promise<VolumeAttachment> {
  const done = call.wait === false ? pending : await p.waitAttached(pending, !already);
  return already ? { ...done, alreadyAttached: true } : done;
}
