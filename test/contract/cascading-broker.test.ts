/**
 * The cascading driver as a broker platform (`driver: cascading`): config
 * errors name the field, and no password reaches an error, event or log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CloudSim, startCloudSim } from '../../packages/cloud-sim/src/index.js';
import {
  type BrokerEvent,
  createBroker,
  isBrokerError,
  type Logger,
  MemoryEventSink,
} from '../../packages/core/src/index.js';
import { cascadingDriver, createCascadingDriver } from '../../packages/driver-cascading/src/index.js';

const FAST = { initialDelayMs: 1, maxDelayMs: 5, jitter: 0, timeoutMs: 5_000 };
const PASSWORD = 'Canary-Pa55word-7f3e91';

function caught(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('cascading driver in a broker', () => {
  let sim: CloudSim;
  beforeAll(async () => {
    sim = await startCloudSim({
      regions: [{ name: 'az1' }, { name: 'az2', volume: false }],
      identity: {
        users: [{ name: 'arbitrator', password: PASSWORD, defaultProject: 'demo' }],
        applicationCredentials: [],
      },
      delays: { serverBuildMs: 5, attachMs: 5, detachMs: 5, serverDeleteMs: 5 },
    });
  });
  afterAll(() => sim?.stop());

  const auth = (password: string) => ({
    method: 'password' as const,
    url: sim.keystoneUrl,
    username: 'arbitrator',
    userDomainName: 'Default',
    password,
    projectName: 'demo',
    projectDomainName: 'Default',
  });

  it('broker.platform("cascade") with driver: cascading routes by zone and lists regions', async () => {
    const broker = createBroker(
      { platforms: { cascade: { driver: 'cascading', auth: auth(PASSWORD), wait: FAST } } },
      { drivers: [cascadingDriver] },
    );
    const cascade = broker.platform('cascade');
    expect(cascade.capabilities).toMatchObject({ regions: true, idempotentCreate: true });
    expect((await cascade.listRegions?.())?.map((r) => [r.name, r.missing])).toEqual([
      ['az1', []],
      ['az2', ['volume']],
    ]);
    const server = await cascade.createServer({
      name: 'sg-client',
      image: 'sg-client',
      flavor: 'm1.small',
      availabilityZone: 'az1',
    });
    expect(server.id).toBe(`az1:${server.providerId}`);
    expect((await cascade.deleteServer({ serverId: server.id })).deleted).toBe(true);
    await broker.close();
  });

  it('a bad config is invalid-request naming the field', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ auth: { ...auth(PASSWORD), url: 'keystone' } }, 'platforms.cascade.auth.url'],
      [{}, 'platforms.cascade.auth'],
      [
        { auth: auth(PASSWORD), regions: { include: ['/(unclosed/'] } },
        'platforms.cascade.regions.include[0]',
      ],
      [{ auth: auth(PASSWORD), interfaces: ['private'] }, 'platforms.cascade.interfaces[0]'],
      [{ auth: auth(PASSWORD), bareIds: 'guess' }, 'platforms.cascade.bareIds'],
      [
        {
          auth: auth(PASSWORD),
          regionSettings: { a: { availabilityZones: ['z'] }, b: { availabilityZones: ['z'] } },
        },
        'platforms.cascade.regionSettings.b.availabilityZones[0]',
      ],
      [
        { auth: auth(PASSWORD), regionSettings: { a: { endpointOverrides: { volume: 'not a url' } } } },
        'platforms.cascade.regionSettings.a.endpointOverrides.volume',
      ],
    ];
    for (const [config, field] of cases) {
      const error = caught(() =>
        createBroker({ platforms: { cascade: { driver: 'cascading', ...config } } } as never, {
          drivers: [cascadingDriver],
        }),
      );
      expect(isBrokerError(error, 'invalid-request'), JSON.stringify(config)).toBe(true);
      expect((error as { field?: string }).field).toBe(field);
      expect(String((error as Error).message)).not.toContain(PASSWORD);
    }
  });

  it('no password appears in errors, events or log lines, on success or failure', async () => {
    const events = new MemoryEventSink();
    const lines: unknown[] = [];
    const log = (obj: object, msg?: string): void => {
      lines.push([obj, msg]);
    };
    const logger: Logger = { debug: log, info: log, warn: log, error: log };
    const seen: unknown[] = [];
    for (const password of [PASSWORD, `${PASSWORD}-wrong`]) {
      const broker = createBroker(
        { platforms: { cascade: { driver: 'cascading', auth: auth(password), wait: FAST } } },
        { drivers: [cascadingDriver], services: { events, logger } },
      );
      const cascade = broker.platform('cascade');
      for (const call of [
        () => cascade.listRegions?.(),
        () => cascade.getVolume({ volumeId: 'az2:v' }),
        () => cascade.getServer({ serverId: 'az9:s' }),
        () => cascade.createServer({ name: 'x', image: 'nope', flavor: 'm1.small', availabilityZone: 'az1' }),
      ]) {
        seen.push(await Promise.resolve(call()).catch((e: unknown) => e));
      }
    }
    const direct = await createCascadingDriver({ auth: auth(`${PASSWORD}-wrong`) }, { services: { events } });
    seen.push(await direct.listRegions().catch((e: unknown) => e));
    const errors = seen.filter((e) => isBrokerError(e));
    expect(errors.map((e) => e.code)).toEqual(expect.arrayContaining(['auth-failed', 'invalid-request']));
    const dump = JSON.stringify([
      errors.map((e) => [e.message, e.toJSON(), String(e.stack)]),
      events.events,
      lines,
    ]);
    expect(events.events.some((e: BrokerEvent) => e.type === 'request')).toBe(true);
    expect(dump).not.toContain(PASSWORD);
  });
});
