import { defineDriver } from '@hybrid-broker/core/driver-kit';
import { ARM_READ_BUDGET } from './arm-request-budget.js';
import { azureCapabilities } from './azure-capabilities.js';
import { type AzureDriverConfigInput, azureConfigSchema } from './azure-config.js';

declare module '@hybrid-broker/core' {
  interface DriverConfigMap {
    azure: AzureDriverConfigInput;
  }
}

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
    const { createAzureDriver } = await import('./create-azure-driver.js');
    return createAzureDriver(config, context);
  },
});
