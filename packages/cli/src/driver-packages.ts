import { BrokerError } from '@hybrid-broker/core';

/**
 * The npm package of each of the project's own driver kinds. The CLI lists
 * them as optional peer dependencies: an operator installs only the drivers
 * of the clouds they run, and a config naming a kind whose package is missing
 * fails naming the package to install.
 */
export const DRIVER_PACKAGES: Readonly<Record<string, string>> = {
  openstack: '@hybrid-broker/driver-openstack',
  cascading: '@hybrid-broker/driver-cascading',
  aws: '@hybrid-broker/driver-aws',
  azure: '@hybrid-broker/driver-azure',
};

/**
 * Throws `invalid-request` for the first platform whose driver is one of the
 * project's kinds but whose package did not load, naming the package (and why
 * it did not load when it is there but broken). Unknown kinds are left to the
 * broker's own "unknown driver" error.
 */
export function requireDriverPackages(
  config: unknown,
  loadedKinds: ReadonlySet<string>,
  skipped: readonly { readonly specifier: string; readonly reason: string }[],
): void {
  const platforms = (config as { platforms?: unknown } | null)?.platforms;
  if (typeof platforms !== 'object' || platforms === null) return;
  for (const [name, entry] of Object.entries(platforms)) {
    const kind = (entry as { driver?: unknown } | null)?.driver;
    if (typeof kind !== 'string' || loadedKinds.has(kind)) continue;
    const specifier = DRIVER_PACKAGES[kind];
    if (specifier === undefined) continue;
    const reason = skipped.find((skip) => skip.specifier === specifier)?.reason ?? '';
    const missing = reason === '' || /Cannot find (package|module)|ERR_MODULE_NOT_FOUND/.test(reason);
    throw new BrokerError(
      'invalid-request',
      missing
        ? `platforms.${name}.driver: driver "${kind}" needs the package ${specifier}; install it: npm install ${specifier}`
        : `platforms.${name}.driver: driver "${kind}": the package ${specifier} failed to load: ${reason}`,
      { field: `platforms.${name}.driver` },
    );
  }
}
