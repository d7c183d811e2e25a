import { BrokerError, memoryDriver } from '@hybrid-broker/core';
import { describe, expect, it } from 'vitest';
import {
  definitionsIn,
  loadDrivers,
  requireDriverPackages,
  WORKSPACE_DRIVER_PACKAGES,
} from '../src/index.js';

const fake = (kind: string) => ({ ...memoryDriver, kind });

describe('driver registration', () => {
  it('picks only exports shaped like definitions (kind, configSchema, create)', () => {
    const module = {
      fooDriver: fake('foo'),
      schema: memoryDriver.configSchema,
      half: { kind: 'half', create: () => undefined },
      constant: 42,
    };
    expect(definitionsIn(module).map((d) => d.kind)).toEqual(['foo']);
  });

  it('skips a workspace package that fails to import, keeping the others', async () => {
    const importer = async (specifier: string) => {
      if (specifier === '@hybrid-broker/driver-aws') throw new Error('Cannot find module dist/index.js');
      return { definition: fake(specifier.replace('@hybrid-broker/driver-', '')) };
    };
    const loaded = await loadDrivers([], '/', importer);
    expect(loaded.definitions.map((d) => d.kind)).toEqual(['openstack', 'cascading', 'azure']);
    expect(loaded.skipped).toEqual([
      { specifier: '@hybrid-broker/driver-aws', reason: 'Cannot find module dist/index.js' },
    ]);
  });

  it('loads a --driver path relative to the working directory, and fails naming it when it cannot', async () => {
    const asked: string[] = [];
    const importer = async (specifier: string) => {
      asked.push(specifier);
      if (specifier.includes('broken')) throw new SyntaxError('Unexpected token\n at line 3');
      return specifier.startsWith('file:') ? { vault: fake('vault') } : {};
    };
    const loaded = await loadDrivers(['./drivers/vault.mjs'], '/work/site', importer);
    expect(asked.at(-1)).toBe('file:///work/site/drivers/vault.mjs');
    expect(loaded.definitions.map((d) => d.kind)).toContain('vault');
    const error = await loadDrivers(['./broken.mjs'], '/w', importer).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BrokerError);
    expect(error).toMatchObject({
      code: 'invalid-request',
      field: 'driver',
      message: '--driver ./broken.mjs: cannot load it: Unexpected token',
    });
  });

  it('finds the definitions of the driver packages that exist in this workspace, by their kind', async () => {
    const loaded = await loadDrivers([], process.cwd());
    const kinds = loaded.definitions.map((d) => d.kind);
    // Each package either gave a definition or is listed as skipped, never silently lost.
    expect(kinds.length + loaded.skipped.length).toBeGreaterThanOrEqual(WORKSPACE_DRIVER_PACKAGES.length - 1);
    expect(kinds).toContain('openstack');
    for (const definition of loaded.definitions) expect(definition.kind).toMatch(/^[a-z][a-z0-9-]*$/);
  });

  it('a platform whose driver package is not installed fails naming the package to install', () => {
    const config = { platforms: { lab: { driver: 'memory' }, eu: { driver: 'aws', region: 'eu-west-1' } } };
    const notFound = [
      { specifier: '@hybrid-broker/driver-aws', reason: "Cannot find package '@hybrid-broker/driver-aws'" },
    ];
    const error = (() => {
      try {
        requireDriverPackages(config, new Set(['memory', 'openstack']), notFound);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(BrokerError);
    expect(error).toMatchObject({
      code: 'invalid-request',
      field: 'platforms.eu.driver',
      message:
        'platforms.eu.driver: driver "aws" needs the package @hybrid-broker/driver-aws; install it: npm install @hybrid-broker/driver-aws',
    });
    const broken = [{ specifier: '@hybrid-broker/driver-aws', reason: 'SyntaxError: Unexpected token' }];
    expect(() => requireDriverPackages(config, new Set(['memory']), broken)).toThrow(
      'platforms.eu.driver: driver "aws": the package @hybrid-broker/driver-aws failed to load: SyntaxError: Unexpected token',
    );
    // Loaded kinds and kinds that are not ours (the broker names those) pass.
    requireDriverPackages(config, new Set(['memory', 'aws']), []);
    requireDriverPackages({ platforms: { x: { driver: 'vault' } } }, new Set(['memory']), []);
  });
});
