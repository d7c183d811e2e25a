import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineDriver, redact, secretString } from '../src/driver-kit.js';
import {
  type BrokerConfig,
  BrokerError,
  createBroker,
  type Logger,
  MemoryDriver,
  MemoryEventSink,
  Secret,
} from '../src/index.js';

const CANARY = 'canary-Pa55w0rd-7f3a9c';

/** A driver that echoes its secret into an error, as a careless provider message could. */
const leaky = defineDriver({
  kind: 'leaky',
  configSchema: z.strictObject({ password: secretString('a password') }),
  create(config, context) {
    const memory = new MemoryDriver({
      availabilityZones: ['a'],
      images: ['i'],
      flavors: ['f'],
      delays: { buildMs: 0, attachMs: 0, detachMs: 0, deleteMs: 0 },
    });
    memory.getServer = async () => {
      context.emit({
        type: 'request',
        method: 'POST',
        url: `https://cloud.example/auth?password=${config.password.reveal()}`,
        durationMs: 1,
      });
      throw new BrokerError('auth-failed', `login refused for password ${config.password.reveal()}`);
    };
    return memory;
  },
});

describe('secrets', () => {
  it('a canary secret in config never appears in an error, an event or a log line', async () => {
    const events = new MemoryEventSink();
    const lines: string[] = [];
    const logger: Logger = {
      debug: (o, m) => lines.push(JSON.stringify(o) + (m ?? '')),
      info: (o, m) => lines.push(JSON.stringify(o) + (m ?? '')),
      warn: (o, m) => lines.push(JSON.stringify(o) + (m ?? '')),
      error: (o, m) => lines.push(JSON.stringify(o) + (m ?? '')),
    };
    const broker = createBroker(
      { platforms: { p: { driver: 'leaky', password: CANARY } } } as unknown as BrokerConfig,
      {
        drivers: [leaky],
        services: { events, logger },
      },
    );
    const error = await (broker as { platform(n: string): import('../src/index.js').PlatformDriver })
      .platform('p')
      .getServer({ serverId: 's' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'auth-failed', platform: 'p', operation: 'getServer' });
    const everything = [
      String(error),
      (error as Error).stack,
      JSON.stringify(error),
      inspect(error),
      JSON.stringify(events.events),
      ...lines,
    ].join('\n');
    expect(everything).not.toContain(CANARY);
    expect(events.events.length).toBeGreaterThan(0);
    expect(lines.length).toBeGreaterThan(0);
  });

  it('a bad config value next to a secret does not echo the secret', () => {
    let message = '';
    try {
      createBroker(
        { platforms: { p: { driver: 'leaky', password: CANARY, extra: 1 } } } as unknown as BrokerConfig,
        { drivers: [leaky] },
      );
    } catch (error) {
      message = `${String(error)} ${JSON.stringify(error)}`;
    }
    expect(message).toContain('extra');
    expect(message).not.toContain(CANARY);
  });

  it('a Secret prints, serializes and inspects as [redacted]', () => {
    const secret = new Secret(CANARY);
    expect(`${secret}`).toBe('[redacted]');
    expect(JSON.stringify({ secret })).toBe('{"secret":"[redacted]"}');
    expect(inspect({ secret })).not.toContain(CANARY);
    expect(secret.reveal()).toBe(CANARY);
  });

  it('redact hides values under secret-named keys at any depth', () => {
    const out = redact({
      auth: { password: CANARY, user: 'u' },
      headers: { 'X-Auth-Token': CANARY },
      list: [{ clientSecret: CANARY }],
    });
    expect(JSON.stringify(out)).not.toContain(CANARY);
    expect(JSON.stringify(out)).toContain('"user":"u"');
  });

  it("a secret inside a timeout's last state is cut out of the error a program gets", async () => {
    const stateful = defineDriver({
      kind: 'leaky-state',
      configSchema: z.strictObject({ password: secretString('a password') }),
      create(config) {
        const memory = new MemoryDriver({
          availabilityZones: ['a'],
          images: ['i'],
          flavors: ['f'],
          delays: { buildMs: 0, attachMs: 0, detachMs: 0, deleteMs: 0 },
        });
        memory.getVolume = async () => {
          throw new BrokerError('timeout', 'volume v did not settle', {
            lastState: { id: 'v', metadata: { note: `made with ${config.password.reveal()}` } },
          });
        };
        return memory;
      },
    });
    const broker = createBroker(
      { platforms: { p: { driver: 'leaky-state', password: CANARY } } } as unknown as BrokerConfig,
      { drivers: [stateful] },
    );
    const error = await broker
      .platform('p')
      .getVolume({ volumeId: 'v' })
      .then(
        () => new BrokerError('provider-error', 'expected a timeout'),
        (e: unknown) => e as BrokerError,
      );
    expect(error.code).toBe('timeout');
    expect(error.lastState).toEqual({ id: 'v', metadata: { note: 'made with [redacted]' } });
    expect(inspect(error, { depth: 10 })).not.toContain(CANARY);
    expect(JSON.stringify(error)).not.toContain(CANARY);
    await broker.close();
  });
});
