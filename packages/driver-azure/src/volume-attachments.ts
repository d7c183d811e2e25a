import {
  type AttachVolumeRequest,
  BrokerError,
  type DetachVolumeRequest,
  type DetachVolumeResult,
  type ResolvedCallOptions,
  type Server,
  type Volume,
  type VolumeAttachment,
  verdict,
} from '@hybrid-broker/core';
import type { ArmAccess } from './arm-access.js';
import { sameId } from './arm-ids.js';
import { toAzureError } from './azure-errors.js';
import { type DataDiskEdit, findDataDisk, parseLun, pickLun, updateDataDisks } from './data-disks.js';
import { guestPathsFor } from './guest-paths.js';
import { pollDeadline } from './poll-deadline.js';
import { toServer } from './resource-state.js';

/**
 * Attaches a managed disk as a data disk (first free LUN, or `lun:N`) by an
 * ETag-guarded VM update, then waits until the disk shows Attached to the VM.
 */
export async function attachDisk(
  arm: ArmAccess,
  request: AttachVolumeRequest,
  call: ResolvedCallOptions,
): Promise<VolumeAttachment> {
  const requestedLun = parseLun(request.device);
  const vmRef = arm.vmRef(request.serverId);
  const diskRef = arm.diskRef(request.volumeId);
  const server = toServer(await arm.readVm(vmRef, call.signal, true));
  const volume = await arm.readVolume(diskRef, call.signal);
  checkAttachable(server, volume);
  let lun = -1;
  const edit: DataDiskEdit = (disks) => {
    const present = findDataDisk(disks, volume.id);
    if (present && !present.toBeDetached) {
      lun = present.lun;
      return undefined;
    }
    lun = pickLun(disks, requestedLun, vmRef.name);
    const entry = { lun, createOption: 'Attach', caching: 'None', managedDisk: { id: volume.id } } as const;
    return [...disks.filter((d) => d !== present), entry];
  };
  const updated = await changeDisks(
    arm,
    'attachVolume',
    call,
    vmRef,
    edit,
    `VM ${vmRef.name} to take disk ${volume.name}`,
  );
  const finalLun = findDataDisk(updated?.storageProfile?.dataDisks ?? [], volume.id)?.lun ?? lun;
  const attachment = (state: VolumeAttachment['state'], providerState?: string): VolumeAttachment => ({
    serverId: server.id,
    volumeId: volume.id,
    device: `lun:${finalLun}`,
    guestPaths: guestPathsFor(finalLun),
    state,
    ...(providerState === undefined ? {} : { providerState }),
  });
  if (call.wait === false) return attachment('attaching');
  const description = `disk ${volume.name} to be attached to VM ${server.name}`;
  const done = await arm.waitVolume(diskRef, { description, options: call.wait, signal: call.signal }, (v) =>
    v.status === 'in-use' && v.attachments.some((a) => sameId(a.serverId, server.id))
      ? verdict.done
      : verdict.pending,
  );
  return attachment('attached', done.providerStatus);
}

/** Removes a data disk from a VM (ETag-guarded) and waits until the disk no longer names the VM. */
export async function detachDisk(
  arm: ArmAccess,
  request: DetachVolumeRequest,
  call: ResolvedCallOptions,
): Promise<DetachVolumeResult> {
  const vmRef = arm.vmRef(request.serverId);
  const diskRef = arm.diskRef(request.volumeId);
  const vm = await arm.readVm(vmRef, call.signal, false);
  const volume = await arm.readVolume(diskRef, call.signal);
  const listed = findDataDisk(vm.storageProfile?.dataDisks ?? [], volume.id) !== undefined;
  const ownedHere = volume.attachments.some((a) => sameId(a.serverId, vm.id));
  if (!listed && !ownedHere) return { volume, detached: false };
  if (listed) {
    const edit: DataDiskEdit = (disks) => {
      const present = findDataDisk(disks, volume.id);
      return present ? disks.filter((d) => d !== present) : undefined;
    };
    await changeDisks(
      arm,
      'detachVolume',
      call,
      vmRef,
      edit,
      `VM ${vmRef.name} to release disk ${volume.name}`,
    );
  }
  if (call.wait === false) return { volume: await arm.readVolume(diskRef, call.signal), detached: true };
  const description = `disk ${volume.name} to be detached from VM ${vmRef.name}`;
  const done = await arm.waitVolume(diskRef, { description, options: call.wait, signal: call.signal }, (v) =>
    v.attachments.some((a) => sameId(a.serverId, vm.id)) ? verdict.pending : verdict.done,
  );
  return { volume: done, detached: true };
}

function changeDisks(
  arm: ArmAccess,
  operation: string,
  call: ResolvedCallOptions,
  vmRef: ReturnType<ArmAccess['vmRef']>,
  edit: DataDiskEdit,
  description: string,
) {
  const deadline = pollDeadline(call);
  const options = {
    pollIntervalMs: arm.config.pollIntervalMs,
    signal: deadline.signal,
    waitForUpdate: call.wait !== false,
  };
  // an ETag-guarded update is safe to repeat: a stale one fails 412 instead of overwriting
  return arm.retry(operation, call.signal, true, () =>
    updateDataDisks(arm.clients.compute, vmRef, edit, options).catch((error: unknown) => {
      throw deadline.mapError(toAzureError(error, operation), description);
    }),
  );
}

/** Same zone, not attached elsewhere, Unattached: said clearly before the cloud is asked. */
function checkAttachable(server: Server, volume: Volume): void {
  if (volume.availabilityZone !== undefined && volume.availabilityZone !== server.availabilityZone) {
    throw new BrokerError(
      'invalid-request',
      `disk ${volume.name} is in availability zone ${volume.availabilityZone} but VM ${server.name} is in ${server.availabilityZone ?? 'no zone'}; an attach must stay within one zone`,
      { field: 'volumeId' },
    );
  }
  const owner = volume.attachments[0]?.serverId;
  if (owner !== undefined && sameId(owner, server.id)) {
    throw new BrokerError('conflict', `disk ${volume.name} is already attached to VM ${server.name}`, {
      statusCode: 409,
    });
  }
  if (owner !== undefined || volume.status !== 'available') {
    throw new BrokerError(
      'invalid-state',
      `disk ${volume.name} is ${volume.providerStatus}${owner ? ` on ${owner}` : ''}; it must be Unattached`,
      { lastState: volume },
    );
  }
}
