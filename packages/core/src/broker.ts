import type { DependencyContainer } from 'tsyringe';
import { DEFAULT_WAIT } from './call-options.js';
import type { BrokerConfig } from './config/broker-config.js';
import { loadConfigFile } from './config/load-config.js';
import { validateBrokerConfig } from './config/validate-config.js';
import type { Platform } from './driver.js';
import {
  type AnyDriverDefinition,
  type DriverContext,
  registerDriver,
  registeredDrivers,
} from './driver-definition.js';
import { BrokerError } from './errors.js';
import { type BrokerEvent, type BrokerEventInput, nullEventSink } from './events.js';
import { LazyDriver } from './lazy-driver.js';
import { nullLogger } from './logger.js';
import { memoryDriver } from './memory/memory-definition.js';
import { wrapDriver } from './runtime-driver.js';
import { resolveScale } from './scale-options.js';
import { redact, Secret } from './secret.js';
import { urlCredentials } from './secret-hygiene.js';
import { type BrokerServices, createBrokerContainer, resolveServices } from './services.js';

/** How a broker is put together; everything is optional. */
export interface CreateBrokerOptions {
  /** Driver definitions to register (the memory driver is always there). */
  readonly drivers?: readonly AnyDriverDefinition[];
  /** A container with drivers and services already registered (see createBrokerContainer). */
  readonly container?: DependencyContainer;
  /** Services to swap (used only when no container is given). */
  readonly services?: Partial<BrokerServices>;
  /**
   * Told every secret string the broker holds, from the config and from wherever a driver
   * found more (clouds.yaml, secure.yaml, `OS_*`): a program that prints more than the
   * broker's own errors (the CLI's cause chains) scrubs them too.
   */
  readonly onSecrets?: (values: readonly string[]) => void;
}

/** A summary of one configured platform. */
export interface PlatformSummary {
  readonly name: string;
  readonly driver: string;
}

/** Named platforms, each a PlatformDriver. */
export interface Broker<Names extends string = string> {
  /** The driver of a configured platform; `invalid-request` naming the platform if there is none. */
  platform(name: Names): Platform;
  platforms(): readonly PlatformSummary[];
  /** Closes every driver created so far. */
  close(): Promise<void>;
}

/**
 * Validates a broker config (errors name the field path) and returns the
 * broker. Drivers are created on first use, so an SDK loads only when a
 * platform of its driver is called.
 *
 * @example
 * const broker = createBroker({ platforms: { lab: { driver: 'memory' } } });
 * const server = await broker.platform('lab').createServer({ name: 'sg-1', image: 'img', flavor: 'small' });
 */
export function createBroker<C extends BrokerConfig>(
  config: C,
  options: CreateBrokerOptions = {},
): Broker<Extract<keyof C['platforms'], string>> {
  const container = options.container ?? createBrokerContainer(options.services);
  registerDriver(container, memoryDriver);
  for (const definition of options.drivers ?? []) registerDriver(container, definition);
  const kinds = registeredDrivers(container);
  const services = resolveServices(container);
  // User info in a URL is refused by the schemas, but the refusal must not show it either.
  const inUrls = urlCredentials(config);
  const { outer, platforms } = validateBrokerConfig(config, kinds);
  const drivers = new Map<string, { summary: PlatformSummary; driver: LazyDriver }>();

  for (const { name, kind, definition, driverConfig } of platforms) {
    const { wait, retry, scale } = outer.platforms[name] ?? {};
    // Shared by reference with the emitter and the wrapper, so secrets a driver finds later count too.
    const secrets = [...new Set([...collectSecrets(driverConfig), ...inUrls])];
    const addSecrets = (values: readonly string[]): void => {
      const added = values.filter((v) => v.length > 0 && !secrets.includes(v));
      secrets.push(...added);
      if (added.length > 0) options.onSecrets?.(added);
    };
    options.onSecrets?.(secrets);
    const listening = services.events !== nullEventSink || services.logger !== nullLogger;
    const emit = listening ? scrubbingEmitter(services, name, secrets) : silent;
    const context: DriverContext = {
      platform: name,
      listening,
      services,
      wait: { ...DEFAULT_WAIT, ...outer.defaults?.wait, ...wait },
      retry: { ...outer.defaults?.retry, ...retry },
      scale: resolveScale(scale, outer.defaults?.scale, definition.defaultRequestBudget),
      emit,
      addSecrets,
    };
    const lazy = new LazyDriver(definition, async () => {
      const created = await definition.create(driverConfig, context);
      return wrapDriver(created, {
        platform: name,
        ...(listening ? { emit } : {}),
        now: services.clock.now,
        clock: services.clock,
        secrets,
        timeoutMs: context.wait.timeoutMs,
        scope: services.callScope,
        region: regionOf(driverConfig),
      });
    });
    drivers.set(name, { summary: { name, driver: kind }, driver: lazy });
  }

  return {
    platform(name) {
      const found = drivers.get(name);
      if (!found) {
        throw new BrokerError(
          'invalid-request',
          `unknown platform "${name}"; configured: ${[...drivers.keys()].join(', ')}`,
          { field: 'platform' },
        );
      }
      return found.driver;
    },
    platforms: () => [...drivers.values()].map((d) => d.summary),
    async close() {
      await Promise.all([...drivers.values()].map((d) => d.driver.close()));
    },
  };
}

/** Loads a YAML/JSON config file (with `${ENV}` substitution) and creates the broker. */
export async function createBrokerFromFile(path: string, options: CreateBrokerOptions = {}): Promise<Broker> {
  const config = (await loadConfigFile(path)) as BrokerConfig;
  return createBroker(config, options);
}

/** Every Secret's value in a parsed config, to scrub from messages. */
export function collectSecrets(value: unknown, found: string[] = [], depth = 0): string[] {
  if (value instanceof Secret) found.push(value.reveal());
  else if (typeof value === 'object' && value !== null && depth < 10) {
    for (const v of Object.values(value)) collectSecrets(v, found, depth + 1);
  }
  return found;
}

/** The platform's region as its config names it: `region` (OpenStack, AWS) or `location` (Azure). */
function regionOf(config: unknown): string | undefined {
  if (typeof config !== 'object' || config === null) return undefined;
  const { region, location } = config as { region?: unknown; location?: unknown };
  if (typeof region === 'string') return region;
  return typeof location === 'string' ? location : undefined;
}

// Nobody listens: events are dropped without being scrubbed, which is measurable on every request.
const silent = (): void => {};

function scrubbingEmitter(services: BrokerServices, platform: string, secrets: readonly string[]) {
  return (event: BrokerEventInput): void => {
    const full = redact({ ...event, platform, time: services.clock.now() }, secrets) as BrokerEvent;
    try {
      services.events.emit(full);
      services.logger.debug(full, `hybrid-broker ${full.type}`);
    } catch {
      // a failing sink or logger must not break a cloud call
    }
  };
}
