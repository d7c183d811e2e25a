import type { Disk, VirtualMachine } from '@azure/arm-compute';
import {
  type CreateServerRequest,
  isBrokerError,
  type Server,
  type ServerFilter,
  type Volume,
  type VolumeFilter,
} from '@hybrid-broker/core';
import {
  checkSameCreate,
  REQUEST_DIGEST_KEY,
  serverMatches,
  volumeMatches,
} from '@hybrid-broker/core/driver-kit';
import type { ArmAccess } from './arm-access.js';
import { sameId } from './arm-ids.js';
import { toAzureError } from './azure-errors.js';
import { IDEMPOTENCY_TAG, toServer, toVolume } from './resource-state.js';

/** Every item of an SDK list (the SDK follows `nextLink`), with failures typed. */
export async function collect<T>(what: string, pages: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  try {
    for await (const item of pages) all.push(item);
  } catch (error) {
    throw toAzureError(error, what);
  }
  return all;
}

/**
 * The VMs of the resource group that match `filter`. ARM has no tag filter
 * on a VM list (only `virtualMachineScaleSet/id`), so the driver filters;
 * and a list carries no instance view (ARM expands it only with a `$filter`),
 * so each match is read again for its power state by `read`.
 */
export async function listVms(
  arm: ArmAccess,
  filter: ServerFilter,
  read: (id: string) => Promise<Server>,
  signal: AbortSignal | undefined,
): Promise<Server[]> {
  const group = arm.scope.resourceGroup;
  const vms = await arm.retry('listServers', signal, true, () =>
    collect<VirtualMachine>(
      `listing VMs of ${group}`,
      arm.clients.compute.virtualMachines.list(group, { abortSignal: signal }),
    ),
  );
  return matchingVms(vms, filter, read);
}

/** The VMs of `vms` that match `filter`, each read again by `read` (a VM gone meanwhile is left out). */
export async function matchingVms(
  vms: readonly VirtualMachine[],
  filter: ServerFilter,
  read: (id: string) => Promise<Server>,
): Promise<Server[]> {
  const matching = vms.filter((vm) => serverMatches(toServer(vm), filter, vm.tags?.[IDEMPOTENCY_TAG]));
  // A VM deleted between the list and its read is no longer there to list.
  const read1 = (id: string) =>
    read(id).catch((error: unknown) => {
      if (isBrokerError(error, 'not-found')) return undefined;
      throw error;
    });
  const servers = await Promise.all(matching.map((vm) => read1(vm.id ?? '')));
  return servers.filter((s): s is Server => s !== undefined);
}

/**
 * Refuses a create whose idempotency key a VM of another name already
 * carries with a different request digest (the same name is found by name
 * and checked in `adopt`). ARM names a VM by its name, so a VM without a
 * digest (made before digests were recorded) keeps the old behaviour: the
 * create goes on under its own name.
 */
export async function refuseReusedKey(
  arm: ArmAccess,
  key: string,
  request: CreateServerRequest,
  signal: AbortSignal | undefined,
): Promise<void> {
  const group = arm.scope.resourceGroup;
  const vms = await arm.retry('createServer', signal, true, () =>
    collect<VirtualMachine>(
      `listing VMs of ${group}`,
      arm.clients.compute.virtualMachines.list(group, { abortSignal: signal }),
    ),
  );
  for (const vm of vms) {
    if (vm.tags?.[IDEMPOTENCY_TAG] === key && vm.provisioningState?.toLowerCase() !== 'deleting')
      checkSameCreate(key, vm.tags?.[REQUEST_DIGEST_KEY], request);
  }
}

/** The managed disks of the resource group that match `filter` (ARM ids compared as ARM does, case-insensitively). */
export async function listDisks(
  arm: ArmAccess,
  filter: VolumeFilter,
  signal: AbortSignal | undefined,
): Promise<Volume[]> {
  const group = arm.scope.resourceGroup;
  const disks = await arm.retry('listVolumes', signal, true, () =>
    collect<Disk>(
      `listing disks of ${group}`,
      arm.clients.compute.disks.listByResourceGroup(group, { abortSignal: signal }),
    ),
  );
  return matchingDisks(arm, disks, filter);
}

/** The disks of `disks` that match `filter`, their tags as metadata. */
export function matchingDisks(arm: ArmAccess, disks: readonly Disk[], filter: VolumeFilter): Volume[] {
  const { serverId, ...rest } = filter;
  const server = serverId === undefined ? undefined : arm.vmRef(serverId, 'serverId').id;
  return disks
    .map((disk) => ({ volume: toVolume(disk), tags: disk.tags }))
    .filter(
      ({ volume }) => server === undefined || volume.attachments.some((a) => sameId(a.serverId, server)),
    )
    .filter(({ volume, tags }) => volumeMatches({ ...volume, metadata: { ...tags } }, rest))
    .map(({ volume, tags }) => ({ ...volume, metadata: { ...tags } }));
}
