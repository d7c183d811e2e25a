import { randomUUID } from 'node:crypto';
import { type FakePower, fakePowerStatus } from './fake-power.js';
import { type FakeServerGroup, fakePlace } from './fake-server-groups.js';

/** Where the fake cloud's services live (all intercepted by nock; none is reachable). */
export const FAKE = {
  keystone: 'http://keystone.fake:5000',
  nova: 'http://nova.fake:8774',
  cinder: 'http://cinder.fake:8776',
  glance: 'http://glance.fake:9292',
  projectId: '6e54f5b6a1f74c1a9b0f1c8d2b9e3a10',
  userId: '9fe2ff9ee4384b1894a90878d3e92bab',
  password: 'canary-Pa55w0rd-do-not-leak',
  zones: ['az-1', 'az-2'],
  images: [{ id: '70a599e0-31e7-49b7-b260-868f441e862b', name: 'cirros-0.6.2-x86_64-disk' }],
  flavors: [
    { id: '1', name: 'm1.tiny' },
    { id: '2', name: 'm1.small' },
  ],
} as const;

/** A fake Nova server record. */
export interface FakeServer {
  id: string;
  name: string;
  zone: string;
  imageId: string;
  flavorId: string;
  metadata: Record<string, string>;
  readyAt: number;
  fault?: string;
  deletingUntil?: number;
  created: string;
  /** The compute host (undefined: none passed the scheduler). */
  host?: string;
  /** The server group of its `os:scheduler_hints`. */
  groupId?: string;
  /** Its last start, stop or reboot (fake-power.ts). */
  power?: FakePower;
}

/** A fake Cinder volume record. */
export interface FakeVolume {
  id: string;
  name: string;
  zone: string;
  size: number;
  attachments: {
    serverId: string;
    attachmentId: string;
    device: string;
    readyAt: number;
    detachAt?: number;
  }[];
  forced?: string;
  metadata?: Record<string, string>;
  /** Made by POST /volumes: `creating` until then. */
  readyAt?: number;
  /** Deleted: `deleting` until then, then gone. */
  deletingUntil?: number;
}

/** How long transitions take, in ms. */
export interface FakeDelays {
  build: number;
  attach: number;
  detach: number;
  delete: number;
}

/**
 * A small stateful OpenStack (Keystone, Nova, Cinder, Glance) whose
 * transitions follow the wall clock, and whose bodies follow the API
 * reference's documented examples. Tests read and steer it directly.
 */
export class FakeCloud {
  readonly servers = new Map<string, FakeServer>();
  readonly volumes = new Map<string, FakeVolume>();
  /** Cinder's force_detach policy refuses the fake's user (the admin-only default). */
  forceDetachForbidden = false;
  /** Cinder with the fix for bug 2004555: os-force_detach of Nova's attachment is a 409. */
  novaOwnsAttachments = false;
  /** Bodies of every os-force_detach Cinder accepted. */
  readonly forceDetachBodies: unknown[] = [];
  /** Server groups, oldest first (as Nova lists them). */
  readonly groups: FakeServerGroup[] = [];
  /** Compute hosts the scheduler places servers on. */
  hosts = 2;
  /** Valid tokens. */
  readonly tokens = new Set<string>();
  /** Calls per `METHOD /path-template`. */
  readonly counts: Record<string, number> = {};
  /** Bodies of every request that reached Keystone (to prove what was sent). */
  readonly keystoneBodies: unknown[] = [];
  delays: FakeDelays = { build: 5, attach: 3, detach: 3, delete: 3 };
  /** Token lifetime in ms. */
  tokenLifetimeMs = 3_600_000;
  nextBuildFault: string | undefined;
  /**
   * How long Nova keeps listing an attachment after Cinder shows it gone, as the real Nova does
   * for a moment (its block-device mapping goes after Cinder's `available`). Default 0.
   */
  novaDetachLagMs = 0;
  /** When Nova forgets each detached attachment, by `serverId/volumeId`. */
  readonly #novaForgetsAt = new Map<string, number>();
  /** Called after Nova accepted an attach (tests break the volume here). */
  afterAttach: ((volume: FakeVolume) => void) | undefined;

  count(key: string): number {
    return this.counts[key] ?? 0;
  }

  hit(key: string): void {
    this.counts[key] = this.count(key) + 1;
  }

  issueToken(): string {
    const token = `gAAAAA${randomUUID().replace(/-/g, '')}`;
    this.tokens.add(token);
    return token;
  }

  /** Adds an `available` volume. */
  addVolume(zone: string = FAKE.zones[0]): FakeVolume {
    const volume: FakeVolume = {
      id: randomUUID(),
      name: `vol-${this.volumes.size + 1}`,
      zone,
      size: 1,
      attachments: [],
    };
    this.volumes.set(volume.id, volume);
    return volume;
  }

  createServer(body: Record<string, unknown>, groupId?: string): FakeServer {
    const now = Date.now();
    const host = fakePlace(this, groupId);
    const server: FakeServer = {
      id: randomUUID(),
      name: String(body.name),
      zone: typeof body.availability_zone === 'string' ? body.availability_zone : FAKE.zones[0],
      imageId: String(body.imageRef),
      flavorId: String(body.flavorRef),
      metadata: (body.metadata as Record<string, string> | undefined) ?? {},
      readyAt: now + this.delays.build,
      created: new Date(now).toISOString().replace(/\.\d+Z$/, 'Z'),
      ...(host === undefined ? {} : { host }),
      ...(groupId === undefined ? {} : { groupId }),
    };
    if (host === undefined) server.fault = 'No valid host was found. There are not enough hosts available.';
    if (this.nextBuildFault !== undefined) {
      server.fault = this.nextBuildFault;
      this.nextBuildFault = undefined;
    }
    this.servers.set(server.id, server);
    return server;
  }

  /** The server's status now, or undefined when gone. */
  serverStatus(server: FakeServer): string | undefined {
    const now = Date.now();
    if (server.deletingUntil !== undefined) {
      if (now >= server.deletingUntil) {
        this.servers.delete(server.id);
        for (const v of this.volumes.values())
          v.attachments = v.attachments.filter((a) => a.serverId !== server.id);
        return undefined;
      }
      // Nova keeps the status while task_state is "deleting" (ERROR stays ERROR).
      return server.fault === undefined ? 'ACTIVE' : 'ERROR';
    }
    if (now < server.readyAt) return 'BUILD';
    return server.fault === undefined ? fakePowerStatus(server, now).status : 'ERROR';
  }

  /** The volume's status now (attachments that finished detaching are dropped). */
  volumeStatus(volume: FakeVolume): string {
    if (volume.forced !== undefined) return volume.forced;
    const now = Date.now();
    if (volume.deletingUntil !== undefined) return 'deleting';
    if (volume.readyAt !== undefined && now < volume.readyAt) return 'creating';
    volume.attachments = volume.attachments.filter((a) => {
      if (a.detachAt === undefined || now < a.detachAt) return true;
      this.#novaForgetsAt.set(`${a.serverId}/${volume.id}`, a.detachAt + this.novaDetachLagMs);
      return false;
    });
    if (volume.attachments.some((a) => a.detachAt !== undefined)) return 'detaching';
    if (volume.attachments.some((a) => now < a.readyAt)) return 'attaching';
    return volume.attachments.length > 0 ? 'in-use' : 'available';
  }

  /** Whether Nova still lists the volume on the server (attached, or detached within the lag). */
  novaLists(serverId: string, volume: FakeVolume): boolean {
    this.volumeStatus(volume);
    if (volume.attachments.some((a) => a.serverId === serverId)) return true;
    return (this.#novaForgetsAt.get(`${serverId}/${volume.id}`) ?? 0) > Date.now();
  }

  /** The next free device of a server. */
  deviceFor(serverId: string): string {
    const used = new Set<string>();
    for (const v of this.volumes.values())
      for (const a of v.attachments) if (a.serverId === serverId) used.add(a.device);
    const letter = 'bcdefghijklmnop'.split('').find((c) => !used.has(`/dev/vd${c}`));
    return `/dev/vd${letter}`;
  }
}
