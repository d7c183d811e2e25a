import type { EC2Client, Volume as Ec2Volume, Instance } from '@aws-sdk/client-ec2';
import { type DriverContext, isBrokerError } from '@hybrid-broker/core';
import {
  PlatformScale,
  type PollCoalescer,
  type SingleFlight,
  type WaitPacing,
} from '@hybrid-broker/core/driver-kit';
import {
  describeInstancesByIds,
  describeVolumesByIds,
  MAX_INSTANCE_IDS,
  MAX_VOLUME_IDS,
} from './ec2-batch-reads.js';
import { describeInstance, describeVolume } from './ec2-calls.js';

/** One wait's reads: its probe, its pacing, and the end of its membership in the shared polls. */
export interface WaitReads<T> {
  readonly probe: (signal: AbortSignal | undefined) => Promise<T>;
  readonly pacing: WaitPacing | undefined;
  close(): void;
}

/**
 * The driver's volume and instance reads under the platform's scale options:
 * concurrent reads of one id share one request (single flight), and
 * concurrent waits share one DescribeVolumes / DescribeInstances of all their
 * ids per tick (coalesced polling), as aws-ebs-csi-driver's batcher does. What
 * an option turns off falls back to the plain read of one id.
 */
export class Ec2Reads {
  readonly scale: PlatformScale;
  readonly #client: EC2Client;
  readonly #volumeFlights: SingleFlight<Ec2Volume> | undefined;
  readonly #instanceFlights: SingleFlight<Instance> | undefined;
  readonly #volumePolls: PollCoalescer<Ec2Volume> | undefined;
  readonly #instancePolls: PollCoalescer<Instance> | undefined;

  constructor(client: EC2Client, scale: PlatformScale) {
    this.#client = client;
    this.scale = scale;
    this.#volumeFlights = scale.singleFlight<Ec2Volume>();
    this.#instanceFlights = scale.singleFlight<Instance>();
    this.#volumePolls = scale.coalescer<Ec2Volume>({
      readMany: (ids, signal) => describeVolumesByIds(client, ids, signal),
      readOne: (id, signal) => this.volume(id, signal),
      maxBatch: MAX_VOLUME_IDS,
    });
    this.#instancePolls = scale.coalescer<Instance>({
      readMany: (ids, signal) => describeInstancesByIds(client, ids, signal),
      readOne: (id, signal) => this.instance(id, signal),
      maxBatch: MAX_INSTANCE_IDS,
    });
  }

  /** The scale machinery of a driver context. */
  static scaleOf(context: DriverContext): PlatformScale {
    return new PlatformScale(context.scale, {
      clock: context.services.clock,
      maxRetryAfterMs: context.retry.maxRetryAfterMs,
    });
  }

  /** One volume; `not-found` when EC2 does not know it. */
  volume(id: string, signal: AbortSignal | undefined): Promise<Ec2Volume> {
    const read = (s: AbortSignal | undefined) => describeVolume(this.#client, id, s);
    return this.#volumeFlights ? this.#volumeFlights.run(id, signal, read) : read(signal);
  }

  /** One instance; `not-found` when EC2 does not know it. */
  instance(id: string, signal: AbortSignal | undefined): Promise<Instance> {
    const read = (s: AbortSignal | undefined) => describeInstance(this.#client, id, s);
    return this.#instanceFlights ? this.#instanceFlights.run(id, signal, read) : read(signal);
  }

  /**
   * One read of a volume (an attach's or detach's precheck, a getVolume): in the shared
   * DescribeVolumes of the grid's next tick while waits or other reads are under way, else
   * the single-flight read.
   */
  readVolume(id: string, signal: AbortSignal | undefined): Promise<Ec2Volume> {
    const polls = this.#volumePolls;
    return polls ? polls.readOnce(id, signal) : this.volume(id, signal);
  }

  /** One read of an instance, as readVolume. */
  readInstance(id: string, signal: AbortSignal | undefined): Promise<Instance> {
    const polls = this.#instancePolls;
    return polls ? polls.readOnce(id, signal) : this.instance(id, signal);
  }

  /** The reads of a wait on a volume through `operation` ("attach", "detach", "settle"). */
  volumeWait(id: string, operation: string): WaitReads<Ec2Volume> {
    return this.#waitReads(this.#volumePolls, id, operation, (signal) => this.volume(id, signal));
  }

  /** The reads of a wait on an instance; a missing one reads as undefined (EC2's eventual consistency, or gone). */
  instanceWait(id: string, operation: string): WaitReads<Instance | undefined> {
    const watch = this.#instancePolls?.watch(id);
    const read = watch
      ? (s: AbortSignal | undefined) => watch.read(s)
      : (s: AbortSignal | undefined) => this.instance(id, s);
    return {
      probe: (signal) =>
        read(signal).catch((error: unknown) => {
          if (isBrokerError(error, 'not-found')) return undefined;
          throw error;
        }),
      pacing: this.scale.pacing(operation, watch),
      close: () => watch?.close(),
    };
  }

  #waitReads<V>(
    polls: PollCoalescer<V> | undefined,
    id: string,
    operation: string,
    plain: (signal: AbortSignal | undefined) => Promise<V>,
  ): WaitReads<V> {
    const watch = polls?.watch(id);
    return {
      probe: watch ? (signal) => watch.read(signal) : plain,
      pacing: this.scale.pacing(operation, watch),
      close: () => watch?.close(),
    };
  }
}
