import type { Clock, WatchSource, WatchSourceListener, WatchSubscription } from '@hybrid-broker/core';
import { scrub } from '@hybrid-broker/core/driver-kit';
import { type AmqpConnect, type AmqpConnectionLike, lazyAmqpConnect } from './amqp-link.js';
import { hintsOf } from './notification-hints.js';

/** How the notifications source reaches the bus. */
export interface AmqpSourceOptions {
  /** The amqp:// URL (with its credentials). */
  readonly url: string;
  readonly exchanges: readonly string[];
  readonly topics: readonly string[];
  /** Values cut out of every reason the source gives (the URL's credentials). */
  readonly secrets: readonly string[];
  readonly clock: Clock;
  /** Default: amqplib's, loaded lazily. */
  readonly connect?: AmqpConnect;
  /** Reconnect backoff: doubling from `initialMs` (default 1 000) to `maxMs` (default 30 000). */
  readonly reconnect?: { readonly initialMs?: number; readonly maxMs?: number };
}

/**
 * OpenStack notifications on RabbitMQ as a watch source. One connection serves every watch of
 * the platform: it opens with the first subscriber and closes with the last. It binds its own
 * exclusive, auto-delete queue to each exchange with each topic, so it takes nothing from
 * other consumers and leaves nothing behind. A drop (or a bus that never answers) is reported
 * as `down` and retried with a bounded backoff until the bus returns.
 */
export class AmqpWatchSource implements WatchSource {
  readonly name = 'rabbitmq';
  readonly #o: AmqpSourceOptions;
  readonly #listeners = new Set<WatchSourceListener>();
  #connection: AmqpConnectionLike | undefined;
  #run: AbortController | undefined;
  #attempt = 0;
  #state: { up: boolean; reason?: string } | undefined;

  constructor(options: AmqpSourceOptions) {
    this.#o = options;
  }

  /** True while a connection or a reconnect timer is held, for tests. */
  get active(): boolean {
    return this.#run !== undefined || this.#connection !== undefined;
  }

  subscribe(listener: WatchSourceListener): WatchSubscription {
    this.#listeners.add(listener);
    if (this.#listeners.size === 1) this.#start();
    else if (this.#state) listener.state(this.#state.up, this.#state.reason);
    return {
      close: async () => {
        if (!this.#listeners.delete(listener) || this.#listeners.size > 0) return;
        await this.#stop();
      },
    };
  }

  /** Drops every subscriber and closes the connection and any reconnect timer (the driver's close). */
  async close(): Promise<void> {
    this.#listeners.clear();
    await this.#stop();
  }

  #start(): void {
    const run = new AbortController();
    this.#run = run;
    this.#attempt = 0;
    void this.#connect(run.signal);
  }

  async #stop(): Promise<void> {
    this.#run?.abort();
    this.#run = undefined;
    this.#state = undefined;
    const connection = this.#connection;
    this.#connection = undefined;
    await connection?.close().catch(() => undefined);
  }

  async #connect(run: AbortSignal): Promise<void> {
    let connection: AmqpConnectionLike | undefined;
    try {
      connection = await (this.#o.connect ?? lazyAmqpConnect)(this.#o.url);
      if (run.aborted) return void (await connection.close().catch(() => undefined));
      this.#connection = connection;
      const opened = connection;
      // 'error' comes before 'close'; without a listener an EventEmitter would throw it.
      opened.on('error', () => undefined);
      opened.on('close', (error) =>
        this.#dropped(opened, run, error ?? new Error('the bus closed the connection')),
      );
      await this.#consume(opened, run);
      this.#attempt = 0;
      this.#report(true);
    } catch (error) {
      if (run.aborted) return;
      if (connection && this.#connection === connection) this.#dropped(connection, run, error);
      else this.#retry(run, error);
    }
  }

  async #consume(connection: AmqpConnectionLike, run: AbortSignal): Promise<void> {
    const channel = await connection.createChannel();
    channel.on('error', () => undefined);
    channel.on('close', () => this.#dropped(connection, run, new Error('the bus closed the channel')));
    // oslo.messaging declares its exchanges as topic, not durable, not auto-delete.
    for (const exchange of this.#o.exchanges) {
      await channel.assertExchange(exchange, 'topic', { durable: false, autoDelete: false });
    }
    const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true, durable: false });
    for (const exchange of this.#o.exchanges) {
      for (const topic of this.#o.topics) await channel.bindQueue(queue, exchange, topic);
    }
    await channel.consume(
      queue,
      (message) => {
        if (!message) return this.#dropped(connection, run, new Error('the bus cancelled the consumer'));
        for (const hint of hintsOf(message.content.toString('utf8'))) {
          for (const listener of this.#listeners) listener.hint(hint);
        }
      },
      { noAck: true },
    );
  }

  #dropped(connection: AmqpConnectionLike, run: AbortSignal, error: unknown): void {
    if (run.aborted || this.#connection !== connection) return;
    this.#connection = undefined;
    connection.close().catch(() => undefined);
    this.#retry(run, error);
  }

  #retry(run: AbortSignal, error: unknown): void {
    this.#report(false, this.#reason(error));
    const { initialMs = 1_000, maxMs = 30_000 } = this.#o.reconnect ?? {};
    const base = Math.min(maxMs, initialMs * 2 ** Math.min(this.#attempt, 16));
    this.#attempt++;
    const delay = Math.round(base * (0.8 + 0.4 * this.#o.clock.random()));
    this.#o.clock.sleep(delay, run).then(
      () => this.#connect(run),
      () => undefined,
    );
  }

  #report(up: boolean, reason?: string): void {
    this.#state = reason === undefined ? { up } : { up, reason };
    for (const listener of this.#listeners) listener.state(up, reason);
  }

  #reason(error: unknown): string {
    const text = error instanceof Error ? error.message : String(error);
    return scrub(`RabbitMQ: ${text}`, this.#o.secrets);
  }
}
