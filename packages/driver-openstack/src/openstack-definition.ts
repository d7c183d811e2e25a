import { defineDriver } from '@hybrid-broker/core/driver-kit';
import { createNodeHttpTransport } from './node-http-transport.js';
import { type OpenStackConfigInput, openstackConfigSchema } from './openstack-config.js';
import { OPENSTACK_CAPABILITIES } from './openstack-driver.js';
import { createOpenStackDriver } from './openstack-stack.js';
import { resolveOpenStackSettings } from './resolve-settings.js';

declare module '@hybrid-broker/core' {
  interface DriverConfigMap {
    openstack: OpenStackConfigInput;
  }
}

/**
 * The `openstack` driver: Keystone v3, Nova and Cinder over fetch.
 *
 * @example
 * const broker = createBroker(
 *   { platforms: { lab: { driver: 'openstack', cloud: 'lab', region: 'RegionOne' } } },
 *   { drivers: [openstackDriver] },
 * );
 */
export const openstackDriver = defineDriver({
  kind: 'openstack',
  configSchema: openstackConfigSchema,
  capabilities: OPENSTACK_CAPABILITIES,
  async create(config, context) {
    const settings = await resolveOpenStackSettings(config, { fieldPrefix: `platforms.${context.platform}` });
    return createOpenStackDriver(settings, {
      fetch:
        settings.transport === 'node-http'
          ? createNodeHttpTransport({ ...settings.tls }).fetch
          : context.services.fetch,
      clock: context.services.clock,
      // Nobody takes events: the layers then build none (they are optional everywhere below).
      emit: context.listening === false ? undefined : context.emit,
      retry: context.retry,
      wait: context.wait,
      requestTimeoutMs: settings.requestTimeoutMs,
    });
  },
});
