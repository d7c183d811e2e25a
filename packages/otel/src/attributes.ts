import type { CallFrame } from '@hybrid-broker/core';
import type { Attributes } from '@opentelemetry/api';

/**
 * Attribute names: the OpenTelemetry semantic conventions where one exists
 * (`cloud.*`, `error.type`, `http.*`, `server.*`, `url.*`, `aws.request_id`,
 * `az.service_request_id`), `hybrid_broker.*` for what is the broker's own.
 */
export const ATTR = {
  cloudProvider: 'cloud.provider',
  cloudRegion: 'cloud.region',
  cloudZone: 'cloud.availability_zone',
  errorType: 'error.type',
  platform: 'hybrid_broker.platform',
  driver: 'hybrid_broker.driver',
  operation: 'hybrid_broker.operation',
  outcome: 'hybrid_broker.outcome',
  globalRequestId: 'openstack.global_request_id',
  method: 'http.request.method',
  status: 'http.response.status_code',
  serverAddress: 'server.address',
  serverPort: 'server.port',
  url: 'url.full',
  urlTemplate: 'url.template',
  call: 'hybrid_broker.request.call',
} as const;

/** `cloud.provider` of the built-in drivers; a third-party kind is named by the caller's map or not at all. */
export const DEFAULT_PROVIDERS: Readonly<Record<string, string>> = {
  openstack: 'openstack',
  cascading: 'openstack',
  aws: 'aws',
  azure: 'azure',
};

/** The attribute that holds the provider's own request id, by `cloud.provider`. */
export function requestIdAttribute(provider: string | undefined): string {
  if (provider === 'aws') return 'aws.request_id';
  if (provider === 'azure') return 'az.service_request_id';
  if (provider === 'openstack') return 'openstack.request_id';
  return 'hybrid_broker.request_id';
}

/** What an operation span starts with: where it runs and which resources it names. */
export function operationAttributes(call: CallFrame, provider: string | undefined): Attributes {
  return {
    [ATTR.platform]: call.platform,
    [ATTR.driver]: call.driver,
    [ATTR.operation]: call.operation,
    ...(provider ? { [ATTR.cloudProvider]: provider } : {}),
    ...(call.region ? { [ATTR.cloudRegion]: call.region } : {}),
    ...(provider === 'openstack' ? { [ATTR.globalRequestId]: call.globalRequestId } : {}),
    ...resourceAttributes(call.request),
  };
}

/**
 * The ids a request or a result names, and its availability zone: `serverId` becomes
 * `hybrid_broker.server.id`, `fromServerId` `hybrid_broker.from_server.id`. Only these
 * fields are read: a request may carry user data, which never becomes an attribute.
 */
export function resourceAttributes(value: unknown, idKey?: string): Attributes {
  if (typeof value !== 'object' || value === null) return {};
  const found: Attributes = {};
  for (const [key, field] of Object.entries(value)) {
    if (!isIdLike(field)) continue;
    if (key === 'availabilityZone') found[ATTR.cloudZone] = field;
    else if (key === 'id' && idKey) found[`hybrid_broker.${idKey}.id`] = field;
    else if (key.endsWith('Id') && key.length > 2)
      found[`hybrid_broker.${snake(key.slice(0, -2))}.id`] = field;
  }
  return found;
}

// Ids of every cloud here (uuids, vol-..., ARM resource paths) fit; free text does not.
const ID = /^[\w.:/@-]{1,512}$/;

function isIdLike(value: unknown): value is string {
  return typeof value === 'string' && ID.test(value);
}

function snake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
