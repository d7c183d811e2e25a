// The README's examples are code: the quick start runs, and every config block is a valid broker config.
import { readFileSync } from 'node:fs';
import { type BrokerConfig, createBroker, interpolateEnv } from '@hybrid-broker/core';
import { awsDriver } from '@hybrid-broker/driver-aws';
import { azureDriver } from '@hybrid-broker/driver-azure';
import { cascadingDriver } from '@hybrid-broker/driver-cascading';
import { openstackDriver } from '@hybrid-broker/driver-openstack';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const blocks = (lang: string) =>
  [...readme.matchAll(new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``, 'g'))].map((m) => m[1] ?? '');

describe('README examples', () => {
  it('the quick start in the README is examples/quick-start.ts, word for word', () => {
    const file = readFileSync(new URL('../../examples/quick-start.ts', import.meta.url), 'utf8');
    expect(blocks('ts')).toContain(file);
  });

  it('the quick start runs against the memory driver', async () => {
    const logged: unknown[] = [];
    const original = console.log;
    console.log = (...args: unknown[]) => void logged.push(args);
    try {
      await import('../../examples/quick-start.js');
    } finally {
      console.log = original;
    }
    expect(logged).toEqual([['device', '/dev/vdb']]);
  });

  const configs = blocks('yaml').filter((b) => b.includes('platforms:'));
  it('has a config example for every driver', () => {
    const drivers = new Set(configs.flatMap((b) => [...b.matchAll(/driver: (\S+)/g)].map((m) => m[1])));
    expect([...drivers].sort()).toEqual(['aws', 'azure', 'cascading', 'memory', 'openstack']);
  });

  for (const [index, block] of configs.entries()) {
    it(`config example ${index + 1} (${/driver: (\S+)/.exec(block)?.[1]}) is a valid broker config`, () => {
      const env = new Proxy({}, { get: (_, name) => `example-${String(name).toLowerCase()}` });
      const config = interpolateEnv(parse(block), env as NodeJS.ProcessEnv, '') as BrokerConfig;
      const broker = createBroker(config, {
        drivers: [openstackDriver, cascadingDriver, awsDriver, azureDriver],
      });
      expect(broker.platforms().length).toBeGreaterThan(0);
    });
  }
});
