import type { EC2Client, Instance } from '@aws-sdk/client-ec2';
import type { BrokerEventInput, Clock, Volume } from '@hybrid-broker/core';
import {
  type ResolvedCallOptions,
  volumeSettled,
  type WaitSpec,
  waitFor,
} from '@hybrid-broker/core/driver-kit';
import { toVolume } from './ec2-mappers.js';
import type { Ec2Reads, WaitReads } from './ec2-reads.js';

/** What the attach and detach operations use of one AWS driver. */
export interface Ec2Ops {
  readonly client: EC2Client;
  readonly region: string;
  readonly clock: Clock;
  readonly emit?: ((event: BrokerEventInput) => void) | undefined;
  readonly reads: Ec2Reads;
  /** An instance that can still run (a terminated one is `not-found`). */
  readonly liveInstance: (serverId: string, signal: AbortSignal | undefined) => Promise<Instance>;
}

/** Polls through `reads` (shared with concurrent waits when coalescing is on) until `check` says done. */
export async function waitOn<T>(
  ops: Ec2Ops,
  call: ResolvedCallOptions,
  reads: WaitReads<T>,
  spec: Pick<WaitSpec<T>, 'description' | 'check' | 'stateOf'>,
): Promise<T> {
  try {
    if (call.wait === false) throw new Error('unreachable: waits are skipped when wait is false');
    return await waitFor({
      ...spec,
      probe: reads.probe,
      options: call.wait,
      signal: call.signal,
      clock: ops.clock,
      emit: ops.emit,
      pacing: reads.pacing,
    });
  } finally {
    reads.close();
  }
}

/** Waits until the volume is out of every transition (an attach or detach another caller sent). */
export async function settleVolume(
  ops: Ec2Ops,
  call: ResolvedCallOptions,
  volumeId: string,
): Promise<Volume> {
  const settled = await waitOn(ops, call, ops.reads.volumeWait(volumeId, 'settle'), {
    description: `volume ${volumeId} to settle`,
    check: (v) => volumeSettled(toVolume(v, ops.region)),
    stateOf: (v) => toVolume(v, ops.region).providerStatus,
  });
  return toVolume(settled, ops.region);
}

/** A volume's state with its attachment's, for events and errors: `in-use/attaching`. */
export function stateOfVolume(state: string | undefined, attachment: string | undefined): string {
  return attachment === undefined ? (state ?? 'unknown') : `${state ?? 'unknown'}/${attachment}`;
}
