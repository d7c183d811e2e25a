import type { Disk } from '@azure/arm-compute';
import {
  BrokerError,
  type CallOptions,
  type CreateVolumeRequest,
  type DeleteVolumeResult,
  isBrokerError,
  type Volume,
  type VolumeRef,
} from '@hybrid-broker/core';
import {
  checkSameVolumeCreate,
  REQUEST_DIGEST_KEY,
  type ResolvedCallOptions,
  resolveCallOptions,
  verdict,
  type WaitVerdict,
  waitFor,
} from '@hybrid-broker/core/driver-kit';
import type { ArmAccess } from './arm-access.js';
import type { ResolvedRef } from './arm-ids.js';
import { toAzureError } from './azure-errors.js';
import { checkDiskInput, DISK_NAME_TAG, diskBody, diskNameFor } from './disk-request.js';
import { IDEMPOTENCY_TAG, toVolume } from './resource-state.js';

/** A disk as a Volume with its tags as metadata; `creating` until ARM's provisioning ends. */
function volumeOf(disk: Disk): Volume {
  const volume = { ...toVolume(disk), metadata: { ...disk.tags } };
  const state = (disk.provisioningState ?? '').toLowerCase();
  // A disk still provisioning may already say Unattached: not yet attachable.
  return state === 'succeeded' || state === 'failed' ? volume : { ...volume, status: 'creating' };
}

/** One GET of a disk; undefined when ARM answers 404. */
async function findDisk(arm: ArmAccess, ref: ResolvedRef, signal: AbortSignal | undefined) {
  try {
    return await arm.clients.compute.disks.get(ref.resourceGroup, ref.name, { abortSignal: signal });
  } catch (error) {
    const mapped = toAzureError(error, `reading disk ${ref.name}`);
    if (isBrokerError(mapped, 'not-found')) return undefined;
    throw mapped;
  }
}

/** A disk found under the key's name is the create's result only when it carries the key and the same request. */
function adopt(existing: Disk, key: string, request: CreateVolumeRequest): Disk {
  if (existing.tags?.[IDEMPOTENCY_TAG] !== key) {
    throw new BrokerError(
      'conflict',
      `a disk named ${existing.name} already exists and was not created with idempotency key "${key}"`,
      { statusCode: 409, field: 'idempotencyKey' },
    );
  }
  checkSameVolumeCreate(key, existing.tags?.[REQUEST_DIGEST_KEY], request);
  return existing;
}

/**
 * Polls one disk through core's waiter until `check` says done (a read answering
 * 404 is `undefined`): the create's wait for provisioningState Succeeded, the
 * delete's for the 404.
 */
function waitDisk(
  arm: ArmAccess,
  ref: ResolvedRef,
  call: ResolvedCallOptions,
  wait: { readonly description: string; readonly operation: string },
  check: (disk: Disk | undefined) => WaitVerdict,
): Promise<Disk | undefined> {
  if (call.wait === false) throw new Error('waitDisk called with wait: false');
  return waitFor({
    pacing: arm.scale.pacing(wait.operation),
    description: wait.description,
    options: call.wait,
    signal: call.signal,
    clock: arm.context.services.clock,
    emit: arm.context.emit,
    resource: { kind: 'volume', id: ref.id },
    probe: (signal) => arm.retry('getVolume', signal, true, () => findDisk(arm, ref, signal)),
    check,
    stateOf: (disk) => (disk === undefined ? 'gone' : (disk.provisioningState ?? 'Unknown')),
  });
}

/**
 * `PUT .../disks/{name}` of a managed disk (Empty, Copy or FromImage, in the zone,
 * the metadata as tags), then a wait until provisioningState Succeeded. With a key
 * the name comes from the key (see diskNameFor): a repeat from any process finds
 * the disk, and two racing replicas PUT one name, which converges on one disk.
 * The key and the request digest are tags, so a key reused for another request is
 * `conflict` naming the fields that differ.
 */
export async function createDisk(
  arm: ArmAccess,
  request: CreateVolumeRequest,
  options: CallOptions | undefined,
): Promise<Volume> {
  const call = resolveCallOptions(options, arm.context.wait);
  checkDiskInput(request);
  const key = call.idempotencyKey;
  const ref = arm.diskRef(diskNameFor(key), 'name');
  const body = diskBody(request, arm.config, key);
  const sent = await arm.retry('createVolume', call.signal, key !== undefined, async () => {
    const existing = key === undefined ? undefined : await findDisk(arm, ref, call.signal);
    if (existing !== undefined && key !== undefined) return adopt(existing, key, request);
    const poller = arm.clients.compute.disks.createOrUpdate(ref.resourceGroup, ref.name, body, {
      updateIntervalInMs: arm.config.pollIntervalMs,
      abortSignal: call.signal,
    });
    try {
      // only the PUT: the wait below reads the disk itself, bounded by the call's deadline
      await poller.submitted();
    } catch (error) {
      throw toAzureError(error, `creating disk ${ref.name}`);
    }
    return undefined;
  });
  if (call.wait === false) {
    const now =
      sent ?? (await arm.retry('getVolume', call.signal, true, () => findDisk(arm, ref, call.signal)));
    return volumeOf(now ?? { ...body, id: ref.id, name: ref.name, provisioningState: 'Updating' });
  }
  const done = await waitDisk(
    arm,
    ref,
    call,
    { description: `disk ${ref.name} (${request.name}) to be created`, operation: 'create' },
    (disk) => {
      const state = (disk?.provisioningState ?? '').toLowerCase();
      if (state === 'succeeded') return verdict.done;
      if (state === 'failed') return verdict.failed(`disk ${ref.name} provisioning failed`);
      return verdict.pending;
    },
  );
  return volumeOf(done ?? { ...body, id: ref.id, name: ref.name });
}

/**
 * `DELETE` of a managed disk, then a wait until ARM answers 404. Gone already is
 * `{ deleted: false }`; an attached disk (managedBy, or diskState Attached or
 * Reserved) is refused before anything is sent, `invalid-state` naming the VM.
 */
export async function deleteDisk(
  arm: ArmAccess,
  request: VolumeRef,
  options: CallOptions | undefined,
): Promise<DeleteVolumeResult> {
  const call = resolveCallOptions(options, arm.context.wait);
  const { volumeId } = request;
  const ref = arm.diskRef(volumeId);
  const current = await arm.retry('getVolume', call.signal, true, () => findDisk(arm, ref, call.signal));
  if (current === undefined) return { volumeId, deleted: false };
  await refuseAttached(arm, current, call.signal);
  const state = (current.provisioningState ?? '').toLowerCase();
  // a delete under way is waited for, not sent again
  const sent = state === 'deleting' || (await sendDelete(arm, ref, current, call));
  if (!sent) return { volumeId, deleted: false };
  if (call.wait !== false) {
    await waitDisk(
      arm,
      ref,
      call,
      { description: `disk ${ref.name} to be deleted`, operation: 'delete' },
      (disk) => (disk === undefined ? verdict.done : verdict.pending),
    );
  }
  return { volumeId, deleted: true };
}

/** The DELETE, once a disk still being created has ended its create; false when ARM no longer has it. */
async function sendDelete(
  arm: ArmAccess,
  ref: ResolvedRef,
  current: Disk,
  call: ResolvedCallOptions,
): Promise<boolean> {
  // ARM shows a disk being made (or changed) as Updating, some API versions as Creating
  const creating = ['creating', 'updating'].includes((current.provisioningState ?? '').toLowerCase());
  if (creating && call.wait !== false) {
    const settled = await waitDisk(
      arm,
      ref,
      call,
      { description: `disk ${ref.name} to end its create before the delete`, operation: 'create' },
      (disk) => {
        const state = (disk?.provisioningState ?? '').toLowerCase();
        return disk === undefined || state === 'succeeded' || state === 'failed'
          ? verdict.done
          : verdict.pending;
      },
    );
    if (settled === undefined) return false;
  }
  return arm.retry('deleteVolume', call.signal, true, async () => {
    try {
      await arm.clients.compute.disks
        .delete(ref.resourceGroup, ref.name, {
          updateIntervalInMs: arm.config.pollIntervalMs,
          abortSignal: call.signal,
        })
        .submitted();
      return true;
    } catch (error) {
      const mapped = toAzureError(error, `deleting disk ${ref.name}`);
      if (isBrokerError(mapped, 'not-found')) return false;
      throw mapped;
    }
  });
}

/** `invalid-state` naming the holder VM (its ARM id, and its vmId when it can be read). */
async function refuseAttached(arm: ArmAccess, disk: Disk, signal: AbortSignal | undefined): Promise<void> {
  const state = disk.diskState;
  const holder = disk.managedBy || disk.shareInfo?.[0]?.vmUri;
  if (!holder && state !== 'Attached' && state !== 'Reserved') return;
  const vm = holder ? await arm.findVm(arm.vmRef(holder), signal).catch(() => undefined) : undefined;
  const heldBy = vm?.id ?? holder;
  const named = heldBy === undefined ? 'a VM' : `VM ${heldBy}${vm?.vmId ? ` (vmId ${vm.vmId})` : ''}`;
  throw new BrokerError(
    'invalid-state',
    `disk ${disk.name} (${disk.tags?.[DISK_NAME_TAG] ?? disk.name}) is attached to ${named}; detach it first`,
    { ...(heldBy === undefined ? {} : { heldBy }), lastState: state ?? 'Attached' },
  );
}
