/// <reference types="node" preserve="true" />
/**
 * @packageDocumentation
 * The `openstack` driver of hybrid-broker: what a program needs to configure
 * and register it. The layers it is built from (Keystone session, catalog, HTTP
 * client, Nova and Cinder clients), for drivers built from it such as the
 * cascading driver, are in `@hybrid-broker/driver-openstack/layers`.
 */
export {
  type EndpointInterface,
  endpointInterfaceSchema,
  endpointOverridesSchema,
  type KeystoneAuthConfig,
  type KeystoneAuthConfigInput,
  keystoneAuthConfigSchema,
  type OpenStackConfig,
  type OpenStackConfigInput,
  openstackConfigSchema,
  type ServiceName,
} from './common/openstack-config.js';
export { OPENSTACK_REQUEST_BUDGET } from './http/request-budget-default.js';
export type { ExternalCloudSettings } from './keystone/auth-dict.js';
export { type CloudsYamlOptions, loadCloudsYaml } from './keystone/clouds-yaml.js';
export { OS_ENV_VARIABLES, readOsEnvironment } from './keystone/os-env.js';
export {
  type ResolvedOpenStackSettings,
  resolveOpenStackSettings,
  type SettingsSources,
  type TlsSettings,
} from './keystone/resolve-settings.js';
export { openstackDriver } from './openstack-definition.js';
export { OPENSTACK_CAPABILITIES } from './openstack-driver.js';
export { IDEMPOTENCY_METADATA_KEY } from './operations/create-server.js';
