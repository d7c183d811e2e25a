import { BrokerError } from '@hybrid-broker/core';

/**
 * Azure's naming rules ("Naming rules and restrictions for Azure resources",
 * Microsoft.Compute and resource groups): the grammar a VM, disk or resource
 * group name must fit before the driver puts it in an ARM URL.
 */
const RULES: Readonly<Record<string, { readonly pattern: RegExp; readonly says: string }>> = {
  // virtualMachines: 1-64 (Linux; Windows 15), disks: 1-80; alphanumerics, underscores, periods,
  // hyphens; start alphanumeric, end alphanumeric or underscore.
  'microsoft.compute/virtualmachines': {
    pattern: /^[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,62}[A-Za-z0-9_])?$/,
    says: 'a VM name: 1-64 letters, digits, "_", "." or "-", starting with a letter or digit and ending with a letter, digit or "_"',
  },
  'microsoft.compute/disks': {
    pattern: /^[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,78}[A-Za-z0-9_])?$/,
    says: 'a disk name: 1-80 letters, digits, "_", "." or "-", starting with a letter or digit and ending with a letter, digit or "_"',
  },
};

// Resource groups: 1-90 Unicode letters and digits, "_", "(", ")", "-", "."; not ending in ".".
const RESOURCE_GROUP = /^[\p{L}\p{N}_().-]{0,89}[\p{L}\p{N}_()-]$/u;

/**
 * Refuses a name Azure could not hold for `providerAndType` (e.g.
 * `Microsoft.Compute/disks`), before anything is sent: such a name is the
 * caller's mistake (`invalid-request` naming `field`), never a verdict of
 * not-found. Types without a rule here pass.
 */
export function checkArmName(providerAndType: string, name: string, field: string): void {
  const rule = RULES[providerAndType.toLowerCase()];
  if (!rule || rule.pattern.test(name)) return;
  throw new BrokerError(
    'invalid-request',
    `${field}: expected ${rule.says}, or its full ARM resource id; got ${JSON.stringify(name.slice(0, 80))}`,
    { field, retryable: false },
  );
}

/** Refuses a resource group name Azure could not hold (in an ARM id the caller gave). */
export function checkResourceGroupName(name: string, field: string): void {
  if (RESOURCE_GROUP.test(name)) return;
  throw new BrokerError(
    'invalid-request',
    `${field}: the resource group of this ARM id is no resource group name (1-90 letters, digits, "_", "(", ")", "-" or ".", not ending in "."); got ${JSON.stringify(name.slice(0, 90))}`,
    { field, retryable: false },
  );
}
