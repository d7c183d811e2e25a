import type { PlatformDriver, Server, WaitOptions } from '@hybrid-broker/core';
import type { OutOfBandFixtures } from './out-of-band.js';

/** What the contract suite needs from the cloud behind a driver, beyond the driver itself. */
export interface ContractFixtures {
  /** An image a server can be created from. */
  readonly image: string;
  /** A flavor (instance type, VM size) servers are created with. */
  readonly flavor: string;
  /** The zone servers and volumes of the suite live in. */
  readonly availabilityZone: string;
  /** A second zone, for the AZ-mismatch case; the case is skipped without it. */
  readonly otherAvailabilityZone?: string;
  /** Networks (or subnets) to give createServer, if the cloud needs one. */
  readonly networks?: readonly string[];
  /** Makes an `available` volume in `availabilityZone`; returns its id as the driver names it. */
  createVolume(availabilityZone: string): Promise<string>;
  /**
   * Forces a volume's provider status, e.g. `error`, or a transitional state
   * it then stays in. Cases that need it are skipped without it.
   */
  setVolumeStatus?(volumeId: string, status: 'error' | 'stuck'): Promise<void>;
  /**
   * Grants (true) or takes away (false) the credentials' right to force a detach, as
   * Cinder's `force_detach` policy does. The forbidden case is skipped without it.
   */
  allowForceDetach?(allowed: boolean): Promise<void>;
  /**
   * Makes attaches and detaches take `ms` from now on (`undefined`: the target's own time again),
   * so a case can act while one is surely under way. Without it the cases run at the target's pace.
   */
  slowTransitions?(ms: number | undefined): Promise<void>;
  /** Makes the next server build end in an error state. Cases that need it are skipped without it. */
  failNextBuild?(): Promise<void>;
  /**
   * Well-formed ids, in the cloud's own grammar, that name nothing (for the not-found cases).
   * Default: uuids, as OpenStack and the memory driver take; EC2 needs `i-…` and `vol-…`.
   */
  readonly missingIds?: {
    readonly serverId: string;
    readonly volumeId: string;
    readonly snapshotId?: string;
  };
  /** An image id createVolume can make a volume from; the from-image case is skipped without it. */
  readonly volumeImageId?: string;
  /** What the anti-affinity cases need to know of the cloud's hosts. */
  readonly antiAffinity?: AntiAffinityFixtures;
  /** What the image and flavor cases need beyond `image` and `flavor`. */
  readonly catalog?: CatalogFixtures;
  /** Changes made through the cloud's own API, for the watch cases; they are skipped without it. */
  readonly outOfBand?: OutOfBandFixtures;
}

/** The image and flavor cases' view of a cloud's catalog. */
export interface CatalogFixtures {
  /** A name two images share, for the ambiguous-name case; it is skipped without one. */
  readonly ambiguousImageName?: string;
}

/** The anti-affinity cases' view of a cloud's placement. */
export interface AntiAffinityFixtures {
  /**
   * How many members one group can hold in the fixtures' zone (hosts; EC2 racks, at most 7).
   * The over-capacity case is skipped without it.
   */
  readonly capacity?: number;
  /** The host a server runs on, for clouds whose views show none (EC2 outside dedicated hosts). */
  hostOf?(serverId: string): Promise<string | undefined>;
  /** How many groups of this name the cloud holds, for the no-duplicate-group check. */
  countGroups?(name: string): Promise<number>;
  /**
   * False where a group is regional and takes no zone (Azure availability sets):
   * members are then created without `availabilityZone`. Default true.
   */
  readonly zonal?: boolean;
}

/** The ids the not-found cases use when a target gives none. */
export const DEFAULT_MISSING_IDS = {
  serverId: 'a0000000-0000-4000-8000-00000000dead',
  volumeId: 'a0000000-0000-4000-8000-00000000beef',
} as const;

/** A driver under test and its fixtures. */
export interface ContractTarget {
  /** The driver, wrapped as a broker wraps it (use core's `createDriver`). */
  readonly driver: PlatformDriver;
  readonly fixtures: ContractFixtures;
  /**
   * A second, independent driver on the same cloud, as a second process would
   * have it: its own connections, caches, tokens and per-server locks. The
   * convergence cases (repeat from another process, two brokers racing) are
   * skipped without it.
   */
  readonly secondDriver?: PlatformDriver;
  /** Called once after the suite. */
  cleanup?(): Promise<void>;
}

/**
 * What a runner hands a test body, where it hands one: vitest's test context
 * (`skip(note)` throws and marks the test skipped) and node:test's (`skip(message)`
 * marks it). Jest hands none; see {@link ContractRunner.skip}.
 */
export interface RunnerTestContext {
  skip?(reason: string): void;
}

/** The test runner's functions; pass vitest's, jest's or node:test's. */
export interface ContractRunner {
  describe(name: string, body: () => void): void;
  /**
   * Declares a test. The body takes its context as a rest argument, so its
   * `length` is 0 and jest does not take it for a `done`-callback test.
   */
  it(name: string, body: (...context: RunnerTestContext[]) => Promise<void>, timeoutMs?: number): void;
  /**
   * Declares a test reported as skipped (`it.skip`, with the reason in its name),
   * for cases skipped by `options.skip`. Optional: without it those are skipped
   * through the test context like every `skipIf`.
   */
  skip?(name: string, body: () => Promise<void>): void;
  beforeAll(body: () => Promise<void>, timeoutMs?: number): void;
  afterAll(body: () => Promise<void>, timeoutMs?: number): void;
}

/** Options of a contract run. */
export interface ContractOptions {
  readonly runner: ContractRunner;
  /** Wait options for every mutating call (make them fast against emulators). */
  readonly wait?: WaitOptions;
  /** Per-case time limit. Default 20 000 ms. */
  readonly timeoutMs?: number;
  /**
   * Cases to skip: a name (the reason then says only "skipped by the caller"),
   * or a name with the reason the runner reports.
   */
  readonly skip?: readonly (string | { readonly name: string; readonly reason: string })[];
}

/** What each case gets. */
export interface CaseContext {
  readonly driver: PlatformDriver;
  readonly fixtures: ContractFixtures;
  readonly wait: WaitOptions;
  /** A unique name for resources of this case. */
  name(suffix: string): string;
  /** A running server shared by the volume cases (created once, deleted after the suite). */
  sharedServer(): Promise<Server>;
  /** The target's second driver instance, if it offers one. */
  readonly secondDriver: PlatformDriver | undefined;
  /** A second running server, for the cases that need two (created once, deleted after the suite). */
  otherServer(): Promise<Server>;
  /** A running server of the power cases alone, which they stop and start (created once, deleted after the suite). */
  powerServer(): Promise<Server>;
}
