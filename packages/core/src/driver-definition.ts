import type { DependencyContainer } from 'tsyringe';
import type { z } from 'zod';
import type { ResolvedWaitOptions } from './call-options.js';
import type { DriverCapabilities, PlatformDriver } from './driver.js';
import type { BrokerEventInput } from './events.js';
import type { RetryPolicy } from './retry.js';
import type { RequestBudgetOptions, ResolvedScaleOptions } from './scale-options.js';
import { type BrokerServices, TOKENS } from './services.js';

/** What a driver's factory gets besides its own config. */
export interface DriverContext {
  /** The platform's name in the broker config. */
  readonly platform: string;
  readonly services: BrokerServices;
  /** The platform's wait defaults, merged over the broker's. */
  readonly wait: ResolvedWaitOptions;
  readonly retry: RetryPolicy;
  /**
   * The platform's scale options, merged over the broker's defaults, every field filled in;
   * the request budget defaults to the driver's `defaultRequestBudget`.
   */
  readonly scale: ResolvedScaleOptions;
  /** Emits an event with this platform's name and the time filled in, secrets scrubbed. */
  readonly emit: (event: BrokerEventInput) => void;
  /**
   * False when no event sink or logger takes events, so `emit` drops them: a driver may then
   * skip building events on its hot path. Undefined means events may be taken.
   */
  readonly listening?: boolean;
  /**
   * Registers secret strings the driver found outside its config (clouds.yaml, secure.yaml,
   * `OS_*`, a credential file): from then on they are cut out of its errors, events and logs.
   * Optional so that a context built by hand (a test, an older broker) still type-checks.
   */
  readonly addSecrets?: (values: readonly string[]) => void;
}

/**
 * A driver: its kind, its config schema and a factory. Keep the module that
 * defines it light; import a heavy SDK inside `create`, so it loads only when
 * a platform uses the driver.
 *
 * @example
 * export const myDriver = defineDriver({
 *   kind: 'my-cloud',
 *   configSchema: z.object({ endpoint: z.url() }),
 *   async create(config, ctx) { const { MyDriver } = await import('./my-driver.js'); return new MyDriver(config, ctx); },
 * });
 */
export interface DriverDefinition<K extends string = string, S extends z.ZodType = z.ZodType> {
  readonly kind: K;
  /** Validates the platform's options (everything beside `driver`, `wait`, `retry`, `scale`). */
  readonly configSchema: S;
  /** Known before the driver is created (the broker creates drivers lazily). */
  readonly capabilities?: DriverCapabilities;
  /**
   * The request budget of a platform whose config sets none: the cloud's documented
   * rate limit, with a comment citing where it is documented. Without it the budget is off.
   */
  readonly defaultRequestBudget?: RequestBudgetOptions;
  create(config: z.output<S>, context: DriverContext): PlatformDriver | Promise<PlatformDriver>;
}

/** Identity function that keeps a definition's types precise. */
export function defineDriver<K extends string, S extends z.ZodType>(
  definition: DriverDefinition<K, S>,
): DriverDefinition<K, S> {
  return definition;
}

/** Any driver definition, for lists and the registry. */
// biome-ignore lint/suspicious/noExplicitAny: a registry holds definitions of every config type
export type AnyDriverDefinition = DriverDefinition<string, any>;

/** Registers a driver definition in a broker container (a third-party driver package does this too). */
export function registerDriver(container: DependencyContainer, definition: AnyDriverDefinition): void {
  container.register<AnyDriverDefinition>(TOKENS.driver, { useValue: definition });
}

/** Every driver registered in the container, by kind (the last registration of a kind wins). */
export function registeredDrivers(container: DependencyContainer): Map<string, AnyDriverDefinition> {
  const found = container.isRegistered(TOKENS.driver, true)
    ? container.resolveAll<AnyDriverDefinition>(TOKENS.driver)
    : [];
  return new Map(found.map((d) => [d.kind, d]));
}
