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
  afterRefusal,
  attachedTo,
  checkAttachable,
  detachedFrom,
  heldElsewhere,
  isErrorStatus,
  MAX_SETTLE_ROUNDS,
  neverSettled,
  type PlatformScale,
  planDetach,
  planForcedDetach,
  type ResolvedCallOptions,
  type ResolvedWaitOptions,
  resolveCallOptions,
  serverRelease,
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
import type { Mutable } from './operations/mutable.js';
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
    return this.#waitBuilt(id, call).catch((error: unknown) => {
      if (!isNoValidHost(error)) throw error;
      return placementFailed(error, group, (serverId) => this.#o.nova.deleteServer(serverId, call.signal));
    });
  }

  #waitBuilt(id: string, call: ResolvedCallOptions): Promise<Server> {
    return this.#wait(call, 'build', this.#reads.watchServer(id), true, (watch) => ({
      description: `server ${id} to be ACTIVE`,
      probe: (signal) => watch.read(signal).then((s) => toServer(s, this.#o.region)),
      stateOf: (s) => s.providerStatus,
      check: (s) => {
        if (s.status === 'running') return verdict.done;
        if (s.status === 'error') return verdict.failed(s.fault ?? `server ${id} went to ERROR`);
        if (s.status === 'deleted') return verdict.failed(`server ${id} was deleted while building`);
        return verdict.pending;
      },
    }));
  }

  // Chains, not async functions: the prechecks and polls of every attach and detach read through
  // these. `settled` keeps them from ever throwing synchronously, as async functions never do.
  getServer(request: ServerRef, options?: ReadOptions): Promise<Server> {
    return settled(() => {
      checkOpenStackId('server', request.serverId, 'serverId');
      return this.#reads
        .readServer(request.serverId, options?.signal)
        .then((s) => toServer(s, this.#o.region));
    });
  }

  getVolume(request: VolumeRef, options?: ReadOptions): Promise<Volume> {
    return settled(() => {
      checkOpenStackId('volume', request.volumeId, 'volumeId');
      return this.#reads
        .readVolume(request.volumeId, options?.signal)
        .then((v) => toVolume(v, this.#o.region));
    });
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
    for (let round = 0; ; round++) {
      const [server, volume] = await Promise.all([
        this.getServer(request, call),
        this.getVolume(request, call),
      ]);
      // With "cloud" the zones are not compared here: Nova's cross_az_attach decides.
      let plan = checkAttachable(
        server,
        this.#o.availabilityZonePolicy === 'cloud' ? withoutZone(volume) : volume,
      );
      if (plan.action === 'send') {
        try {
          const created = await this.#o.nova.attachVolume(
            server.providerId,
            volume.providerId,
            request.device,
            call.signal,
          );
          sent();
          const attachmentId = created.attachment_id ?? created.id;
          const pending: VolumeAttachment = {
            serverId: server.id,
            volumeId: volume.id,
            state: 'attaching',
            ...(attachmentId ? { id: attachmentId } : {}),
            ...(created.device ? { device: created.device } : {}),
          };
          return await this.#attachWait(call, request, pending, false);
        } catch (error) {
          // Nova answers a lost race with 400 "already attached" or "status must be available":
          // read again and say what happened (ours after all, or a conflict naming the holder).
          if (!isBrokerError(error, 'invalid-request', 'invalid-state', 'conflict')) throw error;
          if (error.field !== undefined) throw error;
          const fresh = await this.getVolume(request, call);
          const next = afterRefusal(server, fresh);
          if (next !== undefined) {
            plan = next;
          } else {
            // Cinder may not list the winner's attachment yet (it is only reserved), while
            // Nova's refusal already names it: "... is already attached to instances: <id>".
            const holder = holderNamedIn(error.message);
            if (holder === undefined || sameId(holder, server.providerId)) throw error;
            throw heldElsewhere(fresh, holder, server.id);
          }
        }
      }
      if (plan.action === 'attached') return { ...plan.attachment, alreadyAttached: true };
      if (plan.action === 'attaching') {
        // Only waited for, nothing sent: no device of ours to keep the server for.
        sent();
        return this.#attachWait(call, request, plan.attachment, true);
      }
      if (round >= MAX_SETTLE_ROUNDS || call.wait === false) throw neverSettled(volume, 'attachVolume');
      await this.#settle(call, request);
    }
  }

  async #attachWait(
    call: ResolvedCallOptions,
    request: VolumeRef & ServerRef,
    pending: VolumeAttachment,
    already: boolean,
  ): Promise<VolumeAttachment> {
    const mark = (a: VolumeAttachment): VolumeAttachment => (already ? { ...a, alreadyAttached: true } : a);
    if (call.wait === false) return mark(pending);
    const done = await this.#wait(
      call,
      'attach',
      this.#reads.watchVolume(request.volumeId),
      !already,
      (watch) => ({
        description: `volume ${pending.volumeId} to be in-use on server ${pending.serverId}`,
        probe: (signal) => watch.read(signal).then((v) => toVolume(v, this.#o.region)),
        stateOf: (v) => v.providerStatus,
        check: attachedTo(pending.serverId),
      }),
    );
    const found = done.attachments.find((a) => a.serverId === pending.serverId);
    // Built field by field: spreads followed by more fields were this call's costliest line.
    const attached: Mutable<VolumeAttachment> = {
      serverId: found?.serverId ?? pending.serverId,
      volumeId: found?.volumeId ?? pending.volumeId,
      // gone again only when a detach that raced this attach took it away (see attachedTo)
      state: found?.state ?? 'detached',
    };
    const id = found?.id ?? pending.id;
    if (id !== undefined) attached.id = id;
    const device = found?.device || pending.device;
    if (device) attached.device = device;
    attached.guestPaths = guestPathsFor(attached.volumeId, device);
    if (found?.providerState !== undefined) attached.providerState = found.providerState;
    if (found?.readOnly !== undefined) attached.readOnly = found.readOnly;
    return mark(attached);
  }

  /** Waits until the volume is out of every transition (an attach or detach another caller sent). */
  #settle(call: ResolvedCallOptions, request: VolumeRef): Promise<Volume> {
    return this.#wait(call, 'settle', this.#reads.watchVolume(request.volumeId), false, (watch) => ({
      description: `volume ${request.volumeId} to settle`,
      probe: (signal) => watch.read(signal).then((v) => toVolume(v, this.#o.region)),
      stateOf: (v) => v.providerStatus,
      check: volumeSettled,
    }));
  }

  async detachVolume(request: DetachVolumeRequest, options?: DetachOptions): Promise<DetachVolumeResult> {
    const call = resolveCallOptions(options, this.#o.wait);
    const sent = serverRelease(options);
    checkIds(request);
    if (options?.force === true) return this.#forceDetach(request, call, sent);
    // The server read makes a detach from a missing server `not-found`, not a silent no-op.
    let [, volume] = await Promise.all([this.getServer(request, call), this.getVolume(request, call)]);
    // An attach to this server in flight (Cinder names no server while `attaching`) is let land, then detached.
    for (let round = 0; planDetach(request.serverId, volume) === 'settle'; round++) {
      if (round >= MAX_SETTLE_ROUNDS || call.wait === false) throw neverSettled(volume, 'detachVolume');
      volume = await this.#settle(call, request);
    }
    if (!volume.attachments.some((a) => a.serverId === request.serverId)) return { volume, detached: false };
    if (isErrorStatus(volume.providerStatus)) {
      // Cinder refuses to begin a detach from an error state; say so without asking Nova.
      throw new BrokerError(
        'provider-error',
        `volume ${volume.id} is in ${volume.providerStatus}; it cannot be detached`,
        {
          lastState: volume,
          providerCode: volume.providerStatus,
        },
      );
    }
    // A detach already under way is waited for, not sent again.
    if (volume.providerStatus !== 'detaching') {
      try {
        await this.#o.nova.detachVolume(request.serverId, request.volumeId, call.signal);
      } catch (error) {
        if (!isBrokerError(error, 'not-found')) throw error;
        // Nova no longer knows the attachment: it went away between our read and the DELETE.
        const now = await this.getVolume(request, call);
        if (!now.attachments.some((a) => a.serverId === request.serverId))
          return { volume: now, detached: false };
        throw error;
      }
    }
    // Nova took the DELETE (or one was under way): the server's next attach or detach may go.
    sent();
    // Cinder's own answer after the DELETE (`detaching`), not the volume as read before it.
    if (call.wait === false) return { volume: await this.getVolume(request, call), detached: true };
    // Both sides: Cinder can say `available` while Nova still lists the attachment for a moment,
    // and an attach in that window is refused (openstack/heat waits for Nova's 404 likewise).
    const released = detachedFrom(request.serverId);
    const novaLists = (signal: AbortSignal | undefined) =>
      this.#o.nova.hasVolumeAttachment(request.serverId, request.volumeId, signal);
    const watch = this.#reads.watchVolume(request.volumeId);
    const serverWatch = this.#reads.watchServer(request.serverId);
    const volumeOf = (signal: AbortSignal | undefined) =>
      watch.read(signal).then((v) => toVolume(v, this.#o.region));
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
    const probe = (signal: AbortSignal | undefined): Promise<DetachProbe> =>
      watch.shared?.sharing
        ? volumeOf(signal).then((v) =>
            released(v).done
              ? novaSide(signal).then((lists) => ({ volume: v, novaLists: lists }))
              : { volume: v, novaLists: false },
          )
        : Promise.all([volumeOf(signal), novaLists(signal)]).then(([v, lists]) => ({
            volume: v,
            novaLists: lists,
          }));
    const done = await this.#wait<DetachProbe, CinderVolume>(call, 'detach', watch, true, () => ({
      description: `volume ${request.volumeId} to be detached from server ${request.serverId} in Cinder and Nova`,
      probe,
      stateOf: (p) =>
        p.novaLists ? `${p.volume.providerStatus}, still listed by nova` : p.volume.providerStatus,
      check: (p) => {
        const cinder = released(p.volume);
        return cinder.done && p.novaLists ? verdict.pending : cinder;
      },
    })).finally(() => serverWatch.close());
    return { volume: done.volume, detached: true };
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
    let [, volume] = await Promise.all([this.getServer(request, call), this.getVolume(request, call)]);
    for (let round = 0; planForcedDetach(request.serverId, volume, true) === 'settle'; round++) {
      if (round >= MAX_SETTLE_ROUNDS || call.wait === false) throw neverSettled(volume, 'detachVolume');
      volume = await this.#settle(call, request);
    }
    if (!stillOn(volume, request.serverId)) return { volume, detached: false };
    const released = (c: ResolvedCallOptions) =>
      this.#wait(c, 'force-detach', this.#reads.watchVolume(request.volumeId), false, (watch) => ({
        description: `volume ${request.volumeId} to be force-detached from server ${request.serverId}`,
        probe: (signal) => watch.read(signal).then((v) => toVolume(v, this.#o.region)),
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
function orGone(read: Promise<NovaServer>): Promise<NovaServer | undefined> {
  return read.catch((error: unknown) => {
    if (isBrokerError(error, 'not-found')) return undefined;
    throw error;
  });
}

/** Both ids of an attach or detach, checked before either read is sent. */
function checkIds(request: ServerRef & VolumeRef): void {
  checkOpenStackId('server', request.serverId, 'serverId');
  checkOpenStackId('volume', request.volumeId, 'volumeId');
}

/** `work()`, or its synchronous throw as a rejection. */
function settled<T>(work: () => Promise<T>): Promise<T> {
  try {
    return work();
  } catch (error) {
    return Promise.reject(error);
  }
}
