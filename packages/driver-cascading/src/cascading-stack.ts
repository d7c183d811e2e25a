import type { BrokerEventInput, Clock, FetchFn, RetryPolicy, WaitOptions } from '@hybrid-broker/core';
import { collectSecrets, type PlatformScale } from '@hybrid-broker/core/driver-kit';
import {
  resolveOpenStackSettings,
  type ServiceName,
  type SettingsSources,
} from '@hybrid-broker/driver-openstack';
import {
  createHttpClient,
  createKeystoneAuth,
  createNodeHttpTransport,
  createRegionDriver,
  type OpenStackRuntime,
  withClose,
} from '@hybrid-broker/driver-openstack/layers';
import type { CascadingConfig } from './cascading-config.js';
import { CascadingDriver } from './cascading-driver.js';
import { RegionDirectory } from './region-directory.js';
import { compileRegionFilter } from './region-filter.js';
import { RegionRouter } from './region-router.js';

/** The runtime a cascading driver is built with (what a broker's DriverContext gives). */
export interface CascadingRuntime {
  /** The platform's name, for events and error messages. */
  readonly platform: string;
  readonly fetch: FetchFn;
  readonly clock: Clock;
  /** Where events go; without it none are built. */
  readonly emit?: ((event: BrokerEventInput) => void) | undefined;
  readonly retry?: RetryPolicy | undefined;
  readonly wait?: WaitOptions | undefined;
  /** Where clouds.yaml and OS_* come from (tests pass their own); `fieldPrefix` defaults to `platforms.<platform>`. */
  readonly sources?: SettingsSources | undefined;
  /** The platform's scale machinery: one request budget for all regions, coalescing per region. Default off. */
  readonly scale?: PlatformScale | undefined;
}

/** A built driver and the secret strings to scrub from its messages. */
export interface CascadingStack {
  readonly driver: CascadingDriver;
  /** Every secret of the config and of the credentials found in clouds.yaml or OS_*. */
  readonly secrets: readonly string[];
}

/**
 * Builds the whole cascading stack on one Keystone session: KeystoneAuth and
 * one HTTP client shared by every region, the region directory over the
 * token's catalog, the zone router and the driver.
 */
export async function buildCascadingDriver(
  config: CascadingConfig,
  runtime: CascadingRuntime,
): Promise<CascadingStack> {
  // The OpenStack resolver folds in clouds.yaml and OS_*; a single region or its overrides mean nothing here.
  const settings = await resolveOpenStackSettings(
    { ...config, region: undefined, endpointOverrides: {} },
    { fieldPrefix: `platforms.${runtime.platform}`, ...runtime.sources },
  );
  const transport =
    settings.transport === 'node-http' ? createNodeHttpTransport({ ...settings.tls }) : undefined;
  const openstack: OpenStackRuntime = {
    fetch: transport ? transport.fetch : runtime.fetch,
    clock: runtime.clock,
    emit: runtime.emit,
    retry: runtime.retry,
    wait: runtime.wait,
    requestTimeoutMs: settings.requestTimeoutMs,
    maxResponseBytes: settings.maxResponseBytes,
    scale: runtime.scale,
  };
  const auth = createKeystoneAuth(settings, openstack);
  const http = createHttpClient(openstack, auth);
  const overrides = new Map<string, ServiceName[]>();
  for (const [region, perRegion] of Object.entries(config.regionSettings)) {
    const services = Object.keys(perRegion.endpointOverrides ?? {}) as ServiceName[];
    if (services.length > 0) overrides.set(region, services);
  }
  const directory = new RegionDirectory({
    auth,
    discovery: { interfaces: settings.interfaces, filter: compileRegionFilter(config.regions), overrides },
    createDriver: (region) =>
      createRegionDriver({
        auth,
        http,
        runtime: openstack,
        region,
        interfaces: settings.interfaces,
        endpointOverrides: config.regionSettings[region]?.endpointOverrides,
        novaMicroversion: settings.novaMicroversion,
        availabilityZonePolicy: settings.availabilityZonePolicy,
        lookupTtlMs: settings.lookupTtlMs,
      }),
  });
  // Credentials from clouds.yaml or OS_* are not in the config but must be scrubbed as well.
  const secrets = collectSecrets([config, settings.auth]);
  const driver = new CascadingDriver({
    directory,
    router: new RegionRouter(config),
    bareIds: config.bareIds,
    wait: runtime.wait,
    runtime: {
      platform: runtime.platform,
      emit: runtime.emit,
      now: () => runtime.clock.now(),
      secrets,
    },
  });
  // The shared Keystone session and transport go with the driver: close() ends a renewal in flight.
  return {
    driver: withClose(driver, async () => {
      auth.close();
      await transport?.close();
    }),
    secrets,
  };
}
