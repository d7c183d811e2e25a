import type { ResolvedWaitOptions } from '../call-options.js';
import type { Clock } from '../clock.js';
import type { BrokerEventInput } from '../events.js';
import type { MemoryFlavorInput, MemoryImageInput } from './memory-catalog.js';
import type { MemorySnapshotRecord } from './memory-snapshot-store.js';
import type { MemoryServerRecord, MemoryVolumeRecord } from './memory-state.js';

/** How the memory cloud behaves. */
export interface MemoryCloudOptions {
  readonly availabilityZones: readonly string[];
  /** Images a create accepts, by id or name (a name alone is its id too). */
  readonly images: readonly MemoryImageInput[];
  /** Flavors a create accepts, by id or name. */
  readonly flavors: readonly MemoryFlavorInput[];
  /** How long each transition takes, in ms of the clock. */
  readonly delays: {
    readonly buildMs: number;
    readonly attachMs: number;
    readonly detachMs: number;
    readonly deleteMs: number;
    /** A created volume's `creating`; default `attachMs`. */
    readonly createVolumeMs?: number;
    /** How long a start, stop or reboot takes; default 10. */
    readonly powerMs?: number;
  };
  /** The volume types createVolume takes; default `['standard']`. */
  readonly volumeTypes?: readonly string[];
  /** Hosts servers are placed on (default 4); an anti-affinity group holds one member per host. */
  readonly hosts?: number;
  readonly clock?: Clock;
  /** The wait options of a driver made from these options (the cloud itself never waits). */
  readonly wait?: Partial<ResolvedWaitOptions>;
  /** Where a driver made from these options sends its wait events. */
  readonly emit?: (event: BrokerEventInput) => void;
}

/** The memory cloud's whole state, as plain data: what a state file saves and restores. */
export interface MemoryCloudSnapshot {
  readonly servers: readonly MemoryServerRecord[];
  readonly volumes: readonly MemoryVolumeRecord[];
  /** Absent in a state file written before snapshots were kept. */
  readonly snapshots?: readonly MemorySnapshotRecord[];
}

/** What a test hook may give a new volume. */
export interface MemoryVolumeInput {
  readonly id?: string;
  readonly availabilityZone?: string;
  readonly sizeGiB?: number;
  readonly name?: string;
  readonly multiAttach?: boolean;
  readonly metadata?: Readonly<Record<string, string>>;
}
