import { type DetachPlan, MAX_SETTLE_ROUNDS, neverSettled } from '../attach-rules.js';
import { noteState } from '../call-deadline.js';
import type { ResolvedCallOptions, ResolvedWaitOptions } from '../call-options.js';
import type { DetachVolumeResult, Volume } from '../types.js';

/**
 * What a driver supplies for {@link runDetach}. `V` is the volume as the driver
 * reads it (EC2's own shape, or core's `Volume`); `view` normalizes it.
 */
export interface DetachPrimitives<V> {
  /** Reads what the detach decides on: the volume, and the server where a missing one must fail. */
  read(): Promise<V>;
  /** The normalized volume of a read. */
  view(volume: V): Volume;
  /** Decides on a read: `planDetach`, or `planForcedDetach` for a forced detach. */
  plan(volume: V): DetachPlan;
  /** Waits until the volume is out of a transition another caller began; resolves with what to decide on next. */
  settle(): Promise<V>;
  /**
   * Whether the volume is still attached to the server, so there is a detach to do.
   * Without it, any plan but `none`.
   */
  held?(volume: V): boolean;
  /** What a detach with nothing to do still checks (EC2: that the server exists). */
  confirmNothingToDo?(volume: V): Promise<void>;
  /**
   * Sends the detach, or leaves one already under way alone. Resolves with a volume when
   * the cloud said the attachment was gone meanwhile (the answer is then `detached: false`).
   */
  send(volume: V): Promise<Volume | undefined>;
  /** The answer of a detach with `wait: false`: the cloud's own view after the send on `volume`. */
  unwaited(volume: V): Promise<Volume>;
  /**
   * Waits until the detach sent on `volume` holds on every side of the cloud that has a say
   * (OpenStack: Cinder and Nova), within `wait`; resolves with the volume.
   */
  waitDetached(volume: V, wait: ResolvedWaitOptions): Promise<Volume>;
}

/** The read and the settle wait of {@link settleDetach}. */
export type SettlePrimitives<V> = Pick<DetachPrimitives<V>, 'view' | 'plan' | 'settle'>;

/**
 * Waits out a transition in flight (an attach another caller sent is let land, then
 * detached) until `plan` decides something else: at most {@link MAX_SETTLE_ROUNDS}
 * waits, none with `wait: false` (`invalid-state` instead). Returns the read to act on.
 */
export async function settleDetach<V>(
  p: SettlePrimitives<V>,
  call: ResolvedCallOptions,
  first: V,
): Promise<V> {
  let volume = first;
  for (let round = 0; p.plan(volume) === 'settle'; round++) {
    if (round >= MAX_SETTLE_ROUNDS || call.wait === false) throw neverSettled(p.view(volume), 'detachVolume');
    volume = await p.settle();
  }
  return volume;
}

/**
 * The one detach loop: read, wait out a transition in flight, answer
 * `detached: false` when there is nothing to detach, send, then wait until the
 * detach holds (or answer the cloud's view at once with `wait: false`).
 * `sent` releases the server's lock once the cloud took the send (or one was under way).
 */
export async function runDetach<V>(
  p: DetachPrimitives<V>,
  call: ResolvedCallOptions,
  sent: () => void,
): Promise<DetachVolumeResult> {
  const first = await p.read();
  // A deadline that ends the call before its wait polls still carries what was read.
  noteState(call.signal, p.view(first));
  const volume = await settleDetach(p, call, first);
  const held = p.held ? p.held(volume) : p.plan(volume) !== 'none';
  if (!held) {
    await p.confirmNothingToDo?.(volume);
    return { volume: p.view(volume), detached: false };
  }
  const gone = await p.send(volume);
  if (gone !== undefined) return { volume: gone, detached: false };
  sent();
  if (call.wait === false) return { volume: await p.unwaited(volume), detached: true };
  return { volume: await p.waitDetached(volume, call.wait), detached: true };
}
