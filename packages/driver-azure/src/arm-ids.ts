import { BrokerError } from '@hybrid-broker/core';
import { checkArmName, checkResourceGroupName } from './arm-names.js';

/** The parts of an ARM resource id. */
export interface ArmResourceId {
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  /** Resource provider namespace, e.g. `Microsoft.Compute`. */
  readonly provider: string;
  /** Resource type path, e.g. `virtualMachines` or `virtualNetworks/subnets`. */
  readonly type: string;
  /** The last name segment, e.g. the VM or subnet name. */
  readonly name: string;
  /** The id as given. */
  readonly id: string;
}

const ARM_ID =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/([^/]+)\/((?:[^/]+\/[^/]+)(?:\/[^/]+\/[^/]+)*)$/i;

/**
 * Parses `/subscriptions/{s}/resourceGroups/{rg}/providers/{ns}/{type}/{name}[/{child}/{name}]`.
 * Returns undefined when `id` is not an ARM resource id.
 */
export function parseArmId(id: string): ArmResourceId | undefined {
  const match = ARM_ID.exec(id);
  if (!match) return undefined;
  const [, subscriptionId = '', resourceGroup = '', provider = '', rest = ''] = match;
  const parts = rest.split('/');
  const type = parts.filter((_, index) => index % 2 === 0).join('/');
  const name = parts[parts.length - 1] ?? '';
  return { subscriptionId, resourceGroup, provider, type, name, id };
}

/** Builds an ARM resource id. */
export function armResourceId(
  subscriptionId: string,
  resourceGroup: string,
  providerAndType: string,
  name: string,
): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/${providerAndType}/${name}`;
}

/** Where bare names are looked up. */
export interface ArmScope {
  readonly subscriptionId: string;
  readonly resourceGroup: string;
}

/** A resource the driver addresses: its group, name and full id. */
export interface ResolvedRef {
  readonly resourceGroup: string;
  readonly name: string;
  readonly id: string;
}

/**
 * Accepts a full ARM id of `providerAndType` (e.g. `Microsoft.Compute/disks`) or a bare
 * name in the configured resource group, each name held to Azure's naming rules
 * (see `arm-names.ts`); anything else is `invalid-request` naming `field`.
 */
export function resolveRef(
  value: string,
  providerAndType: string,
  scope: ArmScope,
  field: string,
): ResolvedRef {
  if (!value.includes('/')) {
    checkArmName(providerAndType, value, field);
    return {
      resourceGroup: scope.resourceGroup,
      name: value,
      id: armResourceId(scope.subscriptionId, scope.resourceGroup, providerAndType, value),
    };
  }
  const parsed = parseArmId(value);
  const [provider, type] = providerAndType.split('/');
  if (!parsed || !sameId(parsed.provider, provider ?? '') || !sameId(parsed.type, type ?? '')) {
    throw new BrokerError(
      'invalid-request',
      `${field} must be a ${providerAndType} resource id or a bare name`,
      {
        field,
      },
    );
  }
  if (!sameId(parsed.subscriptionId, scope.subscriptionId)) {
    throw new BrokerError(
      'invalid-request',
      `${field} is in subscription ${parsed.subscriptionId}, not the configured ${scope.subscriptionId}`,
      { field },
    );
  }
  checkResourceGroupName(parsed.resourceGroup, field);
  checkArmName(providerAndType, parsed.name, field);
  return { resourceGroup: parsed.resourceGroup, name: parsed.name, id: value };
}

/** ARM ids and names compare case-insensitively. */
export function sameId(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();
}
