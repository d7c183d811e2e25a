import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type AnyDriverDefinition, BrokerError } from '@hybrid-broker/core';
import { DRIVER_PACKAGES } from './driver-packages.js';

/**
 * The driver packages of this workspace (optional peers of the CLI). Each is
 * imported when the CLI opens a config; a package that fails to import (not
 * installed, or not built yet) is skipped, so the CLI keeps working with the
 * drivers it has, and a platform that needs it fails naming the package. Importing a
 * package loads only its light definition: its cloud SDK loads when a
 * platform of that driver is first called.
 */
export const WORKSPACE_DRIVER_PACKAGES: readonly string[] = Object.values(DRIVER_PACKAGES);

/** Imports a module; swapped in tests. */
export type ModuleImporter = (specifier: string) => Promise<unknown>;

// A non-literal specifier keeps the compiler from needing every driver's types at build time.
const importModule: ModuleImporter = (specifier) => import(specifier);

/** The definitions found, and the packages skipped with why. */
export interface LoadedDrivers {
  readonly definitions: readonly AnyDriverDefinition[];
  readonly skipped: readonly { readonly specifier: string; readonly reason: string }[];
}

/** True for a value shaped like a driver definition: `kind`, `configSchema`, `create`. */
export function isDriverDefinition(value: unknown): value is AnyDriverDefinition {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Record<'kind' | 'configSchema' | 'create', unknown>>;
  return (
    typeof candidate.kind === 'string' &&
    typeof candidate.create === 'function' &&
    typeof (candidate.configSchema as { safeParse?: unknown } | undefined)?.safeParse === 'function'
  );
}

/** Every driver definition a module exports (a package may export several). */
export function definitionsIn(module: unknown): AnyDriverDefinition[] {
  if (typeof module !== 'object' || module === null) return [];
  return Object.values(module).filter(isDriverDefinition);
}

/**
 * The workspace's driver definitions plus those of `extraModules` (third-party
 * driver packages or files named with `--driver`). An extra module that fails
 * to load, or exports no definition, is an `invalid-request` error: the user
 * asked for it by name.
 */
export async function loadDrivers(
  extraModules: readonly string[],
  cwd: string,
  importer: ModuleImporter = importModule,
): Promise<LoadedDrivers> {
  const definitions: AnyDriverDefinition[] = [];
  const skipped: { specifier: string; reason: string }[] = [];
  const imported = await Promise.allSettled(
    WORKSPACE_DRIVER_PACKAGES.map((specifier) => importer(specifier)),
  );
  imported.forEach((outcome, index) => {
    const specifier = WORKSPACE_DRIVER_PACKAGES[index] ?? '';
    if (outcome.status === 'fulfilled') definitions.push(...definitionsIn(outcome.value));
    else skipped.push({ specifier, reason: firstLine(outcome.reason) });
  });
  for (const specifier of extraModules) {
    let module: unknown;
    try {
      module = await importer(toImportable(specifier, cwd));
    } catch (error) {
      throw new BrokerError('invalid-request', `--driver ${specifier}: cannot load it: ${firstLine(error)}`, {
        cause: error,
        field: 'driver',
      });
    }
    const found = definitionsIn(module);
    if (found.length === 0) {
      throw new BrokerError(
        'invalid-request',
        `--driver ${specifier}: exports no driver definition (an object with kind, configSchema and create)`,
        { field: 'driver' },
      );
    }
    definitions.push(...found);
  }
  return { definitions, skipped };
}

/** A path (relative to cwd, or absolute) becomes a file URL; a package name stays as it is. */
function toImportable(specifier: string, cwd: string): string {
  if (specifier.startsWith('.') || isAbsolute(specifier)) return pathToFileURL(resolve(cwd, specifier)).href;
  return specifier;
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}
