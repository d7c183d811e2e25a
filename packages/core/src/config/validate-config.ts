import type { AnyDriverDefinition } from '../driver-definition.js';
import { type BrokerConfig, brokerConfigSchema } from './broker-config.js';
import { type ConfigProblem, configProblems, problemsError } from './schema-helpers.js';

/** One platform of a valid config: its driver's definition and its options as that driver parsed them. */
export interface ValidPlatform {
  readonly name: string;
  readonly kind: string;
  readonly definition: AnyDriverDefinition;
  readonly driverConfig: unknown;
}

/** The packages that export the first-party drivers, for the hint of an unregistered one. */
const FIRST_PARTY: Readonly<Record<string, { pkg: string; name: string }>> = {
  openstack: { pkg: '@hybrid-broker/driver-openstack', name: 'openstackDriver' },
  cascading: { pkg: '@hybrid-broker/driver-cascading', name: 'cascadingDriver' },
  aws: { pkg: '@hybrid-broker/driver-aws', name: 'awsDriver' },
  azure: { pkg: '@hybrid-broker/driver-azure', name: 'azureDriver' },
};

function unknownDriver(platform: string, kind: string, kinds: ReadonlyMap<string, unknown>): ConfigProblem {
  const path = `platforms.${platform}.driver`;
  const registered = [...kinds.keys()].map((k) => `"${k}"`).join(', ');
  const known = FIRST_PARTY[kind];
  const how = known
    ? `it is ${known.name} from ${known.pkg}: install that package and pass createBroker(config, { drivers: [${known.name}] })`
    : `a driver's definition is registered with createBroker(config, { drivers: [...] })`;
  return { path, text: `${path}: unknown driver "${kind}"; expected one of ${registered}; ${how}` };
}

function entriesOf(config: unknown): [string, Record<string, unknown>][] {
  const platforms = (config as { platforms?: unknown } | null)?.platforms;
  if (typeof platforms !== 'object' || platforms === null) return [];
  return Object.entries(platforms).filter(
    (e): e is [string, Record<string, unknown>] => typeof e[1] === 'object' && e[1] !== null,
  );
}

/**
 * Checks a whole broker config and reports every problem at once: the outer
 * shape, the shared options and each platform's own options by its driver's
 * schema, with a suggestion for a mistyped key. Throws one `invalid-request`
 * naming each bad field path; returns the parsed config otherwise.
 */
export function validateBrokerConfig(
  config: unknown,
  kinds: ReadonlyMap<string, AnyDriverDefinition>,
): { readonly outer: BrokerConfig; readonly platforms: readonly ValidPlatform[] } {
  const problems: ConfigProblem[] = [];
  const outer = brokerConfigSchema.safeParse(config);
  if (!outer.success) problems.push(...configProblems(outer.error, '', brokerConfigSchema));
  const platforms: ValidPlatform[] = [];
  // Each platform's own options are checked even when the outer shape failed, so one run shows all.
  for (const [name, entry] of entriesOf(config)) {
    const { driver: kind, wait: _wait, retry: _retry, scale: _scale, ...rest } = entry;
    if (typeof kind !== 'string' || kind === '') continue; // the outer schema names it
    const definition = kinds.get(kind);
    if (!definition) {
      problems.push(unknownDriver(name, kind, kinds));
      continue;
    }
    const parsed = definition.configSchema.safeParse(rest);
    if (parsed.success) platforms.push({ name, kind, definition, driverConfig: parsed.data });
    else problems.push(...configProblems(parsed.error, `platforms.${name}`, definition.configSchema));
  }
  if (!outer.success || problems.length > 0) throw problemsError(problems);
  return { outer: outer.data as BrokerConfig, platforms };
}
