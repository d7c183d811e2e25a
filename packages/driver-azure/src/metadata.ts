import type { Server, SetServerMetadataRequest, SetVolumeMetadataRequest, Volume } from '@hybrid-broker/core';
import {
  AZURE_TAG_LIMITS,
  type MetadataRules,
  mergeMetadata,
  type ResolvedCallOptions,
  type ResolvedWaitOptions,
  runMetadataChange,
  waitFor,
} from '@hybrid-broker/core/driver-kit';
import type { ArmAccess } from './arm-access.js';
import { toAzureError } from './azure-errors.js';
import { IDEMPOTENCY_TAG, toServer } from './resource-state.js';

/** Azure's tag rules: 50 tags, names up to 512, values up to 256; names compare case-insensitively. */
export const AZURE_METADATA_RULES: MetadataRules = {
  limits: AZURE_TAG_LIMITS,
  marker: IDEMPOTENCY_TAG,
  ignoreCase: true,
};

/**
 * The tags a change leaves, from a fresh read of every tag the resource holds (the
 * driver's own included: a PATCH of `tags` replaces them all, so none may be left out).
 */
function nextTags(
  current: Readonly<Record<string, string>> | undefined,
  set: Readonly<Record<string, string>>,
  remove: readonly string[],
): Record<string, string> {
  return mergeMetadata(current ?? {}, { set, remove }, true);
}

/**
 * `setVolumeMetadata` on ARM: a `PATCH` of the disk's `tags` (the merged set: ARM replaces
 * the whole object), then a wait until a read shows the change.
 */
export function setDiskMetadata(
  arm: ArmAccess,
  request: SetVolumeMetadataRequest,
  call: ResolvedCallOptions,
): Promise<Volume> {
  const disk = arm.diskRef(request.volumeId);
  const read = () => arm.readVolume(disk, call.signal);
  return runMetadataChange<Volume>(
    request,
    AZURE_METADATA_RULES,
    {
      read,
      send: async (set, remove) => {
        const tags = nextTags((await read()).metadata, set, remove);
        await arm.retry('setVolumeMetadata', call.signal, true, async () => {
          try {
            await arm.clients.compute.disks.beginUpdate(
              disk.resourceGroup,
              disk.name,
              { tags },
              {
                abortSignal: call.signal,
              },
            );
          } catch (error) {
            throw toAzureError(error, `updating the tags of disk ${disk.name}`);
          }
        });
      },
      wait: (description, check) =>
        waitFor({
          description,
          probe: read,
          check,
          stateOf: (v) => v.providerStatus,
          options: call.wait as ResolvedWaitOptions,
          signal: call.signal,
          clock: arm.context.services.clock,
          emit: arm.context.emit,
          resource: { kind: 'volume', id: request.volumeId },
        }),
    },
    call,
    `disk ${disk.name}`,
  );
}

/** `setServerMetadata` on ARM: as {@link setDiskMetadata}, a `PATCH` of the VM's `tags`. */
export function setVmMetadata(
  arm: ArmAccess,
  request: SetServerMetadataRequest,
  call: ResolvedCallOptions,
): Promise<Server> {
  const vm = arm.vmRef(request.serverId);
  const read = async () => toServer(await arm.readVm(vm, call.signal, true, true));
  return runMetadataChange<Server>(
    request,
    AZURE_METADATA_RULES,
    {
      read,
      send: async (set, remove) => {
        const tags = nextTags((await read()).metadata, set, remove);
        await arm.retry('setServerMetadata', call.signal, true, async () => {
          try {
            await arm.clients.compute.virtualMachines.beginUpdate(
              vm.resourceGroup,
              vm.name,
              { tags },
              {
                abortSignal: call.signal,
              },
            );
          } catch (error) {
            throw toAzureError(error, `updating the tags of VM ${vm.name}`);
          }
        });
      },
      wait: async (description, check) => {
        const wait = { description, options: call.wait as ResolvedWaitOptions, signal: call.signal };
        return (await arm.waitServer(vm, wait, check)).server;
      },
    },
    call,
    `VM ${vm.name}`,
  );
}
