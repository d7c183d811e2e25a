import {
  type EC2Client,
  type Instance,
  RunInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import type {
  AttachVolumeRequest,
  CreateServerRequest,
  CreateVolumeRequest,
  DeleteVolumeResult,
  DetachVolumeRequest,
  Flavor,
  FlavorFilter,
  Image,
  ImageFilter,
} from '@hybrid-broker/core';
import {
  BrokerError,
  type CallOptions,
  type DeleteServerResult,
  type DetachOptions,
  type DetachVolumeResult,
  type DriverContext,
  isBrokerError,
  type ListPage,
  type PageOptions,
  type PlatformDriver,
  type PowerOperation,
  type ReadOptions,
  type Server,
  type ServerFilter,
  type ServerRef,
  type SetServerMetadataRequest,
  type SetVolumeMetadataRequest,
  type Volume,
  type VolumeAttachment,
  type VolumeFilter,
  type VolumeRef,
} from '@hybrid-broker/core';
import {
  checkSameCreate,
  REQUEST_DIGEST_KEY,
  type ResolvedCallOptions,
  resolveCallOptions,
  serverRelease,
  type WaitSpec,
} from '@hybrid-broker/core/driver-kit';
import { attachVolumeOn } from './attach-volume.js';
import { AWS_CAPABILITIES } from './aws-capabilities.js';
import { clientTokenFor, IDEMPOTENCY_TAG } from './client-token.js';
import { detachVolumeOn } from './detach-volume.js';
import { ec2Call, findInstanceByTag, notFound } from './ec2-calls.js';
import { DEFAULT_EC2_CATALOG, Ec2Catalog, type Ec2CatalogOptions } from './ec2-catalog.js';
import { closeRetries } from './ec2-client.js';
import { checkCreateInput, checkEc2Id } from './ec2-input-checks.js';
import { listEbsVolumes, listInstances } from './ec2-lists.js';
import { toServer, toVolume } from './ec2-mappers.js';
import { type Ec2Ops, waitOn } from './ec2-ops.js';
import { ebsVolumesPage, instancesPage } from './ec2-pages.js';
import { Ec2Reads, type WaitReads } from './ec2-reads.js';
import { launchCheck, terminateCheck } from './ec2-wait-checks.js';
import { setEbsVolumeMetadata, setInstanceMetadata } from './metadata.js';
import { asPlacementFailure, ensureSpreadGroup } from './placement-groups.js';
import { powerOnEc2 } from './power.js';
import { runInstancesInput } from './run-instances-input.js';
import { createEbsVolume, deleteEbsVolume } from './volume-lifecycle.js';

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
  readonly #catalog: Ec2Catalog;
  /** What the attach and detach operations use of this driver. */
  readonly #ops: Ec2Ops;

  constructor(
    client: EC2Client,
    region: string,
    context: DriverContext,
    catalog: Ec2CatalogOptions = DEFAULT_EC2_CATALOG,
  ) {
    this.#client = client;
    this.#catalog = new Ec2Catalog(client, region, context.services.clock, catalog);
    this.#region = region;
    this.#context = context;
    this.#reads = new Ec2Reads(client, Ec2Reads.scaleOf(context));
    this.#ops = {
      client,
      region,
      clock: context.services.clock,
      emit: context.emit,
      reads: this.#reads,
      liveInstance: (serverId, signal) => this.#liveInstance(serverId, signal),
    };
  }

  async createServer(given: CreateServerRequest, options?: CallOptions): Promise<Server> {
    checkCreateInput(given);
    const call = resolveCallOptions(options, this.#context.wait);
    const request = await this.#catalog.resolve(given, call.signal);
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

  createVolume(request: CreateVolumeRequest, options?: CallOptions): Promise<Volume> {
    return createEbsVolume(this.#ops, request, resolveCallOptions(options, this.#context.wait));
  }

  deleteVolume(request: VolumeRef, options?: CallOptions): Promise<DeleteVolumeResult> {
    return deleteEbsVolume(this.#ops, request, resolveCallOptions(options, this.#context.wait));
  }

  listImages(filter: ImageFilter = {}, options?: ReadOptions): Promise<readonly Image[]> {
    return this.#catalog.listImages(filter, options?.signal);
  }

  listFlavors(filter: FlavorFilter = {}, options?: ReadOptions): Promise<readonly Flavor[]> {
    return this.#catalog.listFlavors(filter, options?.signal);
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

  listServersPage(filter: ServerFilter, options: PageOptions): Promise<ListPage<Server>> {
    return instancesPage(this.#client, filter, this.#region, options);
  }

  listVolumesPage(filter: VolumeFilter, options: PageOptions): Promise<ListPage<Volume>> {
    return ebsVolumesPage(this.#client, filter, this.#region, options);
  }

  async attachVolume(request: AttachVolumeRequest, options?: CallOptions): Promise<VolumeAttachment> {
    checkEc2Id('instance', request.serverId, 'serverId');
    checkEc2Id('volume', request.volumeId, 'volumeId');
    const call = resolveCallOptions(options, this.#context.wait);
    // EC2 lists the `attaching` mapping as soon as AttachVolume is accepted: from then on the
    // device is taken (and sendAttach re-picks on "already in use"), so the next attach may go.
    const sent = serverRelease(options);
    return attachVolumeOn(this.#ops, request, call, sent);
  }

  async detachVolume(request: DetachVolumeRequest, options?: DetachOptions): Promise<DetachVolumeResult> {
    checkEc2Id('instance', request.serverId, 'serverId');
    checkEc2Id('volume', request.volumeId, 'volumeId');
    const call = resolveCallOptions(options, this.#context.wait);
    // EC2 took the DetachVolume (or one was under way): the server's next attach or detach may go.
    const sent = serverRelease(options);
    return detachVolumeOn(this.#ops, request, call, options?.force === true, sent);
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

  // EC2 has one kind of stop and of reboot: `deallocate` and `hard` do not apply.
  readonly startServer = (r: ServerRef, o?: CallOptions) => this.#power('startServer', r, o);
  readonly stopServer = (r: ServerRef, o?: CallOptions) => this.#power('stopServer', r, o);
  readonly rebootServer = (r: ServerRef, o?: CallOptions) => this.#power('rebootServer', r, o);

  readonly setVolumeMetadata = (r: SetVolumeMetadataRequest, o?: CallOptions) =>
    setEbsVolumeMetadata(this.#ops, r, resolveCallOptions(o, this.#context.wait));
  readonly setServerMetadata = (r: SetServerMetadataRequest, o?: CallOptions) =>
    setInstanceMetadata(this.#ops, r, resolveCallOptions(o, this.#context.wait));

  async #power(operation: PowerOperation, request: ServerRef, options?: CallOptions): Promise<Server> {
    checkEc2Id('instance', request.serverId, 'serverId');
    return powerOnEc2(
      this.#ops,
      operation,
      request.serverId,
      resolveCallOptions(options, this.#context.wait),
    );
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

  /** Polls through `reads` (see waitOn). */
  #wait<T>(
    call: ResolvedCallOptions,
    reads: WaitReads<T>,
    spec: Pick<WaitSpec<T>, 'description' | 'check' | 'stateOf'>,
  ): Promise<T> {
    return waitOn(this.#ops, call, reads, spec);
  }
}

/** An EC2 complaint about an image, subnet, group, key or zone is the caller's input: invalid-request naming it. */
function asCreateInputError(error: unknown): unknown {
  if (!isBrokerError(error, 'not-found', 'invalid-request')) return error;
  if (error.field === undefined || !CREATE_FIELDS.has(error.field)) return error;
  return new BrokerError('invalid-request', error.message, { ...error.details(), retryable: false });
}
