import type { AvailabilitySet } from '@azure/arm-compute';
import { BrokerError, isBrokerError } from '@hybrid-broker/core';
import type { ArmAccess } from './arm-access.js';
import { toAzureError } from './azure-errors.js';

// Availability set names: 1-80 of letters, digits, '_', '.', '-'; starting with a letter or digit,
// ending with a letter, digit or '_' (Azure's naming rules for Microsoft.Compute/availabilitySets).
const AVSET_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,78}[A-Za-z0-9_])?$/;

/** Checks a group name against ARM's availability set grammar, before anything is sent. */
export function checkAvailabilitySetName(name: string): void {
  if (!AVSET_NAME.test(name)) {
    throw new BrokerError(
      'invalid-request',
      'antiAffinityGroup must be 1-80 letters, digits, "_", "." or "-", starting with a letter or digit and not ending in "." or "-" (an Azure availability set name)',
      { field: 'antiAffinityGroup' },
    );
  }
}

/**
 * The availability set of this name, made on first use (sku `Aligned`, which
 * managed disks need). A PUT by name is idempotent, so brokers racing to make
 * it make one set. Before a member is added the driver checks its room: Azure
 * would put more members than fault domains on a shared fault domain, which
 * is no anti-affinity, so that is refused as `placement-failed` with nothing made.
 */
export async function availabilitySetFor(
  arm: ArmAccess,
  name: string,
  vmName: string,
  signal: AbortSignal | undefined,
): Promise<string> {
  checkAvailabilitySetName(name);
  const rg = arm.config.resourceGroup;
  const set = (await readSet(arm, rg, name, signal)) ?? (await makeSet(arm, rg, name, signal));
  const members = (set.virtualMachines ?? []).filter(
    (vm) => !(vm.id ?? '').toLowerCase().endsWith(`/virtualmachines/${vmName.toLowerCase()}`),
  );
  const domains = set.platformFaultDomainCount ?? arm.config.availabilitySetFaultDomains;
  if (members.length >= domains) {
    throw new BrokerError(
      'placement-failed',
      `availability set "${name}" already has a member on each of its ${domains} fault domains`,
      { providerCode: 'FaultDomainsFull', retryable: false },
    );
  }
  return set.id ?? '';
}

async function readSet(arm: ArmAccess, rg: string, name: string, signal: AbortSignal | undefined) {
  try {
    return await arm.clients.compute.availabilitySets.get(rg, name, { abortSignal: signal });
  } catch (error) {
    const mapped = toAzureError(error, `reading availability set ${name}`);
    if (isBrokerError(mapped, 'not-found')) return undefined;
    throw mapped;
  }
}

async function makeSet(arm: ArmAccess, rg: string, name: string, signal: AbortSignal | undefined) {
  const body: AvailabilitySet = {
    location: arm.config.location,
    sku: { name: 'Aligned' },
    platformFaultDomainCount: arm.config.availabilitySetFaultDomains,
    platformUpdateDomainCount: 5,
  };
  try {
    return await arm.clients.compute.availabilitySets.createOrUpdate(rg, name, body, { abortSignal: signal });
  } catch (error) {
    throw toAzureError(error, `creating availability set ${name}`);
  }
}

// Azure's answers when no host of the cluster can take the VM (allocation failures).
const ALLOCATION =
  /allocationfailed|allocation failed|overconstrainedallocationrequest|zonalallocationfailed/i;

/** True when a create failed because Azure could not allocate the VM. */
export function isAllocationFailure(error: unknown): error is BrokerError {
  return (
    isBrokerError(error) && (ALLOCATION.test(error.providerCode ?? '') || ALLOCATION.test(error.message))
  );
}
