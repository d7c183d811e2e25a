/// <reference types="node" preserve="true" />
/**
 * @packageDocumentation
 * The `openstack` driver of hybrid-broker, and its layers (Keystone auth,
 * catalog, HTTP client, Nova and Cinder clients) for drivers built from it,
 * such as the cascading driver's one driver per region on one Keystone session.
 */
export * from './auth-dict.js';
export * from './body-guards.js';
export * from './catalog.js';
export * from './cinder-client.js';
export * from './clouds-yaml.js';
export * from './create-server.js';
export * from './http-client.js';
export * from './http-exchange.js';
export * from './keystone-auth.js';
export * from './keystone-request.js';
export * from './name-resolver.js';
export * from './node-http-transport.js';
export * from './nova-client.js';
export * from './nova-schemas.js';
export * from './openstack-config.js';
export * from './openstack-definition.js';
export * from './openstack-driver.js';
export * from './openstack-errors.js';
export * from './openstack-ids.js';
export * from './openstack-mapping.js';
export * from './openstack-stack.js';
export * from './os-env.js';
export * from './request-budget-default.js';
export * from './resolve-settings.js';
export * from './service-endpoints.js';
