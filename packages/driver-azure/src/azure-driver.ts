import type { VirtualMachine } from '@azure/arm-compute';
import {
  type AttachVolumeRequest,
  BrokerError,
  type CallOptions,
  type CreateServerRequest,
  type CreateVolumeRequest,
  type DeleteServerResult,
  type DetachOptions,
  type DetachVolumeRequest,
  type DetachVolumeResult,
  type DriverCapabilities,
  type DriverContext,
  type Flavor,
  type FlavorFilter,
  type Image,
  type ImageFilter,
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
  resolveCallOptions,
  verdict,
} from '@hybrid-broker/core/driver-kit';
import { ArmAccess } from './arm-access.js';
import type { ResolvedRef } from './arm-ids.js';
import { availabilitySetFor, isAllocationFailure } from './availability-sets.js';
import { azureCapabilities } from './azure-capabilities.js';
import { AzureCatalog } from './azure-catalog.js';
import type { AzureClients } from './azure-clients.js';
import type { AzureDriverConfig } from './azure-config.js';
import { toAzureError } from './azure-errors.js';
import { listDisks, listVms, refuseReusedKey } from './azure-lists.js';
import { disksPage, vmsPage } from './azure-pages.js';
import { checkAzureCreateInput } from './create-input-checks.js';
import { createDisk, deleteDisk } from './disk-lifecycle.js';
import { setDiskMetadata, setVmMetadata } from './metadata.js';
import { ensureNics, refusedOutright, removeCreatedNics } from './nics.js';
import { pollDeadline } from './poll-deadline.js';
import { type ArmPowerRequest, powerOnArm } from './power.js';
import { IDEMPOTENCY_TAG, toServer } from './resource-state.js';
import { deleteVm } from './vm-delete.js';
import { buildVirtualMachine, checkVmName } from './vm-request.js';
import { attachDisk, detachDisk } from './volume-attachments.js';

/** PlatformDriver over Azure Resource Manager: VMs, managed disks as data disks, NICs. */
export class AzureDriver implements PlatformDriver {
  readonly kind = 'azure';
  readonly capabilities: DriverCapabilities;
  /** With batching on, attaches to one VM must reach the driver together: it orders them itself. */
  readonly ordersAttachesItself: boolean;
  readonly #arm: ArmAccess;
  readonly #catalog: AzureCatalog;

  constructor(config: AzureDriverConfig, context: DriverContext, clients: AzureClients) {
    this.#arm = new ArmAccess(config, context, clients);
    this.#catalog = new AzureCatalog(this.#arm);
    // Images are listed only from a configured source (the definition declares what a configured one can do).
    this.capabilities = { ...azureCapabilities, listImages: this.#catalog.hasImages };
    this.ordersAttachesItself = this.#arm.diskBatcher !== undefined;
  }

  listImages(filter: ImageFilter = {}, options?: ReadOptions): Promise<readonly Image[]> {
    return this.#catalog.listImages(filter, options?.signal);
  }

  listFlavors(filter: FlavorFilter = {}, options?: ReadOptions): Promise<readonly Flavor[]> {
    return this.#catalog.listFlavors(filter, options?.signal);
  }

  /** VM updates the attach batcher sent (0 with batching off), for tests and benchmarks. */
  get vmUpdatesSent(): number {
    return this.#arm.diskBatcher?.updatesSent ?? 0;
  }

  /** Drops the HTTP client's keep-alive sockets (calls still running are ended by the broker first). */
  async close(): Promise<void> {
    this.#arm.clients.close();
  }

  async createServer(given: CreateServerRequest, options?: CallOptions): Promise<Server> {
    const request = await this.#catalog.resolve(given, options?.signal);
    const group = request.antiAffinityGroup;
    if (group === undefined) return this.#create(request, options, undefined);
    if (request.availabilityZone !== undefined) {
      // ARM places a VM in an availability set or in a zone, never both.
      throw new BrokerError(
        'invalid-request',
        'antiAffinityGroup is an Azure availability set, which is regional: leave availabilityZone out',
        { field: 'antiAffinityGroup' },
      );
    }
    try {
      return await this.#create(request, options, group);
    } catch (error) {
      if (!isAllocationFailure(error)) throw error;
      // The VM is left Failed and holds nothing: deleted, so a repeat with the same key asks Azure again.
      const serverId = this.#arm.vmRef(request.name, 'name').id;
      const cleanup = await this.deleteServer({ serverId }, { ...options, idempotencyKey: undefined }).then(
        () => undefined,
        (e: unknown) => e,
      );
      throw new BrokerError(
        'placement-failed',
        `Azure could not allocate VM ${request.name} in availability set "${group}": ${error.message}` +
          (cleanup === undefined ? '' : ' (its failed VM could not be deleted; a repeat deletes it)'),
        { ...error.details(), cause: error, retryable: false },
      );
    }
  }

  async #create(request: CreateServerRequest, options: CallOptions | undefined, group: string | undefined) {
    const arm = this.#arm;
    const call = resolveCallOptions(options, arm.context.wait);
    checkVmName(request.name);
    checkAzureCreateInput(request);
    const vm = arm.vmRef(request.name, 'name');
    const key = call.idempotencyKey;
    // with a key, a repeat finds the VM by name and key; without one, If-None-Match stops a second PUT
    const { poller } = await arm.retry('createServer', call.signal, key !== undefined, async () => {
      const existing = await arm.findVm(vm, call.signal);
      if (existing) return adopt(existing, request, key);
      if (key !== undefined) await refuseReusedKey(arm, key, request, call.signal);
      const networks = request.networks ?? (arm.config.defaultSubnetId ? [arm.config.defaultSubnetId] : []);
      const availabilitySetId =
        group === undefined ? undefined : await availabilitySetFor(arm, group, request.name, call.signal);
      const nics = await ensureNics(arm.clients, networks, request.name, arm.config, call.signal);
      const body = buildVirtualMachine({
        request,
        config: arm.config,
        nics,
        idempotencyKey: key,
        ...(availabilitySetId === undefined ? {} : { availabilitySetId }),
      });
      const started = arm.clients.compute.virtualMachines.createOrUpdate(vm.resourceGroup, vm.name, body, {
        ifNoneMatch: '*',
        updateIntervalInMs: arm.config.pollIntervalMs,
        abortSignal: call.signal,
      });
      try {
        await started.submitted();
        // wrapped: the poller is awaitable, and returning it bare would wait for the whole operation
        return { poller: started };
      } catch (error) {
        const mapped = toAzureError(error, `creating VM ${vm.name}`);
        if (refusedOutright(mapped)) await removeCreatedNics(arm.clients, nics, arm.config);
        if (mapped.statusCode !== 412) throw mapped;
        // lost a race with another create of this name: it is ours only if it carries our key
        const raced = await arm.findVm(vm, call.signal);
        if (!raced) throw mapped;
        return adopt(raced, request, key);
      }
    });
    if (call.wait === false) return this.getServer({ serverId: vm.id }, { signal: call.signal });
    if (poller) {
      const deadline = pollDeadline(call);
      try {
        await poller.pollUntilDone({ abortSignal: deadline.signal });
      } catch (error) {
        const mapped = deadline.mapError(
          toAzureError(error, `creating VM ${vm.name}`),
          `VM ${vm.name} to be created`,
        );
        throw await this.#withLastState(mapped, vm);
      }
    }
    const wait = {
      description: `VM ${vm.name} to be running`,
      options: call.wait,
      signal: call.signal,
      operation: 'build',
    };
    const running = await arm.waitServer(vm, wait, (s) =>
      s.status === 'running'
        ? verdict.done
        : s.status === 'error'
          ? verdict.failed(s.fault ?? 'provisioning failed')
          : verdict.pending,
    );
    return { ...running.server, addresses: await arm.addressesOf(running.vm, call.signal) };
  }

  async getServer(request: ServerRef, options?: ReadOptions): Promise<Server> {
    const vm = await this.#arm.readVm(this.#arm.vmRef(request.serverId), options?.signal, true);
    return { ...toServer(vm), addresses: await this.#arm.addressesOf(vm, options?.signal) };
  }

  getVolume(request: VolumeRef, options?: ReadOptions): Promise<Volume> {
    return this.#arm.readVolume(this.#arm.diskRef(request.volumeId), options?.signal);
  }

  listServers(filter: ServerFilter = {}, options?: ReadOptions): Promise<readonly Server[]> {
    return listVms(this.#arm, filter, (serverId) => this.getServer({ serverId }, options), options?.signal);
  }

  listVolumes(filter: VolumeFilter = {}, options?: ReadOptions): Promise<readonly Volume[]> {
    return listDisks(this.#arm, filter, options?.signal);
  }

  listServersPage(filter: ServerFilter, options: PageOptions): Promise<ListPage<Server>> {
    return vmsPage(this.#arm, filter, (serverId) => this.getServer({ serverId }, options), options);
  }

  listVolumesPage(filter: VolumeFilter, options: PageOptions): Promise<ListPage<Volume>> {
    return disksPage(this.#arm, filter, options);
  }

  attachVolume(request: AttachVolumeRequest, options?: CallOptions): Promise<VolumeAttachment> {
    return attachDisk(this.#arm, request, resolveCallOptions(options, this.#arm.context.wait));
  }

  detachVolume(request: DetachVolumeRequest, options?: DetachOptions): Promise<DetachVolumeResult> {
    const call = resolveCallOptions(options, this.#arm.context.wait);
    return detachDisk(this.#arm, request, call, options?.force === true);
  }

  async deleteServer(request: ServerRef, options?: CallOptions): Promise<DeleteServerResult> {
    return deleteVm(this.#arm, request, resolveCallOptions(options, this.#arm.context.wait));
  }

  readonly startServer = (r: ArmPowerRequest, o?: CallOptions) => this.#power('startServer', r, o);
  readonly stopServer = (r: ArmPowerRequest, o?: CallOptions) => this.#power('stopServer', r, o);
  readonly rebootServer = (r: ArmPowerRequest, o?: CallOptions) => this.#power('rebootServer', r, o);
  readonly createVolume = (r: CreateVolumeRequest, o?: CallOptions) => createDisk(this.#arm, r, o);
  readonly deleteVolume = (r: VolumeRef, o?: CallOptions) => deleteDisk(this.#arm, r, o);

  readonly setVolumeMetadata = (r: SetVolumeMetadataRequest, o?: CallOptions) =>
    setDiskMetadata(this.#arm, r, resolveCallOptions(o, this.#arm.context.wait));
  readonly setServerMetadata = (r: SetServerMetadataRequest, o?: CallOptions) =>
    setVmMetadata(this.#arm, r, resolveCallOptions(o, this.#arm.context.wait));

  #power(operation: PowerOperation, request: ArmPowerRequest, options?: CallOptions): Promise<Server> {
    return powerOnArm(this.#arm, operation, request, resolveCallOptions(options, this.#arm.context.wait));
  }

  async #withLastState(error: BrokerError, vm: ResolvedRef): Promise<BrokerError> {
    if (error.code === 'aborted') return error;
    const last = await this.#arm.findVm(vm, undefined).catch(() => undefined);
    return new BrokerError(error.code, error.message, {
      ...error.details(),
      lastState: last === undefined ? 'gone' : toServer(last),
    });
  }
}

/** An existing VM of this name is the create's result only when it carries the same idempotency key and request digest. */
function adopt(
  existing: VirtualMachine,
  request: CreateServerRequest,
  key: string | undefined,
): { poller: undefined } {
  const name = request.name;
  if (key !== undefined && existing.tags?.[IDEMPOTENCY_TAG] === key) {
    checkSameCreate(key, existing.tags?.[REQUEST_DIGEST_KEY], request); // the key reused for another request
    return { poller: undefined };
  }
  throw new BrokerError(
    'conflict',
    key === undefined
      ? `a VM named ${name} already exists; pass an idempotencyKey to make repeated creates return it`
      : `a VM named ${name} already exists and was not created with this idempotency key`,
    { statusCode: 409, field: 'name' },
  );
}
