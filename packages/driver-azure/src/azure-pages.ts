import type { Disk, VirtualMachine } from '@azure/arm-compute';
import {
  BrokerError,
  type ListPage,
  type PageOptions,
  type Server,
  type ServerFilter,
  type Volume,
  type VolumeFilter,
} from '@hybrid-broker/core';
import type { ArmAccess } from './arm-access.js';
import { PUBLIC_ARM } from './azure-clients.js';
import { toAzureError } from './azure-errors.js';
import { matchingDisks, matchingVms } from './azure-lists.js';

/** The pages of an SDK list (ARM's `nextLink`, the SDK's continuation token). */
interface PagedList<T> {
  byPage(settings?: {
    continuationToken?: string;
  }): AsyncIterableIterator<T[] & { continuationToken?: string }>;
}

/**
 * The cursor is ARM's `nextLink`, a whole URL the SDK requests with the bearer token: one
 * from outside is taken only on the configured ARM endpoint, so the token goes nowhere else.
 */
function checkCursor(arm: ArmAccess, cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const endpoint = new URL(arm.config.endpoint ?? PUBLIC_ARM).origin;
  let origin: string | undefined;
  try {
    origin = new URL(cursor).origin;
  } catch {
    origin = undefined;
  }
  if (origin !== endpoint) {
    throw new BrokerError('invalid-request', 'cursor is not a page of this ARM endpoint', {
      field: 'cursor',
    });
  }
  return cursor;
}

/**
 * One ARM page of a list (ARM sets the page size; `pageSize` has no ARM parameter to go to),
 * read with the SDK's `byPage`, and stopped there: the SDK would otherwise follow `nextLink`.
 */
async function onePage<T>(
  arm: ArmAccess,
  operation: 'listServers' | 'listVolumes',
  what: string,
  options: PageOptions,
  list: (signal: AbortSignal | undefined) => PagedList<T>,
): Promise<{ items: T[]; next: string | undefined }> {
  const cursor = checkCursor(arm, options.cursor);
  return arm.retry(operation, options.signal, true, async () => {
    const pages = list(options.signal).byPage(
      cursor === undefined ? undefined : { continuationToken: cursor },
    );
    try {
      const first = await pages.next();
      if (first.done) return { items: [], next: undefined };
      return { items: [...first.value], next: first.value.continuationToken || undefined };
    } catch (error) {
      throw toAzureError(error, what);
    } finally {
      await pages.return?.();
    }
  });
}

/** One page of the resource group's VMs that match `filter`, each read again for its power state. */
export async function vmsPage(
  arm: ArmAccess,
  filter: ServerFilter,
  read: (id: string) => Promise<Server>,
  options: PageOptions,
): Promise<ListPage<Server>> {
  const group = arm.scope.resourceGroup;
  const page = await onePage<VirtualMachine>(
    arm,
    'listServers',
    `listing VMs of ${group}`,
    options,
    (signal) => arm.clients.compute.virtualMachines.list(group, { abortSignal: signal }),
  );
  return { items: await matchingVms(page.items, filter, read), next: page.next };
}

/** One page of the resource group's managed disks that match `filter`. */
export async function disksPage(
  arm: ArmAccess,
  filter: VolumeFilter,
  options: PageOptions,
): Promise<ListPage<Volume>> {
  const group = arm.scope.resourceGroup;
  const page = await onePage<Disk>(arm, 'listVolumes', `listing disks of ${group}`, options, (signal) =>
    arm.clients.compute.disks.listByResourceGroup(group, { abortSignal: signal }),
  );
  return { items: matchingDisks(arm, page.items, filter), next: page.next };
}
