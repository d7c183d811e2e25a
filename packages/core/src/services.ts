import 'reflect-metadata';
import { type DependencyContainer, container as rootContainer } from 'tsyringe';
import type { CallScope } from './call-scope.js';
import { type Clock, systemClock } from './clock.js';
import { type EventSink, nullEventSink } from './events.js';
import { type Logger, nullLogger } from './logger.js';

/** The fetch function drivers send HTTP with. */
export type FetchFn = typeof globalThis.fetch;

/** Services shared by every driver of a broker; each can be swapped. */
export interface BrokerServices {
  readonly fetch: FetchFn;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly events: EventSink;
  /** Runs every operation inside a scope of its own (a tracing span); none by default. */
  readonly callScope?: CallScope | undefined;
}

/** Container tokens of the shared services and of driver definitions. */
export const TOKENS = {
  fetch: 'hybrid-broker:fetch',
  clock: 'hybrid-broker:clock',
  logger: 'hybrid-broker:logger',
  events: 'hybrid-broker:events',
  callScope: 'hybrid-broker:call-scope',
  driver: 'hybrid-broker:driver-definition',
} as const;

/**
 * A fresh container for one broker, a child of tsyringe's root so nothing is
 * registered globally. The defaults (global fetch, the system clock, no
 * logging, no events) are registered here; `overrides` replace any of them.
 */
export function createBrokerContainer(overrides: Partial<BrokerServices> = {}): DependencyContainer {
  const child = rootContainer.createChildContainer();
  child.register<FetchFn>(TOKENS.fetch, {
    useValue: overrides.fetch ?? ((input, init) => globalThis.fetch(input, init)),
  });
  child.register<Clock>(TOKENS.clock, { useValue: overrides.clock ?? systemClock });
  child.register<Logger>(TOKENS.logger, { useValue: overrides.logger ?? nullLogger });
  child.register<EventSink>(TOKENS.events, { useValue: overrides.events ?? nullEventSink });
  if (overrides.callScope) child.register<CallScope>(TOKENS.callScope, { useValue: overrides.callScope });
  return child;
}

/** Reads the shared services out of a container. */
export function resolveServices(container: DependencyContainer): BrokerServices {
  return {
    fetch: container.resolve<FetchFn>(TOKENS.fetch),
    clock: container.resolve<Clock>(TOKENS.clock),
    logger: container.resolve<Logger>(TOKENS.logger),
    events: container.resolve<EventSink>(TOKENS.events),
    ...(container.isRegistered(TOKENS.callScope, true)
      ? { callScope: container.resolve<CallScope>(TOKENS.callScope) }
      : {}),
  };
}
