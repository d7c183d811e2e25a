import {
  DetachVolumeCommand,
  type EC2Client,
  type VolumeAttachment as Ec2Attachment,
  type Volume as Ec2Volume,
  type Instance,
  RunInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import type { AttachVolumeRequest, CreateServerRequest, DetachVolumeRequest } from '@hybrid-broker/core';
import {
  BrokerError,
  type CallOptions,
  type DeleteServerResult,
  type DetachOptions,
  type DetachVolumeResult,
  type DriverContext,
  isBrokerError,
  type PlatformDriver,
  type ReadOptions,
  type Server,
  type ServerFilter,
  type ServerRef,
  type Volume,
  type VolumeAttachment,
  type VolumeFilter,
  type VolumeRef,
} from '@hybrid-broker/core';
import {
  checkSameCreate,
  planDetach,
  REQUEST_DIGEST_KEY,
  type ResolvedCallOptions,
  resolveCallOptions,
  runAttach,
  runDetach,
  serverRelease,
  volumeSettled,
  type WaitSpec,
  waitFor,
} from '@hybrid-broker/core/driver-kit';
import { devicesOf, planAttach } from './attach-preconditions.js';
import { sendAttach } from './attach-send.js';
import { AWS_CAPABILITIES } from './aws-capabilities.js';
import { clientTokenFor, IDEMPOTENCY_TAG } from './client-token.js';
import { deviceInUse } from './device-names.js';
import { ec2Call, findInstanceByTag, notFound } from './ec2-calls.js';
import { closeRetries } from './ec2-client.js';
import { checkCreateInput, checkEc2Id } from './ec2-input-checks.js';
import { listEbsVolumes, listInstances } from './ec2-lists.js';
import { toAttachment, toServer, toVolume } from './ec2-mappers.js';
import { Ec2Reads, type WaitReads } from './ec2-reads.js';
import { attachCheck, detachCheck, launchCheck, terminateCheck } from './ec2-wait-checks.js';
import { asPlacementFailure, ensureSpreadGroup } from './placement-groups.js';
import { runInstancesInput } from './run-instances-input.js';

/** createServer fields an EC2 "not found" or "invalid" error can point at: the caller's input was wrong. */
const CREATE_FIELDS = new Set([
  'image',
  'flavor',
  'networks',
  'securityGroups',
  'keyName',
  'availabilityZone',
]);

/**
 * PlatformDriver for EC2 instances and EBS volumes. Every EC2 request goes
 * through the SDK, whose retry strategy is the one retry layer (throttling,
 * 5xx, network errors; RunInstances keeps its ClientToken across those
 * retries), so the driver never repeats a request itself.
 */
export class AwsDriver implements PlatformDriver {
  readonly kind = 'aws';
  readonly capabilities = AWS_CAPABILITIES;
  readonly #client: EC2Client;
  readonly #region: string;
  readonly #context: DriverContext;
  readonly #reads: Ec2Reads;

  constructor(client: EC2Client, region: string, context: DriverContext) {
    this.#client = client;
    this.#region = region;
    this.#context = context;
    this.#reads = new Ec2Reads(client, Ec2Reads.scaleOf(context));
  }

  async createServer(request: CreateServerRequest, options?: CallOptions): Promise<Server> {
    checkCreateInput(request);
    const call = resolveCallOptions(options, this.#context.wait);
    const input = runInstancesInput(request, call.idempotencyKey);
    const key = call.idempotencyKey;
    // The ClientToken makes EC2 return the first instance, but only within its window and with equal
    // parameters; a look-up by the token's tag finds it in every other case, from any process.
    const earlier =
      key === undefined
        ? undefined
        : await findInstanceByTag(
            this.#client,
            { key: IDEMPOTENCY_TAG, value: clientTokenFor(key) },
            call.signal,
          );
    // the key's instance, unless the key was reused for another request (conflict)
    if (earlier !== undefined && key !== undefined)
      checkSameCreate(key, earlier.Tags?.find((t) => t.Key === REQUEST_DIGEST_KEY)?.Value, request);
    const group = request.antiAffinityGroup;
    if (earlier === undefined && group !== undefined)
      await ensureSpreadGroup(this.#client, group, call.signal);
    const out =
      earlier !== undefined
        ? { Instances: [earlier], $metadata: {} as { requestId?: string } }
        : await ec2Call('RunInstances', call.signal, (o) =>
            this.#client.send(new RunInstancesCommand(input), o),
          ).catch((error: unknown) => {
            throw group === undefined
              ? asCreateInputError(error)
              : asPlacementFailure(asCreateInputError(error), group);
          });
    const launched = out.Instances?.[0];
    const id = launched?.InstanceId;
    if (launched === undefined || id === undefined) {
      throw new BrokerError('provider-error', 'RunInstances returned no instance', {
        ...(out.$metadata.requestId === undefined ? {} : { requestId: out.$metadata.requestId }),
      });
    }
    if (call.wait === false) return toServer(launched, this.#region);
    const running = await this.#wait(call, this.#reads.instanceWait(id, 'build'), {
      description: `server ${id} to be running`,
      check: launchCheck,
      stateOf: (i) => i?.State?.Name ?? 'not visible yet',
    });
    return toServer(running ?? launched, this.#region);
  }

  async getServer(request: ServerRef, options?: ReadOptions): Promise<Server> {
    checkEc2Id('instance', request.serverId, 'serverId');
    return toServer(await this.#liveInstance(request.serverId, options?.signal), this.#region);
  }

  async getVolume(request: VolumeRef, options?: ReadOptions): Promise<Volume> {
    checkEc2Id('volume', request.volumeId, 'volumeId');
    return toVolume(await this.#reads.readVolume(request.volumeId, options?.signal), this.#region);
  }

  listServers(filter: ServerFilter = {}, options?: ReadOptions): Promise<readonly Server[]> {
    return listInstances(this.#client, filter, this.#region, options?.signal);
  }

  listVolumes(filter: VolumeFilter = {}, options?: ReadOptions): Promise<readonly Volume[]> {
    return listEbsVolumes(this.#client, filter, this.#region, options?.signal);
  }

  async attachVolume(request: AttachVolumeRequest, options?: CallOptions): Promise<VolumeAttachment> {
    checkEc2Id('instance', request.serverId, 'serverId');
    checkEc2Id('volume', request.volumeId, 'volumeId');
    const call = resolveCallOptions(options, this.#context.wait);
    // EC2 lists the `attaching` mapping as soon as AttachVolume is accepted: from then on the
    // device is taken (and sendAttach re-picks on "already in use"), so the next attach may go.
    const sent = serverRelease(options);
    const { serverId, volumeId } = request;
    return runAttach<Instance>(
      {
        read: async () => {
          const [instance, volume] = await Promise.all([
            this.#liveInstance(serverId, call.signal),
            this.#reads.readVolume(volumeId, call.signal),
          ]);
          return {
            server: toServer(instance, this.#region),
            volume: toVolume(volume, this.#region),
            raw: instance,
          };
        },
        plan: ({ server, volume }) => planAttach(server, volume),
        send: async ({ raw }) => {
          const used = devicesOf(raw);
          if (request.device !== undefined && deviceInUse(request.device, used)) {
            throw new BrokerError(
              'conflict',
              `device ${request.device} is already in use on server ${serverId}`,
              {
                field: 'device',
              },
            );
          }
          const target = { serverId, volumeId, requested: request.device, used };
          const { out, device } = await sendAttach(this.#client, target, call.signal);
          return toAttachment({ ...out, Device: out.Device ?? device }, volumeId);
        },
        // VolumeInUse (or IncorrectState) after our read: another broker won the race.
        isRefusal: (error) => isBrokerError(error, 'conflict', 'invalid-state') && error.field === undefined,
        reread: async () => toVolume(await this.#reads.volume(volumeId, call.signal), this.#region),
        waitAttached: (pending) => this.#attachWait(call, serverId, pending),
        settle: () => this.#settle(call, volumeId),
      },
      call,
      sent,
    );
  }

  async #attachWait(
    call: ResolvedCallOptions,
    serverId: string,
    pending: VolumeAttachment,
  ): Promise<VolumeAttachment> {
    const volumeId = pending.volumeId;
    const done = await this.#wait(call, this.#reads.volumeWait(volumeId, 'attach'), {
      description: `volume ${volumeId} to be in-use on server ${serverId}`,
      check: attachCheck(serverId),
      stateOf: (v) => stateOfVolume(v.State, v.Attachments?.find((a) => a.InstanceId === serverId)?.State),
    });
    const attachment = done.Attachments?.find((a) => a.InstanceId === serverId);
    return attachment ? toAttachment(attachment, volumeId) : pending;
  }

  /** Waits until the volume is out of every transition (an attach or detach another caller sent). */
  async #settle(call: ResolvedCallOptions, volumeId: string): Promise<Volume> {
    const settled = await this.#wait(call, this.#reads.volumeWait(volumeId, 'settle'), {
      description: `volume ${volumeId} to settle`,
      check: (v) => volumeSettled(toVolume(v, this.#region)),
      stateOf: (v) => toVolume(v, this.#region).providerStatus,
    });
    return toVolume(settled, this.#region);
  }

  async detachVolume(request: DetachVolumeRequest, options?: DetachOptions): Promise<DetachVolumeResult> {
    checkEc2Id('instance', request.serverId, 'serverId');
    checkEc2Id('volume', request.volumeId, 'volumeId');
    const call = resolveCallOptions(options, this.#context.wait);
    // EC2 took the DetachVolume (or one was under way): the server's next attach or detach may go.
    const sent = serverRelease(options);
    const { serverId, volumeId } = request;
    const force = options?.force === true;
    const attachmentOf = (v: Ec2Volume) =>
      v.Attachments?.find((a) => a.InstanceId === serverId && a.State !== 'detached');
    let answer: Ec2Attachment | undefined;
    return runDetach<Ec2Volume>(
      {
        read: () => this.#reads.readVolume(volumeId, call.signal),
        view: (v) => toVolume(v, this.#region),
        plan: (v) => planDetach(serverId, toVolume(v, this.#region)),
        settle: async () => {
          await this.#settle(call, volumeId);
          return this.#reads.volume(volumeId, call.signal);
        },
        held: (v) => attachmentOf(v) !== undefined,
        // Nothing to do, but a missing server is still an error the caller should see.
        confirmNothingToDo: async () => {
          await this.#reads.instance(serverId, call.signal);
        },
        send: async (current) => {
          // A detach already under way (`detaching`, or `busy` while the guest holds the device) is only
          // waited for, unless forced: EC2's `Force` is for exactly that stuck detach (the guest then
          // gets no chance to flush, as the DetachVolume reference warns).
          if (attachmentOf(current)?.State !== 'attached' && !force) return undefined;
          const input = { VolumeId: volumeId, InstanceId: serverId, ...(force ? { Force: true } : {}) };
          answer = await ec2Call(`DetachVolume ${volumeId} from ${serverId}`, call.signal, (o) =>
            this.#client.send(new DetachVolumeCommand(input), o),
          );
          return undefined;
        },
        // EC2's own answer (`detaching`), not the volume as read before the detach.
        unwaited: async (current) =>
          toVolume(withAttachmentState(current, serverId, answer?.State), this.#region),
        waitDetached: async () => {
          const done = await this.#wait(call, this.#reads.volumeWait(volumeId, 'detach'), {
            description: `volume ${volumeId} to be detached from server ${serverId}`,
            check: detachCheck(serverId),
            stateOf: (v) =>
              stateOfVolume(v.State, v.Attachments?.find((a) => a.InstanceId === serverId)?.State),
          });
          return toVolume(done, this.#region);
        },
      },
      call,
      sent,
    );
  }

  async deleteServer(request: ServerRef, options?: CallOptions): Promise<DeleteServerResult> {
    checkEc2Id('instance', request.serverId, 'serverId');
    const call = resolveCallOptions(options, this.#context.wait);
    const { serverId } = request;
    let previous: string | undefined;
    try {
      const out = await ec2Call(`TerminateInstances ${serverId}`, call.signal, (o) =>
        this.#client.send(new TerminateInstancesCommand({ InstanceIds: [serverId] }), o),
      );
      previous = out.TerminatingInstances?.find((t) => t.InstanceId === serverId)?.PreviousState?.Name;
    } catch (error) {
      if (isBrokerError(error, 'not-found')) return { serverId, deleted: false };
      throw error;
    }
    if (previous === 'terminated') return { serverId, deleted: false };
    if (call.wait !== false) {
      await this.#wait(call, this.#reads.instanceWait(serverId, 'terminate'), {
        description: `server ${serverId} to be terminated`,
        check: terminateCheck,
        stateOf: (i) => i?.State?.Name ?? 'gone',
      });
    }
    return { serverId, deleted: true };
  }

  async close(): Promise<void> {
    await closeRetries(this.#client);
    this.#client.destroy();
  }

  /** An instance that can still run: EC2 lists a terminated one for about an hour, but it is gone. */
  async #liveInstance(serverId: string, signal: AbortSignal | undefined): Promise<Instance> {
    const instance = await this.#reads.readInstance(serverId, signal);
    if (instance.State?.Name === 'terminated') throw notFound('server', serverId, 'terminated');
    return instance;
  }

  /** Polls through `reads` (shared with concurrent waits when coalescing is on) until `check` says done. */
  async #wait<T>(
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
        clock: this.#context.services.clock,
        emit: this.#context.emit,
        pacing: reads.pacing,
      });
    } finally {
      reads.close();
    }
  }
}

function stateOfVolume(state: string | undefined, attachment: string | undefined): string {
  return attachment === undefined ? (state ?? 'unknown') : `${state ?? 'unknown'}/${attachment}`;
}

/** An EC2 complaint about an image, subnet, group, key or zone is the caller's input: invalid-request naming it. */
/** `volume` with its attachment to `serverId` in the state EC2 just answered (when it answered one). */
function withAttachmentState(volume: Ec2Volume, serverId: string, state: string | undefined): Ec2Volume {
  if (state === undefined) return volume;
  return {
    ...volume,
    Attachments: volume.Attachments?.map((a) =>
      a.InstanceId === serverId ? { ...a, State: state as Ec2Attachment['State'] } : a,
    ),
  };
}

function asCreateInputError(error: unknown): unknown {
  if (!isBrokerError(error, 'not-found', 'invalid-request')) return error;
  if (error.field === undefined || !CREATE_FIELDS.has(error.field)) return error;
  return new BrokerError('invalid-request', error.message, { ...error.details(), retryable: false });
}
