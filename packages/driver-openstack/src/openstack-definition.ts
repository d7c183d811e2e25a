import { collectSecrets, defineDriver, PlatformScale } from '@hybrid-broker/core/driver-kit';
import { type OpenStackConfigInput, openstackConfigSchema } from './common/openstack-config.js';
import { createNodeHttpTransport } from './http/node-http-transport.js';
import { OPENSTACK_REQUEST_BUDGET } from './http/request-budget-default.js';
import { resolveOpenStackSettings } from './keystone/resolve-settings.js';
import { withNotifications } from './notifications/with-notifications.js';
import { OPENSTACK_CAPABILITIES } from './openstack-driver.js';
import { createOpenStackDriver, withClose } from './openstack-stack.js';

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
  defaultRequestBudget: OPENSTACK_REQUEST_BUDGET,
  async create(config, context) {
    const settings = await resolveOpenStackSettings(config, { fieldPrefix: `platforms.${context.platform}` });
    // Credentials read from clouds.yaml, secure.yaml or OS_* are not in the config: register them.
    context.addSecrets?.(collectSecrets(settings.auth));
    const transport =
      settings.transport === 'node-http' ? createNodeHttpTransport({ ...settings.tls }) : undefined;
    const plain = createOpenStackDriver(settings, {
      fetch: transport ? transport.fetch : context.services.fetch,
      clock: context.services.clock,
      // Nobody takes events: the layers then build none (they are optional everywhere below).
      emit: context.listening === false ? undefined : context.emit,
      retry: context.retry,
      wait: context.wait,
      requestTimeoutMs: settings.requestTimeoutMs,
      maxResponseBytes: settings.maxResponseBytes,
      scale: new PlatformScale(context.scale, {
        clock: context.services.clock,
        maxRetryAfterMs: context.retry.maxRetryAfterMs,
      }),
    });
    const driver = withNotifications(plain, config.notifications, {
      clock: context.services.clock,
      ...(context.addSecrets ? { addSecrets: context.addSecrets } : {}),
    });
    // The driver's own transport goes with it: close() drops its keep-alive sockets.
    return transport ? withClose(driver, () => transport.close()) : driver;
  },
});
