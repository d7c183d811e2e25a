import type { ComputeManagementClient, DataDisk, VirtualMachine } from '@azure/arm-compute';
import { BrokerError } from '@hybrid-broker/core';
import { type ResolvedRef, sameId } from './arm-ids.js';
import { toAzureError } from './azure-errors.js';

/** Highest LUN + 1 across VM sizes; the cloud refuses a LUN the size does not offer. */
const MAX_LUNS = 64;
/** Tries of read-modify-write before giving up on a VM others keep changing. */
const MAX_ETAG_ATTEMPTS = 8;

/** Reads `lun:N` (the only device naming Azure has). */
export function parseLun(device: string | undefined): number | undefined {
  if (device === undefined) return undefined;
  const match = /^lun:(\d{1,2})$/.exec(device);
  const lun = match ? Number(match[1]) : Number.NaN;
  if (!Number.isInteger(lun) || lun < 0 || lun >= MAX_LUNS) {
    throw new BrokerError('invalid-request', `device "${device}" is not lun:N with N in 0..${MAX_LUNS - 1}`, {
      field: 'device',
    });
  }
  return lun;
}

/** The first LUN not taken, or the requested one if it is free. */
export function pickLun(disks: readonly DataDisk[], requested: number | undefined, vmName: string): number {
  const used = new Set(disks.map((d) => d.lun));
  if (requested !== undefined) {
    if (used.has(requested)) {
      throw new BrokerError('conflict', `lun:${requested} is already in use on VM ${vmName}`, {
        field: 'device',
      });
    }
    return requested;
  }
  for (let lun = 0; lun < MAX_LUNS; lun++) if (!used.has(lun)) return lun;
  throw new BrokerError('quota-exceeded', `VM ${vmName} has no free LUN`);
}

/** One change of a VM's data-disk list, for {@link updateDataDisks}. */
export type DataDiskEdit = (current: readonly DataDisk[], vm: VirtualMachine) => DataDisk[] | undefined;

/** How the VM update is sent. */
export interface UpdateOptions {
  readonly pollIntervalMs: number;
  readonly signal: AbortSignal | undefined;
  /** False: return once ARM accepted the update, not when it finished. */
  readonly waitForUpdate: boolean;
}

/**
 * Read-modify-write of a VM's data disks with `If-Match: <etag>`: when
 * another writer changed the VM in between (412), the VM is read again and
 * the edit re-applied, so concurrent attaches never drop each other's disk.
 * `edit` returning undefined means nothing to change. Returns the VM after the change.
 */
export async function updateDataDisks(
  compute: ComputeManagementClient,
  vm: ResolvedRef,
  edit: DataDiskEdit,
  options: UpdateOptions,
): Promise<VirtualMachine | undefined> {
  for (let attempt = 1; ; attempt++) {
    let current: VirtualMachine;
    try {
      current = await compute.virtualMachines.get(vm.resourceGroup, vm.name, { abortSignal: options.signal });
    } catch (error) {
      throw toAzureError(error, `reading VM ${vm.name}`);
    }
    const disks = edit(current.storageProfile?.dataDisks ?? [], current);
    if (disks === undefined) return undefined;
    const poller = compute.virtualMachines.update(
      vm.resourceGroup,
      vm.name,
      { storageProfile: { dataDisks: disks } },
      {
        // no etag (older API versions): the broker's per-server lock is the only guard
        ...(current.etag === undefined ? {} : { ifMatch: current.etag }),
        updateIntervalInMs: options.pollIntervalMs,
        abortSignal: options.signal,
      },
    );
    try {
      if (!options.waitForUpdate) {
        await poller.submitted();
        return current;
      }
      return await poller.pollUntilDone({ abortSignal: options.signal });
    } catch (error) {
      const mapped = toAzureError(error, `updating the data disks of VM ${vm.name}`);
      if (mapped.statusCode === 412 && attempt < MAX_ETAG_ATTEMPTS) continue;
      throw mapped;
    }
  }
}

/** The data disk entry of `diskId` on a VM, if any (ids compare case-insensitively). */
export function findDataDisk(disks: readonly DataDisk[], diskId: string): DataDisk | undefined {
  return disks.find((d) => sameId(d.managedDisk?.id, diskId));
}
