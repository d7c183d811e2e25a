import type { OpenStackSim } from './openstack-sim.js';
import { novaHostId, placeServer } from './placement.js';
import type { ServerRecord } from './state.js';

/** What a new server is made of (from the API or the admin helper). */
export interface NewServer {
  readonly region: string;
  readonly projectId: string;
  readonly userId: string;
  readonly availabilityZone: string;
  readonly name: string;
  readonly imageId: string;
  readonly flavorId: string;
  /** Network names; empty for the default network. */
  readonly networks?: readonly string[];
  readonly metadata?: Record<string, string>;
  readonly keyName?: string | null;
  readonly userData?: string | null;
  readonly securityGroups?: readonly string[];
  /** The scheduler's choice (see placement.ts); null for NoValidHost. Default: the zone's least loaded host. */
  readonly host?: string | null;
  readonly serverGroupId?: string;
}

/** Creates and stores a server in `BUILD` (scheduling), without addresses yet. */
export function createServerRecord(os: OpenStackSim, spec: NewServer): ServerRecord {
  const now = os.now();
  const host =
    spec.host === undefined ? placeServer(os, spec.region, spec.availabilityZone, undefined) : spec.host;
  const server: ServerRecord = {
    id: os.random.uuid(),
    name: spec.name,
    region: spec.region,
    projectId: spec.projectId,
    userId: spec.userId,
    availabilityZone: spec.availabilityZone,
    status: 'BUILD',
    vmState: 'building',
    taskState: 'scheduling',
    powerState: 0,
    imageId: spec.imageId,
    flavorId: spec.flavorId,
    networks: [...(spec.networks ?? [])],
    addresses: {},
    metadata: { ...spec.metadata },
    keyName: spec.keyName ?? null,
    userData: spec.userData ?? null,
    securityGroups: [...(spec.securityGroups ?? ['default'])],
    created: now,
    updated: now,
    launchedAt: null,
    hostId: host === null ? '' : novaHostId(spec.projectId, host),
    host,
    serverGroupId: spec.serverGroupId,
    fault: undefined,
    volumes: [],
    op: 0,
  };
  os.state.servers.set(server.id, server);
  return server;
}
