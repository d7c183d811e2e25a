import type { VirtualMachine } from '@azure/arm-compute';
import {
  type AttachVolumeRequest,
  BrokerError,
  type CallOptions,
  type CreateServerRequest,
  type DeleteServerResult,
  type DetachVolumeRequest,
  type DetachVolumeResult,
  type DriverContext,
  isBrokerError,
  type PlatformDriver,
  type ReadOptions,
  type ResolvedCallOptions,
  resolveCallOptions,
  type Server,
  type ServerRef,
  type Volume,
  type VolumeAttachment,
  type VolumeRef,
  verdict,
  type WaitVerdict,
  waitFor,
  withRetry,
} from '@hybrid-broker/core';
import { type ArmScope, type ResolvedRef, resolveRef, sameId } from './arm-ids.js';
import { type AzureClients, createAzureClients } from './azure-clients.js';
import type { AzureDriverConfig } from './azure-config.js';
import { createCredential } from './azure-credential.js';
import { azureCapabilities } from './azure-definition.js';
import { toAzureError } from './azure-errors.js';
import { findDataDisk, parseLun, pickLun, updateDataDisks } from './data-disks.js';
import { ensureNics } from './nics.js';
import { pollDeadline } from './poll-deadline.js';
import { IDEMPOTENCY_TAG, toServer, toVolume } from './resource-state.js';
import { buildVirtualMachine, checkVmName } from './vm-request.js';

const VM_TYPE = 'Microsoft.Compute/virtualMachines';
const DISK_TYPE = 'Microsoft.Compute/disks';

/** Builds the Azure driver: credential, SDK clients, then the driver. Called by the definition's `create`. */
export async function createAzureDriver(
  config: AzureDriverConfig,
  context: DriverContext,
): Promise<AzureDriver> {
  const credential = await createCredential(config);
  const clients = await createAzureClients(config, {
    credential,
    emit: context.emit,
    now: () => context.services.clock.now(),
  });
  return new AzureDriver(config, context, clients);
}

/** PlatformDriver over Azure Resource Manager (VMs, managed disks, NICs). */
export class AzureDriver implements PlatformDriver {
  readonly kind = 'azure';
  readonly capabilities = azureCapabilities;
  readonly #config: AzureDriverConfig;
  readonly #context: DriverContext;
  readonly #clients: AzureClients;
  readonly #scope: ArmScope;

  constructor(config: AzureDriverConfig, context: DriverContext, clients: AzureClients) {
    this.#config = config;
    this.#context = context;
    this.#clients = clients;
    this.#scope = { subscriptionId: config.subscriptionId, resourceGroup: config.resourceGroup };
  }

  async createServer(request: CreateServerRequest, options?: CallOptions): Promise<Server> {
    const call = resolveCallOptions(options, this.#context.wait);
    checkVmName(request.name);
    const vm: ResolvedRef = resolveRef(request.name, VM_TYPE, this.#scope, 'name');
    const key = call.idempotencyKey;
    const created = await this.#retry('createServer', call, key !== undefined, async () => {
      const existing = await this.#findVm(vm, call.signal);
      if (existing) return { poller: undefined, vm: this.#adopt(existing, request.name, key) };
      const networks =
        request.networks ?? (this.#config.defaultSubnetId ? [this.#config.defaultSubnetId] : []);
      const nics = await ensureNics(this.#clients, networks, request.name, this.#config, call.signal);
      const body = buildVirtualMachine({ request, config: this.#config, nics, idempotencyKey: key });
      // If-None-Match: * — a PUT never silently rewrites a VM that already has this name
      const poller = this.#clients.compute.virtualMachines.createOrUpdate(vm.resourceGroup, vm.name, body, {
        ifNoneMatch: '*',
        updateIntervalInMs: this.#config.pollIntervalMs,
        abortSignal: call.signal,
      });
      try {
        await poller.submitted();
      } catch (error) {
        const mapped = toAzureError(error, `creating VM ${vm.name}`);
        if (mapped.statusCode !== 412) throw mapped;
        // lost a race with another create of this name: adopt it if it carries our key
        const raced = await this.#findVm(vm, call.signal);
        if (!raced) throw mapped;
        return { poller: undefined, vm: this.#adopt(raced, request.name, key) };
      }
      return { poller, vm: undefined };
    });
    if (call.wait === false) return this.getServer({ serverId: vm.id }, { signal: call.signal });
    if (created.poller) {
      const deadline = pollDeadline(call);
      try {
        await created.poller.pollUntilDone({ abortSignal: deadline.signal });
      } catch (error) {
        const mapped = deadline.mapError(
          toAzureError(error, `creating VM ${vm.name}`),
          `VM ${vm.name} to be created`,
        );
        throw await this.#withLastState(mapped, vm);
      }
    }
    return this.#waitServer(vm, call, `VM ${vm.name} to be running`, (s) =>
      s.status === 'running'
        ? verdict.done
        : s.status === 'error'
          ? verdict.failed(s.fault ?? 'provisioning failed')
          : verdict.pending,
    );
  }

  async getServer(request: ServerRef, options?: ReadOptions): Promise<Server> {
    const vm = resolveRef(request.serverId, VM_TYPE, this.#scope, 'serverId');
    return toServer(await this.#readVm(vm, options?.signal, true));
  }

  async getVolume(request: VolumeRef, options?: ReadOptions): Promise<Volume> {
    const disk = resolveRef(request.volumeId, DISK_TYPE, this.#scope, 'volumeId');
    return this.#retry('getVolume', { signal: options?.signal }, true, async () => {
      try {
        return toVolume(
          await this.#clients.compute.disks.get(disk.resourceGroup, disk.name, {
            abortSignal: options?.signal,
          }),
        );
      } catch (error) {
        throw toAzureError(error, `reading disk ${disk.name}`);
      }
    });
  }

  async attachVolume(request: AttachVolumeRequest, options?: CallOptions): Promise<VolumeAttachment> {
    const call = resolveCallOptions(options, this.#context.wait);
    const requestedLun = parseLun(request.device);
    const vmRef = resolveRef(request.serverId, VM_TYPE, this.#scope, 'serverId');
    const server = toServer(await this.#readVm(vmRef, call.signal, true));
    const volume = await this.getVolume(request, { signal: call.signal });
    checkSameZone(server, volume);
    const owner = volume.attachments[0]?.serverId;
    if (owner !== undefined) {
      throw sameId(owner, server.id)
        ? new BrokerError('conflict', `disk ${volume.name} is already attached to VM ${server.name}`, {
            statusCode: 409,
          })
        : new BrokerError(
            'invalid-state',
            `disk ${volume.name} is attached to ${owner}; it must be Unattached`,
            {
              lastState: volume,
            },
          );
    }
    if (volume.status !== 'available') {
      throw new BrokerError(
        'invalid-state',
        `disk ${volume.name} is ${volume.providerStatus}; it must be Unattached`,
        {
          lastState: volume,
        },
      );
    }
    let lun = -1;
    const deadline = pollDeadline(call);
    const updated = await this.#retry('attachVolume', call, true, () =>
      updateDataDisks(
        this.#clients.compute,
        vmRef,
        (disks) => {
          const present = findDataDisk(disks, volume.id);
          if (present && !present.toBeDetached) {
            lun = present.lun;
            return undefined;
          }
          lun = pickLun(disks, requestedLun, vmRef.name);
          const entry = {
            lun,
            createOption: 'Attach',
            caching: 'None',
            managedDisk: { id: volume.id },
          } as const;
          return [...disks.filter((d) => d !== present), entry];
        },
        {
          pollIntervalMs: this.#config.pollIntervalMs,
          signal: deadline.signal,
          waitForUpdate: call.wait !== false,
        },
      ).catch((error: unknown) => {
        throw deadline.mapError(
          toAzureError(error, 'attach'),
          `VM ${vmRef.name} to take disk ${volume.name}`,
        );
      }),
    );
    const finalLun = updated
      ? (findDataDisk(updated.storageProfile?.dataDisks ?? [], volume.id)?.lun ?? lun)
      : lun;
    const attachment = (state: VolumeAttachment['state'], providerState?: string): VolumeAttachment => ({
      serverId: server.id,
      volumeId: volume.id,
      device: `lun:${finalLun}`,
      state,
      ...(providerState === undefined ? {} : { providerState }),
    });
    if (call.wait === false) return attachment('attaching');
    const done = await this.#waitVolume(
      request,
      call,
      `disk ${volume.name} to be attached to VM ${server.name}`,
      (v) =>
        v.attachments.some((a) => sameId(a.serverId, server.id)) && v.status === 'in-use'
          ? verdict.done
          : verdict.pending,
    );
    return attachment('attached', done.providerStatus);
  }

  async detachVolume(request: DetachVolumeRequest, options?: CallOptions): Promise<DetachVolumeResult> {
    const call = resolveCallOptions(options, this.#context.wait);
    const vmRef = resolveRef(request.serverId, VM_TYPE, this.#scope, 'serverId');
    const vm = await this.#readVm(vmRef, call.signal, false);
    const volume = await this.getVolume(request, { signal: call.signal });
    const entry = findDataDisk(vm.storageProfile?.dataDisks ?? [], volume.id);
    const ownedHere = volume.attachments.some((a) => sameId(a.serverId, vm.id));
    if (!entry && !ownedHere) return { volume, detached: false };
    if (entry) {
      const deadline = pollDeadline(call);
      await this.#retry('detachVolume', call, true, () =>
        updateDataDisks(
          this.#clients.compute,
          vmRef,
          (disks) => {
            const present = findDataDisk(disks, volume.id);
            return present ? disks.filter((d) => d !== present) : undefined;
          },
          {
            pollIntervalMs: this.#config.pollIntervalMs,
            signal: deadline.signal,
            waitForUpdate: call.wait !== false,
          },
        ).catch((error: unknown) => {
          throw deadline.mapError(
            toAzureError(error, 'detach'),
            `VM ${vmRef.name} to release disk ${volume.name}`,
          );
        }),
      );
    }
    if (call.wait === false)
      return { volume: await this.getVolume(request, { signal: call.signal }), detached: true };
    const done = await this.#waitVolume(
      request,
      call,
      `disk ${volume.name} to be detached from VM ${vmRef.name}`,
      (v) => (v.attachments.some((a) => sameId(a.serverId, vm.id)) ? verdict.pending : verdict.done),
    );
    return { volume: done, detached: true };
  }

  async deleteServer(request: ServerRef, options?: CallOptions): Promise<DeleteServerResult> {
    const call = resolveCallOptions(options, this.#context.wait);
    const vm = resolveRef(request.serverId, VM_TYPE, this.#scope, 'serverId');
    const existing = await this.#findVm(vm, call.signal);
    if (!existing) return { serverId: request.serverId, deleted: false };
    const deadline = pollDeadline(call);
    await this.#retry('deleteServer', call, true, async () => {
      const poller = this.#clients.compute.virtualMachines.delete(vm.resourceGroup, vm.name, {
        updateIntervalInMs: this.#config.pollIntervalMs,
        abortSignal: call.signal,
      });
      try {
        if (call.wait === false) await poller.submitted();
        else await poller.pollUntilDone({ abortSignal: deadline.signal });
      } catch (error) {
        throw deadline.mapError(toAzureError(error, `deleting VM ${vm.name}`), `VM ${vm.name} to be deleted`);
      }
    });
    if (call.wait !== false) {
      await waitFor({
        description: `VM ${vm.name} to be deleted`,
        probe: (signal) => this.#findVm(vm, signal),
        check: (found) => (found === undefined ? verdict.done : verdict.pending),
        stateOf: (found) => (found === undefined ? 'gone' : (found.provisioningState ?? 'Unknown')),
        options: call.wait,
        signal: call.signal,
        clock: this.#context.services.clock,
        emit: this.#context.emit,
      });
    }
    return { serverId: request.serverId, deleted: true };
  }

  /** An existing VM of this name is ours to return only when it carries the same idempotency key. */
  #adopt(existing: VirtualMachine, name: string, key: string | undefined): VirtualMachine {
    if (key !== undefined && existing.tags?.[IDEMPOTENCY_TAG] === key) return existing;
    throw new BrokerError(
      'conflict',
      key === undefined
        ? `a VM named ${name} already exists; pass an idempotencyKey to make repeated creates return it`
        : `a VM named ${name} already exists and was not created with this idempotency key`,
      { statusCode: 409, field: 'name' },
    );
  }

  async #readVm(
    vm: ResolvedRef,
    signal: AbortSignal | undefined,
    instanceView: boolean,
  ): Promise<VirtualMachine> {
    return this.#retry('getServer', { signal }, true, async () => {
      try {
        return await this.#clients.compute.virtualMachines.get(vm.resourceGroup, vm.name, {
          ...(instanceView ? { expand: 'instanceView' } : {}),
          abortSignal: signal,
        });
      } catch (error) {
        throw toAzureError(error, `reading VM ${vm.name}`);
      }
    });
  }

  async #findVm(vm: ResolvedRef, signal: AbortSignal | undefined): Promise<VirtualMachine | undefined> {
    try {
      return await this.#readVm(vm, signal, true);
    } catch (error) {
      if (isBrokerError(error, 'not-found')) return undefined;
      throw error;
    }
  }

  async #withLastState(error: BrokerError, vm: ResolvedRef): Promise<BrokerError> {
    if (error.code === 'aborted') return error;
    const last = await this.#findVm(vm, undefined).catch(() => undefined);
    return new BrokerError(error.code, error.message, {
      ...error.details(),
      lastState: last === undefined ? 'gone' : toServer(last),
    });
  }

  #retry<T>(
    operation: string,
    call: Pick<ResolvedCallOptions, 'signal'>,
    idempotent: boolean,
    body: () => Promise<T>,
  ): Promise<T> {
    return withRetry(
      {
        operation,
        idempotent,
        policy: this.#context.retry,
        signal: call.signal,
        clock: this.#context.services.clock,
        emit: this.#context.emit,
      },
      body,
    );
  }

  #waitServer(
    vm: ResolvedRef,
    call: ResolvedCallOptions,
    description: string,
    check: (s: Server) => WaitVerdict,
  ): Promise<Server> {
    if (call.wait === false) throw new Error('unreachable: wait disabled');
    return waitFor({
      description,
      probe: (signal) => this.getServer({ serverId: vm.id }, { signal }),
      check,
      stateOf: (s) => s.providerStatus,
      options: call.wait,
      signal: call.signal,
      clock: this.#context.services.clock,
      emit: this.#context.emit,
    });
  }

  #waitVolume(
    ref: VolumeRef,
    call: ResolvedCallOptions,
    description: string,
    check: (v: Volume) => WaitVerdict,
  ): Promise<Volume> {
    if (call.wait === false) throw new Error('unreachable: wait disabled');
    return waitFor({
      description,
      probe: (signal) => this.getVolume(ref, { signal }),
      // a failed disk is final, never something to wait out
      check: (v) => (v.status === 'error' ? verdict.failed(`disk went to ${v.providerStatus}`) : check(v)),
      stateOf: (v) => v.providerStatus,
      options: call.wait,
      signal: call.signal,
      clock: this.#context.services.clock,
      emit: this.#context.emit,
    });
  }
}

/** A zonal disk attaches only to a VM in its zone: said clearly before the cloud is asked. */
function checkSameZone(server: Server, volume: Volume): void {
  if (volume.availabilityZone === undefined || volume.availabilityZone === server.availabilityZone) return;
  throw new BrokerError(
    'invalid-request',
    `disk ${volume.name} is in availability zone ${volume.availabilityZone} but VM ${server.name} is in ${server.availabilityZone ?? 'no zone'}; an attach must stay within one zone`,
    { field: 'volumeId' },
  );
}
