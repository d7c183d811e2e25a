import {
  type AttachVolumeRequest,
  BrokerError,
  type BrokerEventInput,
  type CallOptions,
  type Clock,
  type CreateServerRequest,
  type DeleteServerResult,
  type DetachOptions,
  type DetachVolumeRequest,
  type DetachVolumeResult,
  type DriverCapabilities,
  isBrokerError,
  type PlatformDriver,
  type ReadOptions,
  type RetryPolicy,
  type Server,
  type ServerFilter,
  type ServerRef,
  type Volume,
  type VolumeAttachment,
  type VolumeFilter,
  type VolumeRef,
  type WaitOptions,
} from '@hybrid-broker/core';
import {
  attachedTo,
  checkAttachable,
  detachedFrom,
  heldElsewhere,
  isErrorStatus,
  type PlatformScale,
  planDetach,
  planForcedDetach,
  type ResolvedCallOptions,
  type ResolvedWaitOptions,
  resolveCallOptions,
  runAttach,
  runDetach,
  serverRelease,
  settleDetach,
  verdict,
  volumeSettled,
  type WaitSpec,
  waitFor,
} from '@hybrid-broker/core/driver-kit';
import type { CinderClient } from './cinder/cinder-client.js';
import type { CinderVolume } from './cinder/cinder-schemas.js';
import { checkOpenStackId } from './common/openstack-ids.js';
import type { NovaClient } from './nova/nova-client.js';
import type { NovaServer } from './nova/nova-schemas.js';
import { holderNamedIn, sameId } from './operations/attach-refusal.js';
import { microversionAtLeast, sendCreateServer } from './operations/create-server.js';
import { askNovaFirst, forceInCinder, novaGraceMs, stillOn } from './operations/force-detach.js';
import { guestPathsFor } from './operations/guest-paths.js';
import type { NameResolver } from './operations/name-resolver.js';
import { listServersOf, listVolumesOf } from './operations/openstack-lists.js';
import { toServer, toVolume } from './operations/openstack-mapping.js';
import { isNoValidHost, placementFailed } from './operations/placement-failure.js';
import { type ResourceWatch, ScaledReads } from './operations/scaled-reads.js';
import { serverListsVolume } from './operations/volumes-attached.js';

/** What an OpenStackDriver is made of: the service clients of one region and the runtime services. */
export interface OpenStackDriverOptions {
  readonly nova: NovaClient;
  readonly cinder: CinderClient;
  readonly names: NameResolver;
  readonly clock: Clock;
  readonly emit?: ((event: BrokerEventInput) => void) | undefined;
  /** Wait defaults of the platform. */
  readonly wait?: WaitOptions | undefined;
  readonly retry?: RetryPolicy | undefined;
  /** Set on every result, for multi-region callers. */
  readonly region?: string | undefined;
  readonly novaMicroversion: string;
  /** "same" (default): cross-zone attaches are refused before Nova is asked; "cloud": Nova decides. */
  readonly availabilityZonePolicy?: 'same' | 'cloud' | undefined;
  /** Single flight, coalesced and adaptive polling (see ScaledReads); without it, plain GETs. */
  readonly scale?: PlatformScale | undefined;
}

/** What the OpenStack driver can do. */
export const OPENSTACK_CAPABILITIES: DriverCapabilities = {
  availabilityZones: true,
  idempotentCreate: true,
  multiAttach: false,
  requestedDeviceHonoured: false,
  readOnlyAttach: false,
  guestPaths: true,
  // Cinder os-force_detach; admin-only under Cinder's default policy (a 403 is `forbidden`).
  forceDetach: true,
  antiAffinity: true,
};

/**
 * PlatformDriver over Nova and Cinder of one region. Mutating calls wait
 * (by polling Nova or Cinder) until the change holds; an error status ends
 * a wait at once. Serialization per server, request validation and secret
 * scrubbing come from core's runtime wrapper.
 */
export class OpenStackDriver implements PlatformDriver {
  readonly kind: string = 'openstack';
  readonly capabilities: DriverCapabilities = OPENSTACK_CAPABILITIES;
  readonly #o: OpenStackDriverOptions;
  readonly #reads: ScaledReads;

  constructor(options: OpenStackDriverOptions) {
    this.#o = options;
    this.#reads = new ScaledReads(options.nova, options.cinder, options.scale);
  }

  async createServer(request: CreateServerRequest, options?: CallOptions): Promise<Server> {
    const call = resolveCallOptions(options, this.#o.wait);
    const id = await sendCreateServer(request, call, {
      nova: this.#o.nova,
      names: this.#o.names,
      clock: this.#o.clock,
      emit: this.#o.emit,
      retry: this.#o.retry,
      networksRequired: microversionAtLeast(this.#o.novaMicroversion, 2, 37),
      microversion: this.#o.novaMicroversion,
    });
    if (call.wait === false) return this.getServer({ serverId: id }, call);
    const group = request.antiAffinityGroup;
    if (group === undefined) return this.#waitBuilt(id, call);
    try {
      return await this.#waitBuilt(id, call);
    } catch (error) {
      if (!isNoValidHost(error)) throw error;
      return placementFailed(error, group, (serverId) => this.#o.nova.deleteServer(serverId, call.signal));
    }
  }

  #waitBuilt(id: string, call: ResolvedCallOptions): Promise<Server> {
    return this.#wait(call, 'build', this.#reads.watchServer(id), true, (watch) => ({
      description: `server ${id} to be ACTIVE`,
      probe: async (signal) => toServer(await watch.read(signal), this.#o.region),
      stateOf: (s) => s.providerStatus,
      check: (s) => {
        if (s.status === 'running') return verdict.done;
        if (s.status === 'error') return verdict.failed(s.fault ?? `server ${id} went to ERROR`);
        if (s.status === 'deleted') return verdict.failed(`server ${id} was deleted while building`);
        return verdict.pending;
      },
    }));
  }

  async getServer(request: ServerRef, options?: ReadOptions): Promise<Server> {
    checkOpenStackId('server', request.serverId, 'serverId');
    return toServer(await this.#reads.readServer(request.serverId, options?.signal), this.#o.region);
  }

  async getVolume(request: VolumeRef, options?: ReadOptions): Promise<Volume> {
    checkOpenStackId('volume', request.volumeId, 'volumeId');
    return toVolume(await this.#reads.readVolume(request.volumeId, options?.signal), this.#o.region);
  }

  listServers(filter: ServerFilter = {}, options?: ReadOptions): Promise<readonly Server[]> {
    return listServersOf(this.#o.nova, filter, this.#o.region, options?.signal);
  }

  listVolumes(filter: VolumeFilter = {}, options?: ReadOptions): Promise<readonly Volume[]> {
    return listVolumesOf(this.#o.cinder, filter, this.#o.region, options?.signal);
  }

  async attachVolume(request: AttachVolumeRequest, options?: CallOptions): Promise<VolumeAttachment> {
    const call = resolveCallOptions(options, this.#o.wait);
    // Nova reserves the device in the POST: once it is accepted, the next attach to the server may go.
    const sent = serverRelease(options);
    checkIds(request);
    if (request.readOnly) {
      throw new BrokerError('invalid-request', 'read-only attaches are not supported by Nova', {
        field: 'readOnly',
      });
    }
    return runAttach(
      {
        read: async () => {
          const [server, volume] = await Promise.all([
            this.getServer(request, call),
            this.getVolume(request, call),
          ]);
          return { server, volume, raw: undefined };
        },
        // With "cloud" the zones are not compared here: Nova's cross_az_attach decides.
        plan: ({ server, volume }) =>
          checkAttachable(server, this.#o.availabilityZonePolicy === 'cloud' ? withoutZone(volume) : volume),
        send: async ({ server, volume }) => {
          const created = await this.#o.nova.attachVolume(
            server.providerId,
            volume.providerId,
            request.device,
            call.signal,
          );
          const attachmentId = created.attachment_id ?? created.id;
          return {
            serverId: server.id,
            volumeId: volume.id,
            state: 'attaching',
            ...(attachmentId ? { id: attachmentId } : {}),
            ...(created.device ? { device: created.device } : {}),
          };
        },
        // Nova answers a lost race with 400 "already attached" or "status must be available".
        isRefusal: (error) =>
          isBrokerError(error, 'invalid-request', 'invalid-state', 'conflict') && error.field === undefined,
        reread: () => this.getVolume(request, call),
        unexplained: (error, { server }, fresh) => {
          // Cinder may not list the winner's attachment yet (it is only reserved), while
          // Nova's refusal already names it: "... is already attached to instances: <id>".
          const holder = isBrokerError(error) ? holderNamedIn(error.message) : undefined;
          if (holder === undefined || sameId(holder, server.providerId)) return error;
          return heldElsewhere(fresh, holder, server.id);
        },
        waitAttached: (pending, justSent) => this.#attachWait(call, request, pending, justSent),
        settle: () => this.#settle(call, request),
      },
      call,
      sent,
    );
  }

  async #attachWait(
    call: ResolvedCallOptions,
    request: VolumeRef & ServerRef,
    pending: VolumeAttachment,
    justSent: boolean,
  ): Promise<VolumeAttachment> {
    const done = await this.#wait(
      call,
      'attach',
      this.#reads.watchVolume(request.volumeId),
      justSent,
      (watch) => ({
        description: `volume ${pending.volumeId} to be in-use on server ${pending.serverId}`,
        probe: async (signal) => toVolume(await watch.read(signal), this.#o.region),
        stateOf: (v) => v.providerStatus,
        check: attachedTo(pending.serverId),
      }),
    );
    const found = done.attachments.find((a) => a.serverId === pending.serverId);
    const volumeId = found?.volumeId ?? pending.volumeId;
    const id = found?.id ?? pending.id;
    const device = found?.device || pending.device;
    return {
      serverId: found?.serverId ?? pending.serverId,
      volumeId,
      // gone again only when a detach that raced this attach took it away (see attachedTo)
      state: found?.state ?? 'detached',
      ...(id !== undefined ? { id } : {}),
      ...(device ? { device } : {}),
      guestPaths: guestPathsFor(volumeId, device),
      ...(found?.providerState !== undefined ? { providerState: found.providerState } : {}),
      ...(found?.readOnly !== undefined ? { readOnly: found.readOnly } : {}),
    };
  }

  /** Waits until the volume is out of every transition (an attach or detach another caller sent). */
  #settle(call: ResolvedCallOptions, request: VolumeRef): Promise<Volume> {
    return this.#wait(call, 'settle', this.#reads.watchVolume(request.volumeId), false, (watch) => ({
      description: `volume ${request.volumeId} to settle`,
      probe: async (signal) => toVolume(await watch.read(signal), this.#o.region),
      stateOf: (v) => v.providerStatus,
      check: volumeSettled,
    }));
  }

  async detachVolume(request: DetachVolumeRequest, options?: DetachOptions): Promise<DetachVolumeResult> {
    const call = resolveCallOptions(options, this.#o.wait);
    // Nova took the DELETE (or one was under way): the server's next attach or detach may go.
    const sent = serverRelease(options);
    checkIds(request);
    if (options?.force === true) return this.#forceDetach(request, call, sent);
    return runDetach<Volume>(
      {
        // The server read makes a detach from a missing server `not-found`, not a silent no-op.
        read: async () =>
          (await Promise.all([this.getServer(request, call), this.getVolume(request, call)]))[1],
        view: (volume) => volume,
        plan: (volume) => planDetach(request.serverId, volume),
        settle: () => this.#settle(call, request),
        send: (volume) => this.#sendDetach(request, call, volume),
        // Cinder's own answer after the DELETE (`detaching`), not the volume as read before it.
        unwaited: () => this.getVolume(request, call),
        waitDetached: () => this.#detachWait(request, call),
      },
      call,
      sent,
    );
  }

  /** Nova's DELETE of the attachment, unless one is under way; a volume when Nova no longer knew it. */
  async #sendDetach(
    request: DetachVolumeRequest,
    call: ResolvedCallOptions,
    volume: Volume,
  ): Promise<Volume | undefined> {
    if (isErrorStatus(volume.providerStatus)) {
      // Cinder refuses to begin a detach from an error state; say so without asking Nova.
      throw new BrokerError(
        'provider-error',
        `volume ${volume.id} is in ${volume.providerStatus}; it cannot be detached`,
        { lastState: volume, providerCode: volume.providerStatus },
      );
    }
    // A detach already under way is waited for, not sent again.
    if (volume.providerStatus === 'detaching') return undefined;
    try {
      await this.#o.nova.detachVolume(request.serverId, request.volumeId, call.signal);
      return undefined;
    } catch (error) {
      if (!isBrokerError(error, 'not-found')) throw error;
      // Nova no longer knows the attachment: it went away between our read and the DELETE.
      const now = await this.getVolume(request, call);
      if (!now.attachments.some((a) => a.serverId === request.serverId)) return now;
      throw error;
    }
  }

  /**
   * Waits on both sides: Cinder can say `available` while Nova still lists the attachment for
   * a moment, and an attach in that window is refused (openstack/heat waits for Nova's 404 likewise).
   */
  async #detachWait(request: DetachVolumeRequest, call: ResolvedCallOptions): Promise<Volume> {
    const released = detachedFrom(request.serverId);
    const novaLists = (signal: AbortSignal | undefined) =>
      this.#o.nova.hasVolumeAttachment(request.serverId, request.volumeId, signal);
    const watch = this.#reads.watchVolume(request.volumeId);
    const serverWatch = this.#reads.watchServer(request.serverId);
    const volumeOf = async (signal: AbortSignal | undefined) =>
      toVolume(await watch.read(signal), this.#o.region);
    // Nova's side once Cinder is done: from the shared server list (its volumes_attached) when
    // the server's reads are shared, so concurrent detaches cost no request each; else Nova's
    // attachment API, as always.
    const novaSide = async (signal: AbortSignal | undefined): Promise<boolean> => {
      if (serverWatch.shared?.sharing) {
        const listed = serverListsVolume(await orGone(serverWatch.read(signal)), request.volumeId);
        if (listed !== undefined) return listed;
      }
      return novaLists(signal);
    };
    // While the wait shares its reads, Cinder's side comes from the shared list and Nova is
    // asked only once Cinder is done; alone, both are read on every poll, as always.
    const probe = async (signal: AbortSignal | undefined): Promise<DetachProbe> => {
      if (watch.shared?.sharing) {
        const volume = await volumeOf(signal);
        return { volume, novaLists: released(volume).done ? await novaSide(signal) : false };
      }
      const [volume, lists] = await Promise.all([volumeOf(signal), novaLists(signal)]);
      return { volume, novaLists: lists };
    };
    try {
      const done = await this.#wait<DetachProbe, CinderVolume>(call, 'detach', watch, true, () => ({
        description: `volume ${request.volumeId} to be detached from server ${request.serverId} in Cinder and Nova`,
        probe,
        stateOf: (p) =>
          p.novaLists ? `${p.volume.providerStatus}, still listed by nova` : p.volume.providerStatus,
        check: (p) => {
          const cinder = released(p.volume);
          return cinder.done && p.novaLists ? verdict.pending : cinder;
        },
      }));
      return done.volume;
    } finally {
      serverWatch.close();
    }
  }

  /**
   * A forced detach: Nova's own detach first, given a grace to finish, then Cinder's
   * os-force_detach for what is left; the wait is Cinder's alone (see force-detach.ts).
   */
  async #forceDetach(
    request: DetachVolumeRequest,
    call: ResolvedCallOptions,
    sent: () => void,
  ): Promise<DetachVolumeResult> {
    const [, first] = await Promise.all([this.getServer(request, call), this.getVolume(request, call)]);
    const volume = await settleDetach<Volume>(
      {
        view: (v) => v,
        plan: (v) => planForcedDetach(request.serverId, v, true),
        settle: () => this.#settle(call, request),
      },
      call,
      first,
    );
    if (!stillOn(volume, request.serverId)) return { volume, detached: false };
    const released = (c: ResolvedCallOptions) =>
      this.#wait(c, 'force-detach', this.#reads.watchVolume(request.volumeId), false, (watch) => ({
        description: `volume ${request.volumeId} to be force-detached from server ${request.serverId}`,
        probe: async (signal) => toVolume(await watch.read(signal), this.#o.region),
        stateOf: (v) => v.providerStatus,
        check: detachedFrom(request.serverId),
      }));
    const wait = call.wait;
    let graceUsed = 0;
    if (volume.providerStatus === 'in-use' && (await askNovaFirst(this.#o.nova, request, call)) && wait) {
      // Nova took its DELETE; the grace is a wait, and Cinder's force that may follow picks no device.
      sent();
      const started = this.#o.clock.now();
      const grace = novaGraceMs(wait.timeoutMs);
      try {
        return { volume: await released({ ...call, wait: { ...wait, timeoutMs: grace } }), detached: true };
      } catch (error) {
        // Nova's detach did not finish in the grace (or ended in an error state): force it.
        if (!isBrokerError(error, 'timeout', 'provider-error')) throw error;
      }
      graceUsed = this.#o.clock.now() - started;
    }
    await forceInCinder(this.#o.cinder, request, call);
    sent();
    // Cinder's answer after the force, as for a plain detach, not the volume as read before it.
    if (wait === false) return { volume: await this.getVolume(request, call), detached: true };
    const done = await released({
      ...call,
      wait: { ...wait, timeoutMs: Math.max(0, wait.timeoutMs - graceUsed) },
    });
    return { volume: done, detached: true };
  }

  async deleteServer(request: ServerRef, options?: CallOptions): Promise<DeleteServerResult> {
    const call = resolveCallOptions(options, this.#o.wait);
    checkOpenStackId('server', request.serverId, 'serverId');
    try {
      await this.#o.nova.deleteServer(request.serverId, call.signal);
    } catch (error) {
      if (isBrokerError(error, 'not-found')) return { serverId: request.serverId, deleted: false };
      throw error;
    }
    if (call.wait === false) return { serverId: request.serverId, deleted: true };
    await this.#wait<NovaServer | undefined, NovaServer>(
      call,
      'delete',
      this.#reads.watchServer(request.serverId),
      true,
      (watch) => ({
        description: `server ${request.serverId} to be deleted`,
        probe: (signal) => orGone(watch.read(signal)),
        stateOf: (s) => s?.status ?? 'gone',
        check: (s) => {
          // Gone means 404: a DELETED row can still be read for a moment, and the contract promises not-found after the wait.
          if (s === undefined) return verdict.done;
          if (s.status === 'DELETED') return verdict.pending;
          // Nova sets task_state "deleting" before it answers the DELETE, also for a server already in ERROR;
          // ERROR without it means the delete itself failed, and waiting would only run out the deadline.
          if (s.status === 'ERROR' && s['OS-EXT-STS:task_state'] !== 'deleting') {
            return verdict.failed(s.fault?.message ?? `server ${s.id} is in ERROR and no longer deleting`);
          }
          return verdict.pending;
        },
      }),
    );
    return { serverId: request.serverId, deleted: true };
  }

  /**
   * One wait of `operation` over `watch`'s reads: paced by what the platform has learned
   * of the operation, on the shared poll grid when coalesced; the watch is closed at the end.
   * `justSent`: the wait follows the driver's own request for the change.
   */
  async #wait<T, V = unknown>(
    call: ResolvedCallOptions,
    operation: string,
    watch: ResourceWatch<V>,
    justSent: boolean,
    build: (watch: ResourceWatch<V>) => Pick<WaitSpec<T>, 'description' | 'probe' | 'stateOf' | 'check'>,
  ): Promise<T> {
    const spec = build(watch);
    const pacing = this.#reads.pacing(operation, watch);
    try {
      return await waitFor<T>({
        description: spec.description,
        probe: spec.probe,
        stateOf: spec.stateOf,
        check: spec.check,
        options: call.wait as ResolvedWaitOptions,
        signal: call.signal,
        clock: this.#o.clock,
        emit: this.#o.emit,
        pacing,
        // With the scale features on, a change just sent is not read back at once: the cloud
        // cannot have finished it, and the read would cost a request of the budget.
        ...(justSent && pacing ? { probeFirst: false } : {}),
      });
    } finally {
      watch.close();
    }
  }
}

/** The volume as the zone rule sees it when the cloud decides: no zone to compare. */
function withoutZone(volume: Volume): Volume {
  const { availabilityZone: _zone, ...rest } = volume;
  return rest;
}

/** What a detach wait reads on each poll: Cinder's volume and whether Nova still lists it. */
interface DetachProbe {
  readonly volume: Volume;
  readonly novaLists: boolean;
}

/** A server read, or undefined once Nova answers 404. */
async function orGone(read: Promise<NovaServer>): Promise<NovaServer | undefined> {
  try {
    return await read;
  } catch (error) {
    if (isBrokerError(error, 'not-found')) return undefined;
    throw error;
  }
}

/** Both ids of an attach or detach, checked before either read is sent. */
function checkIds(request: ServerRef & VolumeRef): void {
  checkOpenStackId('server', request.serverId, 'serverId');
  checkOpenStackId('volume', request.volumeId, 'volumeId');
}
