import type { SimRandom } from '../random.js';
import { ChangeLog } from '../scenario/change-log.js';
import { TransitionTimes } from '../scenario/transition-times.js';
import type { Scheduler } from '../scheduler.js';
import type { TransitionFault } from '../service.js';
import { DEFAULT_NETWORKS } from './catalog-data.js';
import type { OpenStackDelays } from './openstack-options.js';
import type { OpenStackState, ServerRecord, VolumeRecord } from './state.js';

/** Nova's scheduler failure, the usual `fault` of a server in ERROR. */
const NO_VALID_HOST = 'No valid host was found. There are not enough hosts available.';

/**
 * Drives servers and volumes through their states after the configured delays.
 * Each change bumps the record's `op`; a scheduled step that finds a newer `op` gives up,
 * so deleting or force-setting a resource cancels its pending transition.
 */
export class Lifecycle {
  /** Seeded ranges that replace the fixed delays (the failover scenario); none by default. */
  times = new TransitionTimes<TimedChange>({ ranges: {} });
  /** When each volume and server really changed state (in-use, available, ACTIVE). */
  readonly changes = new ChangeLog();

  /** @param delays how long each change takes (mutable through `sim.openstack.delays`) */
  constructor(
    private readonly state: OpenStackState,
    private readonly scheduler: Scheduler,
    private readonly random: SimRandom,
    readonly delays: OpenStackDelays,
    private readonly now: () => number = Date.now,
  ) {}

  /** BUILD -> ACTIVE (addresses assigned), or ERROR with a fault, or stuck in BUILD. */
  build(server: ServerRecord, fault: TransitionFault | undefined): void {
    this.#step(
      server,
      this.#ms('serverBuildMs'),
      fault,
      { status: 'BUILD', taskState: 'spawning' },
      (failed, since) => {
        if (failed) {
          this.setServerStatus(server, fault?.status ?? 'ERROR');
          server.fault = { code: 500, message: NO_VALID_HOST, created: this.now() };
          return;
        }
        this.setServerStatus(server, 'ACTIVE');
        const at = this.now();
        server.launchedAt = at;
        server.addresses = this.#addresses(server);
        this.changes.record(server.id, 'ACTIVE', at, since);
      },
    );
  }

  /** Status DELETED at once, gone after the delay; attached volumes are detached. */
  deleteServer(server: ServerRecord, fault: TransitionFault | undefined): void {
    for (const bdm of server.volumes) {
      const volume = this.state.volumes.get(bdm.volumeId);
      if (volume) this.detach(server, volume, undefined);
    }
    if (fault?.outcome === 'stuck') {
      server.taskState = 'deleting';
      server.op++;
      return;
    }
    this.setServerStatus(server, fault?.outcome === 'error' ? (fault.status ?? 'ERROR') : 'DELETED');
    const op = server.op;
    if (fault?.outcome === 'error') return;
    // Nova lists it DELETED from now on (to changes-since too): the change the bench times.
    this.changes.record(server.id, 'DELETED', server.updated);
    this.scheduler.after(this.#ms('serverDeleteMs'), () => {
      if (server.op !== op) return;
      this.state.servers.delete(server.id);
      this.state.deletedServers.add(server, this.now());
    });
  }

  /** creating -> available (or error, or stuck in creating). */
  createVolume(volume: VolumeRecord, fault: TransitionFault | undefined): void {
    this.#step(volume, this.#ms('volumeCreateMs'), fault, { status: 'creating' }, (failed) => {
      this.#setVolume(volume, failed ? (fault?.status ?? 'error') : 'available');
    });
  }

  /** deleting -> gone (or error_deleting, or stuck in deleting). */
  deleteVolume(volume: VolumeRecord, fault: TransitionFault | undefined): void {
    this.#step(volume, this.#ms('volumeDeleteMs'), fault, { status: 'deleting' }, (failed) => {
      if (failed) this.#setVolume(volume, fault?.status ?? 'error_deleting');
      else {
        this.state.volumes.delete(volume.id);
        this.changes.record(volume.id, 'deleted', this.now());
      }
    });
  }

  /** Volume attaching -> in-use with its attachment recorded (the BDM exists from the start). */
  attach(
    server: ServerRecord,
    volume: VolumeRecord,
    bdmIndex: number,
    fault: TransitionFault | undefined,
  ): void {
    const bdm = server.volumes[bdmIndex];
    if (!bdm) return;
    this.#step(volume, this.#ms('attachMs'), fault, { status: 'attaching' }, (failed, since) => {
      if (failed) {
        server.volumes = server.volumes.filter((b) => b !== bdm);
        this.#setVolume(volume, fault?.status ?? 'error_attaching');
        return;
      }
      const at = this.now();
      volume.attachments.push({
        id: bdm.attachmentId,
        serverId: server.id,
        volumeId: volume.id,
        device: bdm.device,
        hostName: server.hostId.slice(0, 12),
        attachedAt: at,
      });
      this.#setVolume(volume, 'in-use');
      this.changes.record(volume.id, 'in-use', at, since);
    });
  }

  /** Volume detaching -> available (or in-use while other attachments remain). */
  detach(server: ServerRecord, volume: VolumeRecord, fault: TransitionFault | undefined): void {
    this.#step(volume, this.#ms('detachMs'), fault, { status: 'detaching' }, (failed, since) => {
      if (failed) {
        this.#setVolume(volume, fault?.status ?? 'error_detaching');
        return;
      }
      volume.attachments = volume.attachments.filter((a) => a.serverId !== server.id);
      this.#setVolume(volume, volume.attachments.length > 0 ? 'in-use' : 'available');
      this.changes.record(volume.id, volume.status, volume.updated, since);
      // Nova drops its block-device mapping after Cinder says available (novaDetachLagMs later).
      const dropMapping = () => {
        server.volumes = server.volumes.filter((b) => b.volumeId !== volume.id);
      };
      if (this.delays.novaDetachLagMs > 0) this.scheduler.after(this.delays.novaDetachLagMs, dropMapping);
      else dropMapping();
    });
  }

  /**
   * Cinder's `os-force_detach`: the attachment (every one without an id) leaves Cinder's
   * records at once and the volume is `available` (or stays `in-use` with others left); any
   * transition under way is cancelled. Nova's mapping is Nova's: a host that took a DELETE
   * drops it once done (`detachMs` later); a host that never did keeps listing it.
   */
  forceDetach(volume: VolumeRecord, attachmentId: string | undefined): void {
    const gone = volume.attachments.filter((a) => attachmentId === undefined || a.id === attachmentId);
    volume.attachments = volume.attachments.filter((a) => !gone.includes(a));
    this.#setVolume(volume, volume.attachments.length > 0 ? 'in-use' : 'available');
    for (const attachment of gone) {
      const server = this.state.servers.get(attachment.serverId);
      const bdm = server?.volumes.find((b) => b.volumeId === volume.id);
      if (!server || !bdm?.detachRequested) continue;
      this.scheduler.after(this.delays.detachMs, () => {
        server.volumes = server.volumes.filter((b) => b !== bdm);
      });
    }
  }

  /** A power action: its task shows at once (Nova sets it before it answers), `done` after serverPowerMs. */
  power(server: ServerRecord, during: { status: string; taskState: string }, done: string): void {
    this.setServerStatus(server, during.status);
    server.taskState = during.taskState;
    const op = server.op;
    const since = this.now();
    this.scheduler.after(this.#ms('serverPowerMs'), () => {
      if (server.op !== op) return;
      this.setServerStatus(server, done);
      this.changes.record(server.id, done, this.now(), since);
    });
  }

  /** Sets a server's status with the matching `vm_state` (e.g. SHUTOFF -> stopped). */
  setServerStatus(server: ServerRecord, status: string): void {
    server.op++;
    server.status = status;
    server.vmState = VM_STATES[status] ?? status.toLowerCase();
    server.taskState = status === 'BUILD' ? 'spawning' : null;
    // A rebooting server keeps running (power_state 1) until its guest restarts.
    server.powerState = status === 'ACTIVE' || status.endsWith('REBOOT') ? 1 : status === 'SHUTOFF' ? 4 : 0;
    server.updated = this.now();
  }

  /** Sets a volume's status, cancelling any pending transition. */
  setVolumeStatus(volume: VolumeRecord, status: string): void {
    this.#setVolume(volume, status);
  }

  /** A change's duration: drawn from its range when the scenario sets one, else the fixed delay. */
  #ms(kind: TimedChange): number {
    return this.times.draw(kind, this.delays[kind]);
  }

  #setVolume(volume: VolumeRecord, status: string): void {
    volume.op++;
    volume.status = status;
    volume.updated = this.now();
  }

  /** Enters the transitional state now, then runs `finish` after `ms` unless stuck or superseded. */
  #step<T extends ServerRecord | VolumeRecord>(
    record: T,
    ms: number,
    fault: TransitionFault | undefined,
    transitional: { status: string; taskState?: string },
    finish: (failed: boolean, since: number) => void,
  ): void {
    const stuckStatus =
      fault?.outcome === 'stuck' ? (fault.status ?? transitional.status) : transitional.status;
    if ('vmState' in record) this.setServerStatus(record, stuckStatus);
    else this.#setVolume(record, stuckStatus);
    if (fault?.outcome === 'stuck') return;
    const op = record.op;
    const since = this.now();
    this.scheduler.after(ms, () => {
      if (record.op === op) finish(fault?.outcome === 'error', since);
    });
  }

  #addresses(server: ServerRecord): ServerRecord['addresses'] {
    const names = server.networks.length > 0 ? server.networks : [DEFAULT_NETWORKS[0]?.name ?? 'private'];
    const out: ServerRecord['addresses'] = {};
    for (const name of names) {
      const mac = `fa:16:3e:${this.random.hex(3).replace(/(..)(?=.)/g, '$1:')}`;
      out[name] = [{ addr: this.state.nextFixedIp(), version: 4, type: 'fixed', mac }];
    }
    return out;
  }
}

/** The delays a scenario may draw from a range instead. */
export type TimedChange = Exclude<keyof OpenStackDelays, 'novaDetachLagMs'>;

const VM_STATES: Readonly<Record<string, string>> = {
  ACTIVE: 'active',
  REBOOT: 'active',
  HARD_REBOOT: 'active',
  BUILD: 'building',
  ERROR: 'error',
  SHUTOFF: 'stopped',
  DELETED: 'deleted',
  PAUSED: 'paused',
  SUSPENDED: 'suspended',
};
