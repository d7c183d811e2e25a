import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineDriver } from '../src/driver-kit.js';
import {
  type BrokerConfig,
  createBroker,
  createBrokerFromFile,
  isBrokerError,
  MemoryDriver,
} from '../src/index.js';

function errorOf(fn: () => unknown): { code: string; field?: string; message: string } {
  try {
    fn();
  } catch (error) {
    if (isBrokerError(error)) return error;
    throw error;
  }
  throw new Error('expected a throw');
}

describe('createBroker config validation', () => {
  it('names the field path and what was expected for a bad driver option', () => {
    const error = errorOf(() =>
      createBroker({
        platforms: { lab: { driver: 'memory', availabilityZones: 'az-1' } },
      } as unknown as BrokerConfig),
    );
    expect(error.code).toBe('invalid-request');
    expect(error.field).toBe('platforms.lab.availabilityZones');
    expect(error.message).toMatch(/platforms\.lab\.availabilityZones: .*expected array/);
  });

  it('names the platform for an unknown driver and lists the known ones', () => {
    const error = errorOf(() =>
      createBroker({ platforms: { x: { driver: 'nope' } } } as unknown as BrokerConfig),
    );
    expect(error.field).toBe('platforms.x.driver');
    expect(error.message).toContain('unknown driver "nope"');
    expect(error.message).toContain('"memory"');
  });

  it('says which package exports a first-party driver and how to register it', () => {
    const error = errorOf(() =>
      createBroker({ platforms: { os: { driver: 'openstack' } } } as unknown as BrokerConfig),
    );
    expect(error.field).toBe('platforms.os.driver');
    expect(error.message).toContain('openstackDriver from @hybrid-broker/driver-openstack');
    expect(error.message).toContain('createBroker(config, { drivers: [openstackDriver] })');
  });

  it('reports every config error at once, with a suggestion for a mistyped key', () => {
    const error = errorOf(() =>
      createBroker({
        platforms: {
          lab: { driver: 'memory', availabilityZone: ['az-1'], wait: { timeoutMs: -5 } },
          other: { driver: 'memory', delays: { atachMs: 1 } },
        },
      } as unknown as BrokerConfig),
    );
    expect(error.field).toBe('platforms.lab.wait.timeoutMs');
    expect(error.message).toContain('platforms.lab.wait.timeoutMs: ');
    expect(error.message).toContain(
      'platforms.lab.availabilityZone: unknown key (did you mean "availabilityZones"?)',
    );
    expect(error.message).toContain('platforms.other.delays.atachMs: unknown key (did you mean "attachMs"?)');
  });

  it('suggests nothing for an unknown key far from every known one', () => {
    const error = errorOf(() =>
      createBroker({ platforms: { lab: { driver: 'memory', colour: 'blue' } } } as unknown as BrokerConfig),
    );
    expect(error.message).toContain('platforms.lab.colour: unknown key');
    expect(error.message).not.toContain('did you mean');
  });

  it('rejects unknown options of a strict driver schema by path', () => {
    const error = errorOf(() =>
      createBroker({ platforms: { lab: { driver: 'memory', zonez: [] } } } as unknown as BrokerConfig),
    );
    expect(error.message).toContain('platforms.lab');
    expect(error.message).toContain('zonez');
  });

  it('names the wait option that is out of range', () => {
    const error = errorOf(() =>
      createBroker({
        platforms: { lab: { driver: 'memory', wait: { timeoutMs: -5 } } },
      } as unknown as BrokerConfig),
    );
    expect(error.field).toBe('platforms.lab.wait.timeoutMs');
  });

  it('rejects a config without platforms', () => {
    expect(errorOf(() => createBroker({ platforms: {} })).field).toBe('platforms');
  });

  it('gives an invalid-request for an unknown platform name', () => {
    const broker = createBroker({ platforms: { lab: { driver: 'memory' } } });
    const error = errorOf(() => (broker as { platform(n: string): unknown }).platform('other'));
    expect(error.message).toContain('unknown platform "other"');
  });
});

describe('createBroker drivers', () => {
  it('creates a driver only on first use, once, even under concurrent first calls', async () => {
    let created = 0;
    const counting = defineDriver({
      kind: 'counting',
      configSchema: z.object({}),
      async create() {
        created++;
        return new MemoryDriver({
          availabilityZones: ['a'],
          images: ['i'],
          flavors: ['f'],
          delays: { buildMs: 0, attachMs: 0, detachMs: 0, deleteMs: 0 },
        });
      },
    });
    const broker = createBroker({ platforms: { c: { driver: 'counting' } } } as unknown as BrokerConfig, {
      drivers: [counting],
    });
    expect(created).toBe(0);
    const driver = (broker as { platform(n: string): import('../src/index.js').PlatformDriver }).platform(
      'c',
    );
    await Promise.all([1, 2, 3].map(() => driver.getServer({ serverId: 'x' }).catch(() => undefined)));
    expect(created).toBe(1);
  });

  it('loads a YAML config file with ${ENV} substitution', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hb-config-'));
    const file = join(dir, 'broker.yaml');
    await writeFile(
      file,
      'platforms:\n  lab:\n    driver: memory\n    availabilityZones: ["${HB_TEST_ZONE}"]\n',
    );
    process.env.HB_TEST_ZONE = 'zone-from-env';
    const broker = await createBrokerFromFile(file);
    const server = await broker
      .platform('lab')
      .createServer({ name: 's', image: 'cirros', flavor: 'm1.small' }, { wait: { initialDelayMs: 5 } });
    expect(server.availabilityZone).toBe('zone-from-env');
  });

  it('names the missing environment variable and the field that needs it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hb-config-'));
    const file = join(dir, 'broker.yaml');
    await writeFile(
      file,
      'platforms:\n  lab:\n    driver: memory\n    images: ["${HB_DEFINITELY_UNSET_VAR}"]\n',
    );
    await expect(createBrokerFromFile(file)).rejects.toMatchObject({
      code: 'invalid-request',
      field: 'platforms.lab.images[0]',
    });
  });

  it('says which file is not valid YAML', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hb-config-'));
    const file = join(dir, 'broken.yaml');
    await writeFile(file, 'platforms: [unclosed\n');
    await expect(createBrokerFromFile(file)).rejects.toThrow(/broken\.yaml is not valid YAML/);
  });
});
