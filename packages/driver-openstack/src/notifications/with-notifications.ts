import type { Clock, PlatformDriver } from '@hybrid-broker/core';
import { withClose } from '../openstack-stack.js';
import type { AmqpConnect } from './amqp-link.js';
import { AmqpWatchSource } from './amqp-watch-source.js';
import {
  amqpUrl,
  busSecrets,
  DEFAULT_EXCHANGES,
  DEFAULT_TOPICS,
  type NotificationsConfig,
} from './notification-config.js';

/** What the driver's factory hands over for its notifications source. */
export interface NotificationsWiring {
  readonly clock: Clock;
  /** Registers the bus URL's credentials as the platform's secrets. */
  readonly addSecrets?: (values: readonly string[]) => void;
  /** For tests: a fake bus. */
  readonly connect?: AmqpConnect;
}

/**
 * `driver` with a `watchSource()` of OpenStack's notifications when `config` is given (and its
 * connection closed with the driver); as it is otherwise. Nothing connects until a watch
 * subscribes, and amqplib loads only then.
 */
export function withNotifications<D extends PlatformDriver>(
  driver: D,
  config: NotificationsConfig | undefined,
  wiring: NotificationsWiring,
): D {
  if (!config) return driver;
  const secrets = busSecrets(config);
  wiring.addSecrets?.(secrets);
  const source = new AmqpWatchSource({
    url: amqpUrl(config),
    exchanges: config.exchanges ?? DEFAULT_EXCHANGES,
    topics: config.topics ?? DEFAULT_TOPICS,
    secrets,
    clock: wiring.clock,
    ...(wiring.connect ? { connect: wiring.connect } : {}),
  });
  Object.assign(driver, { watchSource: () => source });
  return withClose(driver, () => source.close());
}
