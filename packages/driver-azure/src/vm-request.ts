import type { ImageReference, VirtualMachine } from '@azure/arm-compute';
import { BrokerError, type CreateServerRequest } from '@hybrid-broker/core';
import { createServerDigest, REQUEST_DIGEST_KEY } from '@hybrid-broker/core/driver-kit';
import type { AzureDriverConfig } from './azure-config.js';
import { IDEMPOTENCY_TAG } from './resource-state.js';

// Linux VM names: 1-64 of letters, digits, '-', '_', '.'; not starting with '_' nor ending with '.' or '-'.
const VM_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}[A-Za-z0-9_]$|^[A-Za-z0-9]$/;

/** Checks a VM name as ARM would, so a bad one fails before any request. */
export function checkVmName(name: string): void {
  if (!VM_NAME.test(name)) {
    throw new BrokerError(
      'invalid-request',
      `name "${name}" is not a valid Azure VM name (1-64 letters, digits, "-", "_" or "."; not ending in "." or "-")`,
      { field: 'name' },
    );
  }
}

/** Reads a marketplace URN `publisher:offer:sku:version` or an image / gallery image id. */
export function imageReferenceOf(image: string): ImageReference {
  if (image.startsWith('/')) return { id: image };
  const parts = image.split(':');
  if (parts.length === 4 && parts.every((p) => p.length > 0)) {
    const [publisher, offer, sku, version] = parts as [string, string, string, string];
    return { publisher, offer, sku, version };
  }
  throw new BrokerError(
    'invalid-request',
    `image "${image}" is neither a marketplace URN (publisher:offer:sku:version) nor an image id`,
    { field: 'image' },
  );
}

/** What the VM body needs beyond the request. */
export interface VmBodyInput {
  readonly request: CreateServerRequest;
  readonly config: AzureDriverConfig;
  /** NIC ids, each with whether this driver made it (then it is deleted with the VM). */
  readonly nics: readonly { readonly id: string; readonly created: boolean }[];
  readonly idempotencyKey: string | undefined;
  /** The availability set of an `antiAffinityGroup`. */
  readonly availabilitySetId?: string;
}

/** The ARM VM body of a create: image, size, zone, NICs, admin user and SSH key, custom data, tags. */
export function buildVirtualMachine(input: VmBodyInput): VirtualMachine {
  const { request, config } = input;
  const adminUsername = request.adminUsername ?? config.adminUsername;
  const sshKey = request.sshPublicKey ?? config.sshPublicKey;
  if (sshKey === undefined) {
    throw new BrokerError(
      'invalid-request',
      'sshPublicKey is required (in the request or the platform config)',
      {
        field: 'sshPublicKey',
      },
    );
  }
  const tags = {
    ...request.metadata,
    ...(input.idempotencyKey === undefined
      ? {}
      : { [IDEMPOTENCY_TAG]: input.idempotencyKey, [REQUEST_DIGEST_KEY]: createServerDigest(request) }),
  };
  return {
    location: config.location,
    tags,
    ...(request.availabilityZone === undefined ? {} : { zones: [request.availabilityZone] }),
    hardwareProfile: { vmSize: request.flavor },
    ...(input.availabilitySetId === undefined ? {} : { availabilitySet: { id: input.availabilitySetId } }),
    storageProfile: {
      imageReference: imageReferenceOf(request.image),
      osDisk: {
        createOption: 'FromImage',
        deleteOption: 'Delete',
        managedDisk: { storageAccountType: config.osDiskType },
      },
    },
    osProfile: {
      computerName: request.name.slice(0, 64),
      adminUsername,
      ...(request.userData === undefined
        ? {}
        : { customData: Buffer.from(request.userData, 'utf8').toString('base64') }),
      linuxConfiguration: {
        disablePasswordAuthentication: true,
        ssh: { publicKeys: [{ path: `/home/${adminUsername}/.ssh/authorized_keys`, keyData: sshKey }] },
      },
    },
    networkProfile: {
      networkInterfaces: input.nics.map((nic, index) => ({
        id: nic.id,
        primary: index === 0,
        // a NIC this driver made goes with the VM; one the caller gave stays
        deleteOption: nic.created ? 'Delete' : 'Detach',
      })),
    },
  };
}
