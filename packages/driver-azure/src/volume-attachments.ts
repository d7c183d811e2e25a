import type { VirtualMachine } from '@azure/arm-compute';
import {
  type AttachVolumeRequest,
  BrokerError,
  type DetachVolumeRequest,
  type DetachVolumeResult,
  isBrokerError,
  type Server,
  type Volume,
  type VolumeAttachment,
} from '@hybrid-broker/core';
import {
  checkAttachable,
  heldElsewhere,
  type ResolvedCallOptions,
  runDetach,
  timeLeft,
  verdict,
} from '@hybrid-broker/core/driver-kit';
import type { ArmAccess } from './arm-access.js';
import { sameId } from './arm-ids.js';
import { toAzureError } from './azure-errors.js';
import { type DataDiskEdit, findDataDisk, parseLun, pickLun, updateDataDisks } from './data-disks.js';
import type { DiskChange } from './disk-change-batcher.js';
import { forceDetachEdit } from './force-detach-edit.js';
import { guestPathsFor } from './guest-paths.js';
import { pollDeadline } from './poll-deadline.js';
import { toServer } from './resource-state.js';

/**
 * Attaches a managed disk as a data disk (first free LUN, or `lun:N`) by an
 * ETag-guarded VM update, then waits until the disk shows Attached to the VM.
 * Converges: a disk already attached to the VM, or listed on it by an update
 * another broker sent, is only confirmed or waited for (`alreadyAttached`);
 * a disk whose `managedBy` names another VM, or that Compute refuses because
 * another VM took it first (ConflictingUserInput), is `conflict` naming it.
 */
export async function attachDisk(
  arm: ArmAccess,
  request: AttachVolumeRequest,
  call: ResolvedCallOptions,
): Promise<VolumeAttachment> {
  const requestedLun = parseLun(request.device);
  const vmRef = arm.vmRef(request.serverId);
  const diskRef = arm.diskRef(request.volumeId);
  const readAt = arm.context.services.clock.now();
  const [vm, volume] = await readBoth(
    arm.readVm(vmRef, call.signal, true),
    arm.readVolumeShared(diskRef, call.signal),
  );
  const server = toServer(vm);
  checkZone(server, volume);
  const plan = checkAttachable(server, volume, sameId);
  const listed = findDataDisk(vm.storageProfile?.dataDisks ?? [], volume.id);
  const attachment = (lun: number | undefined, state: VolumeAttachment['state'], providerState?: string) => ({
    serverId: server.id,
    volumeId: volume.id,
    ...(lun === undefined ? {} : { device: `lun:${lun}`, guestPaths: guestPathsFor(lun) }),
    state,
    ...(providerState === undefined ? {} : { providerState }),
  });
  if (plan.action === 'attached') {
    return { ...attachment(listed?.lun, 'attached', volume.providerStatus), alreadyAttached: true };
  }
  if (plan.action === 'settle' || (volume.status !== 'available' && !volume.multiAttach)) {
    throw notUnattached(volume);
  }
  let lun = -1;
  let already = false;
  const edit: DataDiskEdit = (disks) => {
    const present = findDataDisk(disks, volume.id);
    if (present && !present.toBeDetached) {
      // listed by an update another broker sent: that attach is under way, wait for it
      lun = present.lun;
      already = true;
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
    { vm, at: readAt },
  ).catch((error: unknown) => {
    throw lostRace(error, volume) ?? error;
  });
  // The batcher reads no VM after its update (the LUN sent is the LUN held); the unbatched path does.
  const finalLun = findDataDisk(updated?.storageProfile?.dataDisks ?? [], volume.id)?.lun ?? lun;
  const mark = (a: VolumeAttachment): VolumeAttachment => (already ? { ...a, alreadyAttached: true } : a);
  if (call.wait === false) return mark(attachment(finalLun, 'attaching'));
  const description = `disk ${volume.name} to be attached to VM ${server.name}`;
  const wait = { description, options: call.wait, signal: call.signal, operation: 'attach' };
  const done = await arm.waitVolume(diskRef, wait, (v) =>
    v.attachments.length > 0 ? verdict.done : verdict.pending,
  );
  // Confirmed from the disk's side: the disk names this VM, or the race is lost after all.
  const holder = done.attachments.find((a) => !sameId(a.serverId, server.id));
  if (holder !== undefined && !done.multiAttach) throw heldElsewhere(done, holder.serverId, server.id);
  return mark(attachment(finalLun, 'attached', done.providerStatus));
}

/** Compute's refusal of a disk another VM took first, as `conflict` naming that VM (from its message). */
function lostRace(error: unknown, volume: Volume): BrokerError | undefined {
  if (!isBrokerError(error)) return undefined;
  const holder = /already (?:attached to|owned by) VM '?(\/subscriptions\/[^\s']+?)'?\.?(?:\s|$)/i.exec(
    error.message,
  )?.[1];
  if (error.providerCode !== 'ConflictingUserInput' && holder === undefined) return undefined;
  return new BrokerError('conflict', error.message, {
    ...error.details(),
    ...(holder === undefined ? {} : { heldBy: holder }),
    lastState: volume,
    retryable: false,
  });
}

/**
 * Removes a data disk from a VM (ETag-guarded) and waits until the disk no longer names
 * the VM, on core's detach engine. Both sides have a say: the VM's data-disk list (what
 * the update edits) and the disk's `managedBy` (what the wait reads).
 */
export async function detachDisk(
  arm: ArmAccess,
  request: DetachVolumeRequest,
  call: ResolvedCallOptions,
  force = false,
): Promise<DetachVolumeResult> {
  const vmRef = arm.vmRef(request.serverId);
  const diskRef = arm.diskRef(request.volumeId);
  const readAt = arm.context.services.clock.now();
  const listedOn = ({ vm, volume }: DiskOnVm) => findDataDisk(vm.storageProfile?.dataDisks ?? [], volume.id);
  const edit = (volume: Volume): DataDiskEdit =>
    force
      ? forceDetachEdit(volume.id)
      : (disks) => {
          const present = findDataDisk(disks, volume.id);
          return present ? disks.filter((d) => d !== present) : undefined;
        };
  return runDetach<DiskOnVm>(
    {
      read: async () => {
        const [vm, volume] = await readBoth(
          arm.readVm(vmRef, call.signal, false),
          arm.readVolumeShared(diskRef, call.signal),
        );
        return { vm, volume };
      },
      view: ({ volume }) => volume,
      // ARM has no transitional disk state to wait out (see notUnattached): never `settle`.
      plan: (seen) =>
        listedOn(seen) !== undefined || seen.volume.attachments.some((a) => sameId(a.serverId, seen.vm.id))
          ? 'send'
          : 'none',
      settle: async () => {
        throw new Error('unreachable: an ARM disk has no transition to settle');
      },
      send: async (seen) => {
        // Named by the disk but no longer listed on the VM: the update that removed it is done.
        if (listedOn(seen) === undefined) return undefined;
        const description = `VM ${vmRef.name} to release disk ${seen.volume.name}`;
        await changeDisks(arm, 'detachVolume', call, vmRef, edit(seen.volume), description, {
          vm: seen.vm,
          at: readAt,
        });
        return undefined;
      },
      unwaited: () => arm.readVolume(diskRef, call.signal),
      waitDetached: ({ vm, volume }, options) => {
        const description = `disk ${volume.name} to be detached from VM ${vmRef.name}`;
        const wait = { description, options, signal: call.signal, operation: 'detach' };
        return arm.waitVolume(diskRef, wait, (v) =>
          v.attachments.some((a) => sameId(a.serverId, vm.id)) ? verdict.pending : verdict.done,
        );
      },
    },
    call,
    // No lock to release early: the VM update is the whole of the change.
    () => {},
  );
}

/** A detach's read: the VM (its data-disk list) and the disk (its `managedBy`). */
interface DiskOnVm {
  readonly vm: VirtualMachine;
  readonly volume: Volume;
}

/**
 * Azure's answer where core's rules say `settle`, or the disk is not attachable: `invalid-state`
 * at once, where OpenStack and EC2 wait. ARM has no transitional disk state to wait out: a disk
 * is Unattached, Attached or Reserved (resource-state.ts maps none of them to `attaching` or
 * `detaching`), and its attach or detach happens inside the VM update this driver sends and
 * waits on itself. A disk neither Unattached nor shareable (ActiveSAS, an upload, Frozen) does
 * not become attachable by waiting, so the call says so rather than run out its deadline.
 */
function notUnattached(volume: Volume): BrokerError {
  return new BrokerError(
    'invalid-state',
    `disk ${volume.name} is ${volume.providerStatus}; it must be Unattached`,
    {
      lastState: volume,
    },
  );
}

function changeDisks(
  arm: ArmAccess,
  operation: 'attachVolume' | 'detachVolume',
  call: ResolvedCallOptions,
  vmRef: ReturnType<ArmAccess['vmRef']>,
  edit: DataDiskEdit,
  description: string,
  seen: DiskChange['seen'],
) {
  const deadline = pollDeadline(call);
  const mapped = (error: unknown) => deadline.mapError(toAzureError(error, operation), description);
  const batcher = arm.diskBatcher;
  if (batcher !== undefined) {
    const kind = operation === 'attachVolume' ? 'attach' : 'detach';
    const left = timeLeft(call.signal);
    const change = {
      kind,
      edit,
      waitForUpdate: call.wait !== false,
      signal: deadline.signal,
      ...(Number.isFinite(left) ? { deadline: arm.context.services.clock.now() + left } : {}),
      // the precheck's read: the batch may send on it (the If-Match guards a VM changed since)
      seen,
    } as const;
    return batcher.submit(vmRef, change).catch((error: unknown) => {
      throw mapped(error);
    });
  }
  const options = {
    pollIntervalMs: arm.config.pollIntervalMs,
    signal: deadline.signal,
    waitForUpdate: call.wait !== false,
  };
  // an ETag-guarded update is safe to repeat: a stale one fails 412 instead of overwriting
  return arm.retry(operation, call.signal, true, () =>
    updateDataDisks(arm.clients.compute, vmRef, edit, options).catch((error: unknown) => {
      throw mapped(error);
    }),
  );
}

/**
 * The prechecks' two reads, in parallel (one round trip, not two, while a failover queues
 * reads in the ARM budget). Both settle before either error is thrown, and the VM's error
 * wins, so a call naming a missing VM says so whatever the disk read found, as it did when
 * the reads ran one after the other.
 */
async function readBoth<A, B>(first: Promise<A>, second: Promise<B>): Promise<[A, B]> {
  const [a, b] = await Promise.allSettled([first, second]);
  if (a.status === 'rejected') throw a.reason;
  if (b.status === 'rejected') throw b.reason;
  return [a.value, b.value];
}

/** Same zone, said clearly before the cloud is asked (core's rules then decide the rest). */
function checkZone(server: Server, volume: Volume): void {
  if (volume.availabilityZone !== undefined && volume.availabilityZone !== server.availabilityZone) {
    throw new BrokerError(
      'invalid-request',
      `disk ${volume.name} is in availability zone ${volume.availabilityZone} but VM ${server.name} is in ${server.availabilityZone ?? 'no zone'}; an attach must stay within one zone`,
      { field: 'volumeId' },
    );
  }
}
