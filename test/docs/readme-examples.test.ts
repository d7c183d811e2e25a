// The README's examples are code: the quick start runs, and every config block of the README and
// docs/ is a valid broker config.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type BrokerConfig, createBroker, interpolateEnv } from '@hybrid-broker/core';
import { awsDriver } from '@hybrid-broker/driver-aws';
import { azureDriver } from '@hybrid-broker/driver-azure';
import { cascadingDriver } from '@hybrid-broker/driver-cascading';
import { IDEMPOTENCY_METADATA_KEY, openstackDriver } from '@hybrid-broker/driver-openstack';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { allCodeBlocks } from './code-blocks.js';
import { userProgramOptions } from './user-program.js';

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

  it('the quick start type-checks under strict and exactOptionalPropertyTypes, as a user program would', () => {
    const file = fileURLToPath(new URL('../../examples/quick-start.ts', import.meta.url));
    const program = ts.createProgram([file], userProgramOptions);
    // Only the example's own diagnostics: the packages' sources are checked by their own build,
    // and their published .d.ts under these flags by test:consumer.
    const errors = ts
      .getPreEmitDiagnostics(program, program.getSourceFile(file))
      .map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    expect(errors).toEqual([]);
  }, 60_000);

  it('names the idempotency tag the drivers really write', async () => {
    const openstackPage = readFileSync(new URL('../../docs/drivers/openstack.md', import.meta.url), 'utf8');
    expect(openstackPage).toContain('(`hybrid-broker-idempotency-key`,');
    const broker = createBroker({ platforms: { lab: { driver: 'memory' } } });
    const server = await broker
      .platform('lab')
      .createServer({ name: 'sg-1', image: 'cirros', flavor: 'm1.small' }, { idempotencyKey: 'key-1' });
    expect(server.metadata).toMatchObject({ 'hybrid-broker-idempotency-key': 'key-1' });
    expect(IDEMPOTENCY_METADATA_KEY).toBe('hybrid-broker-idempotency-key');
    await broker.close();
  });

  const configs = allCodeBlocks()
    .filter((b) => b.lang === 'yaml' && b.code.includes('platforms:'))
    .map((b) => b.code);
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
