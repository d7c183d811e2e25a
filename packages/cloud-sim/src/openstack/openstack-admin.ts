import { SimError } from '../service.js';
import { type SimServer, type SimVolume, serverSnapshot, volumeSnapshot } from './admin-snapshots.js';
import type { OpenStackDelays, RegionSpec } from './openstack-options.js';
import type { OpenStackSim } from './openstack-sim.js';
import type { Region } from './regions.js';
import { createServerRecord } from './server-factory.js';
import { createVolumeRecord } from './volume-factory.js';

export type { SimServer, SimVolume } from './admin-snapshots.js';

/** Options of `createVolume`. */
export interface CreateVolumeOptions {
  /** Default: the first region. */
  readonly region?: string;
  /** Default: the region's first zone. */
  readonly availabilityZone?: string;
  /** Default 1. */
  readonly sizeGiB?: number;
  readonly name?: string;
  readonly multiattach?: boolean;
  /** Default `available` (no creation delay). */
  readonly status?: string;
  /** Project name or id; default the first project. */
  readonly project?: string;
}

/** Options of `createServer`. */
export interface CreateServerOptions {
  readonly region?: string;
  readonly availabilityZone?: string;
  readonly name?: string;
  /** Image name or id; default the first image. */
  readonly image?: string;
  /** Flavor name or id; default `m1.small`. */
  readonly flavor?: string;
  /** Default `ACTIVE` (no build delay). */
  readonly status?: string;
  readonly project?: string;
}

/**
 * In-process control of the OpenStack side (`sim.openstack`): seed resources, force
 * states, change the catalog and delays. The `/_sim/openstack/...` endpoints call these.
 */
export class OpenStackAdmin {
  /** @param os the deployment these helpers act on */
  constructor(private readonly os: OpenStackSim) {}

  /** Nova's deployment settings, mutable between test steps (e.g. `nova.computeHostsPerZone`). */
  get nova(): OpenStackSim['nova'] {
    return this.os.nova;
  }

  /** Server groups of this name, in every region and project, oldest first (for no-duplicate checks). */
  serverGroupsNamed(name: string): { id: string; region: string; policy: string; members: string[] }[] {
    return [...this.os.state.serverGroups.values()]
      .filter((g) => g.name === name)
      .map((g) => ({
        id: g.id,
        region: g.region,
        policy: g.policy,
        members: [...this.os.state.servers.values()]
          .filter((s) => s.serverGroupId === g.id && s.status !== 'DELETED')
          .map((s) => s.id),
      }));
  }

  /** Creates a server group directly, as another tool would (default region and project). */
  createServerGroup(options: { name: string; policy: string; region?: string; project?: string }): {
    id: string;
  } {
    const region = this.#region(options.region);
    const project = this.#project(options.project);
    const group = {
      id: this.os.random.uuid(),
      name: options.name,
      region: region.name,
      projectId: project.id,
      userId: '',
      policy: options.policy,
    };
    this.os.state.serverGroups.set(group.id, group);
    return { id: group.id };
  }

  /** The compute host a server was scheduled to (null: NoValidHost), as an admin's `OS-EXT-SRV-ATTR:host` shows it. */
  hostOf(serverId: string): string | null | undefined {
    return this.os.state.servers.get(serverId)?.host;
  }

  /** Mutable state-change delays in ms. */
  get delays(): OpenStackDelays {
    return this.os.delays;
  }

  /** Cinder's deployment settings, mutable between test steps (e.g. `forceDetachRequiresAdmin`). */
  get cinder(): { forceDetachRequiresAdmin: boolean; novaOwnsAttachments: boolean } {
    return this.os.cinder;
  }

  /** Region names in catalog order. */
  regions(): Region[] {
    return this.os.regions.list();
  }

  /** Adds (or replaces) a region; tokens issued afterwards list it in their catalog. */
  addRegion(spec: RegionSpec): Region {
    try {
      return this.os.regions.add(spec);
    } catch (error) {
      throw new SimError(400, error instanceof Error ? error.message : 'invalid region');
    }
  }

  /** Removes a region and its resources; false when unknown. */
  removeRegion(name: string): boolean {
    for (const [id, s] of this.os.state.servers) if (s.region === name) this.os.state.servers.delete(id);
    for (const [id, v] of this.os.state.volumes) if (v.region === name) this.os.state.volumes.delete(id);
    return this.os.regions.remove(name);
  }

  /** Creates a volume directly (default: `available` at once). */
  createVolume(options: CreateVolumeOptions = {}): SimVolume {
    const region = this.#region(options.region);
    this.#zone(region, options.availabilityZone);
    const project = this.#project(options.project);
    const volume = createVolumeRecord(this.os, {
      region,
      projectId: project.id,
      userId: this.os.identity.users[0]?.id ?? '',
      sizeGiB: options.sizeGiB ?? 1,
      availabilityZone: options.availabilityZone,
      name: options.name ?? '',
      multiattach: options.multiattach ?? false,
      status: options.status ?? 'available',
    });
    return volumeSnapshot(volume);
  }

  /** Creates a server directly (default: `ACTIVE` at once, with an address). */
  createServer(options: CreateServerOptions = {}): SimServer {
    const region = this.#region(options.region);
    const zone = this.#zone(region, options.availabilityZone);
    const image = this.os.image(options.image ?? this.os.images[0]?.id ?? '');
    const flavor = this.os.flavor(options.flavor ?? 'm1.small');
    if (!image || !flavor) throw new SimError(400, 'unknown image or flavor');
    const project = this.#project(options.project);
    const server = createServerRecord(this.os, {
      region: region.name,
      projectId: project.id,
      userId: this.os.identity.users[0]?.id ?? '',
      availabilityZone: zone,
      name: options.name ?? 'sim-server',
      imageId: image.id,
      flavorId: flavor.id,
    });
    const mac = `fa:16:3e:${this.os.random.hex(3).replace(/(..)(?=.)/g, '$1:')}`;
    server.addresses = { private: [{ addr: this.os.state.nextFixedIp(), version: 4, type: 'fixed', mac }] };
    server.launchedAt = server.created;
    this.os.lifecycle.setServerStatus(server, options.status ?? 'ACTIVE');
    return serverSnapshot(server);
  }

  /** A volume's current state, if it exists. */
  getVolume(id: string): SimVolume | undefined {
    const v = this.os.state.volumes.get(id);
    return v && volumeSnapshot(v);
  }

  /** A server's current state, if it exists. */
  getServer(id: string): SimServer | undefined {
    const s = this.os.state.servers.get(id);
    return s && serverSnapshot(s);
  }

  /** Forces a volume's status (cancels its pending transition). */
  setVolumeStatus(id: string, status: string): SimVolume {
    const v = this.os.state.volumes.get(id);
    if (!v) throw new SimError(404, `Volume ${id} could not be found.`);
    this.os.lifecycle.setVolumeStatus(v, status);
    return volumeSnapshot(v);
  }

  /** Forces a server's status and matching vm_state (cancels its pending transition). */
  setServerStatus(id: string, status: string): SimServer {
    const s = this.os.state.servers.get(id);
    if (!s) throw new SimError(404, `Instance ${id} could not be found.`);
    this.os.lifecycle.setServerStatus(s, status);
    // An out-of-band change: the bench measures the time to notice it from here.
    this.os.lifecycle.changes.record(s.id, status, s.updated);
    return serverSnapshot(s);
  }

  /** Revokes every token: the next call of every client gets a 401 and must re-authenticate. */
  revokeTokens(): void {
    this.os.tokens.revokeAll();
  }

  /** Forgets all servers, volumes and tokens (identity and regions stay). */
  reset(): void {
    this.os.state.clear();
    this.os.tokens.revokeAll();
  }

  #region(name: string | undefined): Region {
    const region = name === undefined ? this.os.regions.list()[0] : this.os.regions.get(name);
    if (!region) throw new SimError(400, `unknown region ${name}`);
    return region;
  }

  #zone(region: Region, zone: string | undefined): string {
    const chosen = zone ?? region.availabilityZones[0] ?? region.name;
    if (!region.availabilityZones.includes(chosen)) {
      throw new SimError(400, `Availability zone '${chosen}' is invalid.`);
    }
    return chosen;
  }

  #project(ref: string | undefined) {
    const project =
      ref === undefined
        ? this.os.identity.projects[0]
        : this.os.identity.projects.find((p) => p.id === ref || p.name === ref);
    if (!project) throw new SimError(400, `unknown project ${ref}`);
    return project;
  }
}
