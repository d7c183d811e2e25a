import { Secret } from '@hybrid-broker/core';
import { z } from 'zod';

const name = z.string().min(1, { error: 'expected a non-empty string' });

/** An AMQP URL (oslo's `rabbit://` is taken as `amqp://`); its credentials are secrets. */
const busUrl = z
  .union([z.string(), z.instanceof(Secret)], { error: 'expected an amqp:// URL of the RabbitMQ bus' })
  .transform((value) => (value instanceof Secret ? value : new Secret(value)))
  // The message never shows the value: it holds a password.
  .refine((value) => /^(amqps?|rabbit):\/\/[^/\s]+/.test(value.reveal()), {
    error: 'expected an amqp://, amqps:// or rabbit:// URL of the RabbitMQ bus',
  });

/** Nova's versioned notifications and Cinder's, as oslo.messaging's messagingv2 driver publishes them. */
export const DEFAULT_EXCHANGES: readonly string[] = ['nova', 'openstack'];
/** The routing keys (topic + priority) of those notifications. */
export const DEFAULT_TOPICS: readonly string[] = ['versioned_notifications.info', 'notifications.info'];

/**
 * Where the driver hears OpenStack's notifications (`[oslo_messaging_notifications]
 * driver = messagingv2`, Nova with `notification_format = versioned`).
 */
export const notificationsConfigSchema = z.strictObject({
  /** The bus, as `amqp://user:password@host:5672/vhost`; the credentials are scrubbed like every secret. */
  url: busUrl,
  /** Topic exchanges to bind to. Default `nova` and `openstack` (Cinder's). */
  exchanges: z.array(name).min(1).optional(),
  /** Routing keys to bind with. Default `versioned_notifications.info` and `notifications.info`. */
  topics: z.array(name).min(1).optional(),
});

/** Parsed notifications settings (the URL held as a `Secret`). */
export type NotificationsConfig = z.output<typeof notificationsConfigSchema>;
/** Notifications settings as written. */
export type NotificationsConfigInput = z.input<typeof notificationsConfigSchema>;

/** The URL amqplib takes: oslo's `rabbit://` scheme is AMQP 0-9-1 on the same port. */
export function amqpUrl(config: NotificationsConfig): string {
  return config.url.reveal().replace(/^rabbit:\/\//, 'amqp://');
}

/** The URL's credentials, to register as the platform's secrets. */
export function busSecrets(config: NotificationsConfig): string[] {
  const url = config.url.reveal();
  const found = [url, amqpUrl(config)];
  const info = /^[a-z]+:\/\/([^/@\s]+)@/i.exec(url)?.[1];
  if (info) {
    const password = info.slice(info.indexOf(':') + 1);
    found.push(info);
    if (info.includes(':') && password.length > 0) found.push(password, safeDecode(password));
  }
  return [...new Set(found)];
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
