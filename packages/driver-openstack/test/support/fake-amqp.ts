import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const DIR = join(import.meta.dirname, '..', 'fixtures', 'notifications');

/** The AMQP body of a recorded delivery (fixtures/notifications), as amqplib hands it over. */
export function recordedBody(name: string): string {
  const file = JSON.parse(readFileSync(join(DIR, name), 'utf8')) as { body: unknown };
  return JSON.stringify(file.body);
}

type OnMessage = (message: { content: Buffer } | null) => void;

/** One fake amqplib connection: its channel's calls are recorded, its consumer kept. */
export class FakeAmqpConnection extends EventEmitter {
  readonly calls: string[] = [];
  consumer: OnMessage | undefined;
  closed = false;

  async createChannel() {
    const channel = new EventEmitter();
    return Object.assign(channel, {
      assertExchange: async (name: string, type: string, o: { durable?: boolean }) =>
        void this.calls.push(`exchange ${name} ${type} durable=${o.durable}`),
      assertQueue: async (name: string, o: { exclusive?: boolean; autoDelete?: boolean }) => {
        this.calls.push(`queue '${name}' exclusive=${o.exclusive} autoDelete=${o.autoDelete}`);
        return { queue: 'amq.gen-1' };
      },
      bindQueue: async (queue: string, exchange: string, key: string) =>
        void this.calls.push(`bind ${queue} ${exchange} ${key}`),
      consume: async (_queue: string, onMessage: OnMessage) => {
        this.consumer = onMessage;
      },
    });
  }

  async close() {
    this.closed = true;
  }

  /** Delivers a body to the consumer. */
  deliver(body: string): void {
    this.consumer?.({ content: Buffer.from(body, 'utf8') });
  }

  /** The bus drops the connection (RabbitMQ restarts). */
  drop(message: string): void {
    this.emit('error', new Error(message));
    this.emit('close', new Error(message));
  }
}

/** A fake bus: `connect` makes connections, or fails while `refuse` holds an error. */
export function fakeBus() {
  const bus = {
    connections: [] as FakeAmqpConnection[],
    urls: [] as string[],
    refuse: undefined as Error | undefined,
    get last(): FakeAmqpConnection | undefined {
      return bus.connections.at(-1);
    },
    async connect(url: string) {
      bus.urls.push(url);
      if (bus.refuse) throw bus.refuse;
      const connection = new FakeAmqpConnection();
      bus.connections.push(connection);
      return connection;
    },
  };
  return bus;
}
