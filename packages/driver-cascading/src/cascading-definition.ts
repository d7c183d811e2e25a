import { defineDriver, PlatformScale } from '@hybrid-broker/core/driver-kit';
import { CASCADING_CAPABILITIES } from './cascading-capabilities.js';
import { type CascadingConfigInput, cascadingConfigSchema } from './cascading-config.js';

declare module '@hybrid-broker/core' {
  interface DriverConfigMap {
    cascading: CascadingConfigInput;
  }
}

/**
 * The `cascading` driver: every cascaded OpenStack of one Keystone catalog
 * as one platform. Register it like any driver:
 *
 * @example
 * const broker = createBroker(
 *   { platforms: { cascade: { driver: 'cascading', cloud: 'cascading', interfaces: ['internal', 'public'] } } },
 *   { drivers: [cascadingDriver] },
 * );
 * await broker.platform('cascade').listRegions?.();
 */
export const cascadingDriver = defineDriver({
  kind: 'cascading',
  configSchema: cascadingConfigSchema,
  capabilities: CASCADING_CAPABILITIES,
  // Each cascaded region is its own Nova and Cinder, with no documented rate of its own:
  // the OpenStack driver's guard (OPENSTACK_REQUEST_BUDGET in driver-openstack), per region.
  defaultRequestBudget: { requestsPerSecond: 100, burst: 200 },
  async create(config, context) {
    const { buildCascadingDriver } = await import('./cascading-stack.js');
    const stack = await buildCascadingDriver(config, {
      platform: context.platform,
      fetch: context.services.fetch,
      clock: context.services.clock,
      // Nobody takes events: the layers then build none.
      emit: context.listening === false ? undefined : context.emit,
      retry: context.retry,
      wait: context.wait,
      scale: new PlatformScale(context.scale, {
        clock: context.services.clock,
        maxRetryAfterMs: context.retry.maxRetryAfterMs,
      }),
    });
    // Credentials read from clouds.yaml, secure.yaml or OS_* are not in the config: register them.
    context.addSecrets?.(stack.secrets);
    return stack.driver;
  },
});
