import {
  type BrokerEvent,
  type BrokerEventInput,
  type BrokerServices,
  createBrokerContainer,
  type PlatformDriver,
  type ReadOptions,
  type RegionInfo,
  type RetryPolicy,
  type WaitOptions,
} from '@hybrid-broker/core';
import {
  DEFAULT_WAIT,
  parseOrThrow,
  redact,
  resolveServices,
  wrapDriver,
} from '@hybrid-broker/core/driver-kit';
import type { SettingsSources } from '@hybrid-broker/driver-openstack';
import { type CascadingConfigInput, cascadingConfigSchema } from './cascading-config.js';
import { buildCascadingDriver } from './cascading-stack.js';

/** A cascading platform for programs: a PlatformDriver plus its regions. */
export interface CascadingPlatform extends PlatformDriver {
  /** The regions of the current catalog with what each offers and lacks. */
  listRegions(options?: ReadOptions): Promise<readonly RegionInfo[]>;
  /** One cascaded cloud as an OpenStack PlatformDriver with the cloud's own ids. */
  region(name: string): PlatformDriver;
  /** How many times the catalog was read (one per new token). */
  readonly catalogVersion: number;
}

/** How {@link createCascadingDriver} builds the driver; everything is optional. */
export interface CreateCascadingOptions {
  /** Name in events and error messages. Default `cascading`. */
  readonly platform?: string;
  /** Services to swap (fetch, clock, logger, events). */
  readonly services?: Partial<BrokerServices>;
  /** Wait defaults of every call. */
  readonly wait?: WaitOptions;
  readonly retry?: RetryPolicy;
  /** Where clouds.yaml and OS_* come from. */
  readonly sources?: SettingsSources;
}

/**
 * The cascading driver without a broker, for programs that need `region(name)`
 * (a broker's `platform()` hands out the wrapped driver only). It validates
 * the config (errors name the field), and wraps the driver as a broker does:
 * request validation, per-server serialization, events, secret scrubbing.
 *
 * @example
 * const cascade = await createCascadingDriver({ auth: { method: 'password', url, ... } });
 * for (const r of await cascade.listRegions()) console.log(r.name, r.missing);
 * const east = cascade.region('east'); // plain OpenStack ids
 */
export async function createCascadingDriver(
  config: CascadingConfigInput,
  options: CreateCascadingOptions = {},
): Promise<CascadingPlatform> {
  const platform = options.platform ?? 'cascading';
  const parsed = parseOrThrow(cascadingConfigSchema, config, '', 'invalid cascading config');
  const services = resolveServices(createBrokerContainer(options.services));
  // Filled in once the stack knows every secret (clouds.yaml and OS_* ones included); nothing is emitted before.
  let secrets: readonly string[] = [];
  const emit = (event: BrokerEventInput): void => {
    try {
      services.events.emit(
        redact({ ...event, platform, time: services.clock.now() }, secrets) as BrokerEvent,
      );
    } catch {
      // a failing sink must not break a cloud call
    }
  };
  const stack = await buildCascadingDriver(parsed, {
    platform,
    fetch: services.fetch,
    clock: services.clock,
    emit,
    retry: options.retry,
    wait: { ...DEFAULT_WAIT, ...options.wait },
    sources: { fieldPrefix: '', ...options.sources },
  });
  secrets = stack.secrets;
  const { driver } = stack;
  const wrapped = wrapDriver(driver, {
    platform,
    emit,
    now: () => services.clock.now(),
    secrets,
    scope: services.callScope,
  });
  const listRegions = wrapped.listRegions as NonNullable<PlatformDriver['listRegions']>;
  // The wrapped platform is a class instance (its methods on its prototype, which a spread
  // would drop), so the cascade's own members are added to it.
  const cascade = Object.assign(wrapped, { listRegions, region: (name: string) => driver.region(name) });
  return Object.defineProperty(cascade, 'catalogVersion', {
    get: () => driver.catalogVersion,
    enumerable: true,
  }) as typeof cascade & Pick<CascadingPlatform, 'catalogVersion'>;
}
