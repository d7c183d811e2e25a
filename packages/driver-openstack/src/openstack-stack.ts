import type { BrokerEventInput, Clock, FetchFn, RetryPolicy, WaitOptions } from '@hybrid-broker/core';
import type { PlatformScale } from '@hybrid-broker/core/driver-kit';
import { CinderClient } from './cinder/cinder-client.js';
import type { EndpointInterface, ServiceName } from './common/openstack-config.js';
import { OpenStackHttpClient } from './http/http-client.js';
import { KeystoneAuth } from './keystone/keystone-auth.js';
import type { ResolvedOpenStackSettings } from './keystone/resolve-settings.js';
import { ServiceEndpoints } from './keystone/service-endpoints.js';
import { NovaClient } from './nova/nova-client.js';
import { OpenStackDriver } from './openstack-driver.js';
import { NameResolver } from './operations/name-resolver.js';

/** The runtime services every layer shares. */
export interface OpenStackRuntime {
  readonly fetch: FetchFn;
  readonly clock: Clock;
  readonly emit?: ((event: BrokerEventInput) => void) | undefined;
  readonly retry?: RetryPolicy | undefined;
  readonly wait?: WaitOptions | undefined;
  readonly requestTimeoutMs: number;
  /** Largest response body accepted (see the config's `maxResponseBytes`). */
  readonly maxResponseBytes?: number | undefined;
  /**
   * The platform's scale machinery (request budget, single flight, coalesced and adaptive
   * polling), shared by every region of a platform. Without it every feature is off.
   */
  readonly scale?: PlatformScale | undefined;
}

/** One region's driver on a shared Keystone session (what the cascading driver builds per region). */
export interface RegionDriverOptions {
  readonly auth: KeystoneAuth;
  readonly http: OpenStackHttpClient;
  readonly runtime: OpenStackRuntime;
  readonly region?: string | undefined;
  readonly interfaces: readonly EndpointInterface[];
  readonly endpointOverrides?: Partial<Record<ServiceName, string>> | undefined;
  readonly novaMicroversion: string;
  /** Default "same". */
  readonly availabilityZonePolicy?: 'same' | 'cloud' | undefined;
  readonly lookupTtlMs: number;
}

/**
 * Builds Nova, Cinder and name lookups for one region over a shared
 * KeystoneAuth and HTTP client, and the driver on top of them.
 *
 * @example
 * const http = createHttpClient(runtime, auth);
 * const east = createRegionDriver({ auth, http, runtime, region: 'east', interfaces: ['public'], novaMicroversion: '2.1', lookupTtlMs: 300_000 });
 */
export function createRegionDriver(options: RegionDriverOptions): OpenStackDriver {
  const endpoints = new ServiceEndpoints(options.auth, {
    region: options.region,
    interfaces: options.interfaces,
    overrides: options.endpointOverrides,
  });
  const nova = new NovaClient(options.http, endpoints, options.novaMicroversion);
  const cinder = new CinderClient(options.http, endpoints);
  const names = new NameResolver({
    http: options.http,
    endpoints,
    nova,
    clock: options.runtime.clock,
    ttlMs: options.lookupTtlMs,
  });
  return new OpenStackDriver({
    nova,
    cinder,
    names,
    clock: options.runtime.clock,
    emit: options.runtime.emit,
    wait: options.runtime.wait,
    retry: options.runtime.retry,
    region: options.region,
    novaMicroversion: options.novaMicroversion,
    availabilityZonePolicy: options.availabilityZonePolicy,
    scale: options.runtime.scale,
  });
}

/** An HTTP client sending with `auth`'s tokens (or none, for Keystone itself). */
export function createHttpClient(runtime: OpenStackRuntime, auth?: KeystoneAuth): OpenStackHttpClient {
  return new OpenStackHttpClient({
    fetch: runtime.fetch,
    clock: runtime.clock,
    emit: runtime.emit,
    retry: runtime.retry,
    requestTimeoutMs: runtime.requestTimeoutMs,
    maxResponseBytes: runtime.maxResponseBytes,
    auth,
    budget: runtime.scale?.budget,
  });
}

/** A Keystone session for resolved settings. */
export function createKeystoneAuth(
  settings: ResolvedOpenStackSettings,
  runtime: OpenStackRuntime,
): KeystoneAuth {
  return new KeystoneAuth({
    config: settings.auth,
    http: createHttpClient(runtime),
    clock: runtime.clock,
    emit: runtime.emit,
    renewBeforeMs: settings.tokenRenewBeforeMs,
    authSource: settings.authSource,
  });
}

/** The whole stack of a single-region `openstack` platform. */
export function createOpenStackDriver(
  settings: ResolvedOpenStackSettings,
  runtime: OpenStackRuntime,
): OpenStackDriver {
  const auth = createKeystoneAuth(settings, runtime);
  const driver = createRegionDriver({
    auth,
    http: createHttpClient(runtime, auth),
    runtime,
    region: settings.region,
    interfaces: settings.interfaces,
    endpointOverrides: settings.endpointOverrides,
    novaMicroversion: settings.novaMicroversion,
    availabilityZonePolicy: settings.availabilityZonePolicy,
    lookupTtlMs: settings.lookupTtlMs,
  });
  // The platform owns its Keystone session: close() ends a renewal still in flight.
  return withClose(driver, () => auth.close());
}

/**
 * `driver` with a `close()` that runs the one it had (if any), then `also`:
 * each layer that owns something (a Keystone session, a transport) adds its own.
 */
export function withClose<T extends object>(
  driver: T,
  also: () => void | Promise<void>,
): T & { close: () => Promise<void> } {
  const own = (driver as { close?: () => Promise<void> }).close;
  const previous = own?.bind(driver);
  return Object.assign(driver, {
    close: async () => {
      await previous?.();
      await also();
    },
  });
}
