import { defineDriver } from '@hybrid-broker/core/driver-kit';
import { ARM_READ_BUDGET } from './arm-request-budget.js';
import { type AzureDriverConfigInput, azureConfigSchema } from './azure-config.js';

declare module '@hybrid-broker/core' {
  interface DriverConfigMap {
    azure: AzureDriverConfigInput;
  }
}

/** What the Azure driver can do. */
export const azureCapabilities = {
  // ARM PUTs are by name and the key is kept in a tag, so a repeated create finds the first VM.
  idempotentCreate: true,
  // `lun:N` is honoured.
  requestedDeviceHonoured: true,
  availabilityZones: true,
  multiAttach: false,
  readOnlyAttach: false,
  guestPaths: true,
  // The VM update's data disk marked toBeDetached with detachOption ForceDetach.
  forceDetach: true,
  // An availability set per group: regional, so it works in regions without zones, and a member
  // may still take a zone-less (regional) disk; zones spread would pin each member to a zone of
  // its own, against the zone the arbitrator chose for the volume.
  antiAffinity: true,
} as const;

/**
 * The `azure` driver: Azure Resource Manager through `@azure/arm-compute`.
 * The SDKs load only when a platform of this driver is first used.
 *
 * @example
 * const driver = createDriver(azureDriver, {
 *   subscriptionId, resourceGroup: 'sg', location: 'westeurope',
 *   credentials: { type: 'client-secret', tenantId, clientId, clientSecret: process.env.AZURE_CLIENT_SECRET },
 * });
 */
export const azureDriver = defineDriver({
  kind: 'azure',
  configSchema: azureConfigSchema,
  capabilities: azureCapabilities,
  // ARM's per-subscription reads bucket; see arm-request-budget.ts for the source and the writes one.
  defaultRequestBudget: ARM_READ_BUDGET,
  async create(config, context) {
    const { createAzureDriver } = await import('./azure-driver.js');
    return createAzureDriver(config, context);
  },
});
