import type {
  PlatformScale,
  PollCoalescer,
  PollWatch,
  SingleFlight,
  WaitPacing,
} from '@hybrid-broker/core/driver-kit';
import type { CinderClient } from '../cinder/cinder-client.js';
import type { CinderVolume } from '../cinder/cinder-schemas.js';
import type { NovaClient } from '../nova/nova-client.js';
import type { NovaServer } from '../nova/nova-schemas.js';

/** One wait's reads of one resource: shared with concurrent waits when coalescing is on. */
export interface ResourceWatch<V> {
  read(signal: AbortSignal | undefined): Promise<V>;
  close(): void;
  /** The coalescer's membership, for the wait's poll grid; undefined when the wait polls alone. */
  readonly shared?: PollWatch<V> | undefined;
}

/**
 * The reads of one region's Nova and Cinder as the scale options shape them:
 * concurrent GETs of one id share one request (single flight), and concurrent
 * waits share one detailed list per tick (`/volumes/detail`, `/servers/detail`,
 * paginated). Cinder and Nova filter lists by neither id nor a set of ids, so
 * the lists are the project's whole; a resource missing from one is read alone
 * before it is called gone. Without a PlatformScale, or with a feature off,
 * each read is the plain GET it always was.
 */
export class ScaledReads {
  readonly #nova: NovaClient;
  readonly #cinder: CinderClient;
  readonly #scale: PlatformScale | undefined;
  readonly #volumeFlights: SingleFlight<CinderVolume> | undefined;
  readonly #serverFlights: SingleFlight<NovaServer> | undefined;
  readonly #volumes: PollCoalescer<CinderVolume> | undefined;
  readonly #servers: PollCoalescer<NovaServer> | undefined;

  constructor(nova: NovaClient, cinder: CinderClient, scale: PlatformScale | undefined) {
    this.#nova = nova;
    this.#cinder = cinder;
    this.#scale = scale;
    this.#volumeFlights = scale?.singleFlight<CinderVolume>();
    this.#serverFlights = scale?.singleFlight<NovaServer>();
    this.#volumes = scale?.coalescer<CinderVolume>({
      readMany: async (ids, signal) => byId(ids, await this.#cinder.listVolumes({}, signal)),
      readOne: (id, signal) => this.volume(id, signal),
    });
    this.#servers = scale?.coalescer<NovaServer>({
      readMany: async (ids, signal) => byId(ids, await this.#nova.listServers(signal)),
      readOne: (id, signal) => this.server(id, signal),
    });
  }

  /** `GET /volumes/{id}`, shared by concurrent callers of one id. */
  volume(id: string, signal: AbortSignal | undefined): Promise<CinderVolume> {
    const flights = this.#volumeFlights;
    if (!flights) return this.#cinder.getVolume(id, signal);
    return flights.run(id, signal, (shared) => this.#cinder.getVolume(id, shared));
  }

  /** `GET /servers/{id}`, shared by concurrent callers of one id. */
  server(id: string, signal: AbortSignal | undefined): Promise<NovaServer> {
    const flights = this.#serverFlights;
    if (!flights) return this.#nova.getServer(id, signal);
    return flights.run(id, signal, (shared) => this.#nova.getServer(id, shared));
  }

  /**
   * One read of a volume (a getVolume, an attach's precheck): in the shared batch of the grid's
   * next tick while waits or other reads are under way, else the single-flight GET.
   */
  readVolume(id: string, signal: AbortSignal | undefined): Promise<CinderVolume> {
    const volumes = this.#volumes;
    return volumes ? volumes.readOnce(id, signal) : this.volume(id, signal);
  }

  /** One read of a server, as readVolume. */
  readServer(id: string, signal: AbortSignal | undefined): Promise<NovaServer> {
    const servers = this.#servers;
    return servers ? servers.readOnce(id, signal) : this.server(id, signal);
  }

  /** The reads of one volume wait; close it when the wait ends. */
  watchVolume(id: string): ResourceWatch<CinderVolume> {
    return watchOf(this.#volumes, id, (signal) => this.volume(id, signal));
  }

  /** The reads of one server wait; close it when the wait ends. */
  watchServer(id: string): ResourceWatch<NovaServer> {
    return watchOf(this.#servers, id, (signal) => this.server(id, signal));
  }

  /** The pacing of a wait of `operation` (learned first poll, shared poll grid), if any applies. */
  pacing(operation: string, watch: ResourceWatch<unknown>): WaitPacing | undefined {
    return this.#scale?.pacing(operation, watch.shared);
  }
}

function watchOf<V>(
  coalescer: PollCoalescer<V> | undefined,
  id: string,
  plain: (signal: AbortSignal | undefined) => Promise<V>,
): ResourceWatch<V> {
  if (!coalescer) return { read: plain, close: () => {} };
  const shared = coalescer.watch(id);
  return { read: (signal) => shared.read(signal), close: () => shared.close(), shared };
}

/** The listed resources that were asked for, by id (UUIDs compared case-blind, as the services do). */
function byId<V extends { readonly id: string }>(
  ids: readonly string[],
  listed: readonly V[],
): Map<string, V> {
  const wanted = new Map(ids.map((id) => [id.toLowerCase(), id]));
  const found = new Map<string, V>();
  for (const item of listed) {
    const asked = wanted.get(item.id.toLowerCase());
    if (asked !== undefined) found.set(asked, item);
  }
  return found;
}
