import type {
  BrokerEventInput,
  Clock,
  ReadOptions,
  Server,
  ServerRef,
  Volume,
  VolumeRef,
} from '@hybrid-broker/core';
import { isBrokerError } from '@hybrid-broker/core';
import {
  type ResolvedCallOptions,
  type ResolvedWaitOptions,
  volumeSettled,
  type WaitSpec,
  waitFor,
} from '@hybrid-broker/core/driver-kit';
import type { CinderClient } from '../cinder/cinder-client.js';
import type { NovaClient } from '../nova/nova-client.js';
import type { NovaServer } from '../nova/nova-schemas.js';
import { toVolume } from './openstack-mapping.js';
import type { ResourceWatch, ScaledReads } from './scaled-reads.js';

/** What the attach and detach operations use of one OpenStack driver. */
export interface OpenStackOps {
  readonly nova: NovaClient;
  readonly cinder: CinderClient;
  readonly clock: Clock;
  readonly emit?: ((event: BrokerEventInput) => void) | undefined;
  readonly region?: string | undefined;
  readonly availabilityZonePolicy?: 'same' | 'cloud' | undefined;
  readonly reads: ScaledReads;
  /** The driver's own reads (ids checked, mapped, scaled). */
  readonly getServer: (request: ServerRef, options?: ReadOptions) => Promise<Server>;
  readonly getVolume: (request: VolumeRef, options?: ReadOptions) => Promise<Volume>;
}

/**
 * One wait of `operation` over `watch`'s reads: paced by what the platform has learned
 * of the operation, on the shared poll grid when coalesced; the watch is closed at the end.
 * `justSent`: the wait follows the driver's own request for the change.
 */
export async function waitOn<T, V = unknown>(
  ops: OpenStackOps,
  call: ResolvedCallOptions,
  operation: string,
  watch: ResourceWatch<V>,
  justSent: boolean,
  build: (watch: ResourceWatch<V>) => Pick<WaitSpec<T>, 'description' | 'probe' | 'stateOf' | 'check'>,
): Promise<T> {
  const spec = build(watch);
  const pacing = ops.reads.pacing(operation, watch);
  try {
    return await waitFor<T>({
      description: spec.description,
      probe: spec.probe,
      stateOf: spec.stateOf,
      check: spec.check,
      options: call.wait as ResolvedWaitOptions,
      signal: call.signal,
      clock: ops.clock,
      emit: ops.emit,
      pacing,
      // With the scale features on, a change just sent is not read back at once: the cloud
      // cannot have finished it, and the read would cost a request of the budget.
      ...(justSent && pacing ? { probeFirst: false } : {}),
    });
  } finally {
    watch.close();
  }
}

/** Waits until the volume is out of every transition (an attach or detach another caller sent). */
export function settleVolume(
  ops: OpenStackOps,
  call: ResolvedCallOptions,
  request: VolumeRef,
): Promise<Volume> {
  return waitOn(ops, call, 'settle', ops.reads.watchVolume(request.volumeId), false, (watch) => ({
    description: `volume ${request.volumeId} to settle`,
    probe: async (signal) => toVolume(await watch.read(signal), ops.region),
    stateOf: (v) => v.providerStatus,
    check: volumeSettled,
  }));
}

/** A server read, or undefined once Nova answers 404. */
export async function orGone(read: Promise<NovaServer>): Promise<NovaServer | undefined> {
  try {
    return await read;
  } catch (error) {
    if (isBrokerError(error, 'not-found')) return undefined;
    throw error;
  }
}
