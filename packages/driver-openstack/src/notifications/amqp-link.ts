/** The part of an amqplib channel the notifications source uses (a test passes a fake). */
export interface AmqpChannelLike {
  assertExchange(
    exchange: string,
    type: string,
    options?: { durable?: boolean; autoDelete?: boolean },
  ): Promise<unknown>;
  assertQueue(
    queue: string,
    options?: { exclusive?: boolean; autoDelete?: boolean; durable?: boolean },
  ): Promise<{ queue: string }>;
  bindQueue(queue: string, source: string, pattern: string): Promise<unknown>;
  consume(
    queue: string,
    onMessage: (message: { content: Buffer } | null) => void,
    options?: { noAck?: boolean },
  ): Promise<unknown>;
  on(event: 'close' | 'error', listener: (error?: Error) => void): unknown;
}

/** The part of an amqplib connection the notifications source uses. */
export interface AmqpConnectionLike {
  createChannel(): Promise<AmqpChannelLike>;
  close(): Promise<void>;
  on(event: 'close' | 'error', listener: (error?: Error) => void): unknown;
}

/** Opens a connection to `url`. */
export type AmqpConnect = (url: string) => Promise<AmqpConnectionLike>;

/**
 * amqplib's `connect`, loaded on first use: a program that never configures notifications
 * never loads amqplib.
 */
export const lazyAmqpConnect: AmqpConnect = async (url) => {
  const amqp = await import('amqplib');
  // A bus that does not answer must fail the attempt, so the watch falls back to polling.
  return amqp.connect(url, { timeout: 10_000 });
};
