/// <reference types="node" preserve="true" />
/**
 * @packageDocumentation
 * The Azure driver of hybrid-broker: `azureDriver`, a light definition whose
 * factory loads `@azure/arm-compute`, `@azure/arm-network` and `@azure/identity`
 * only when a platform uses it.
 */

export { type ArmResourceId, armResourceId, parseArmId } from './arm-ids.js';
export { azureCapabilities } from './azure-capabilities.js';
export {
  type AzureDriverConfig,
  type AzureDriverConfigInput,
  azureConfigSchema,
  azureCredentialsSchema,
  azureSdkRetrySchema,
} from './azure-config.js';
export { azureDriver } from './azure-definition.js';
