import { RouteTable } from '../route-table.js';
import type { SimContext, SimService } from '../service.js';
import { addMetadataRoutes } from './metadata-routes.js';
import { COMPUTE_VERSIONS } from './microversion.js';
import { addAttachmentRoutes } from './nova-attachments.js';
import { addFlavorImageRoutes } from './nova-flavors-images.js';
import { addServerGroupRoutes } from './nova-server-groups.js';
import { addServerRoutes, findServer } from './nova-servers.js';
import { createEndpointService } from './openstack-endpoint.js';
import type { OpenStackSim } from './openstack-sim.js';

/** Nova (compute v2.1) for every region at `/compute/{region}/v2.1/{project_id}`. */
export function createNovaService(os: OpenStackSim): SimService {
  const table = new RouteTable()
    .add('GET', '/compute/{region}', (ctx) => ({ status: 200, body: { versions: [version(ctx)] } }))
    .add('GET', '/compute/{region}/v2.1', (ctx) => ({ status: 200, body: { version: version(ctx) } }));
  addServerRoutes(table, os);
  addAttachmentRoutes(table, os);
  addFlavorImageRoutes(table, os);
  addServerGroupRoutes(table, os);
  addMetadataRoutes(table, os, 'compute', '/compute/{region}/v2.1/{project}/servers', findServer);
  return createEndpointService({ name: 'nova', root: 'compute', table, versions: COMPUTE_VERSIONS });
}

function version(ctx: SimContext): unknown {
  const { major, minMinor, maxMinor } = COMPUTE_VERSIONS;
  const href = `${ctx.origin}${ctx.path.replace(/\/v2\.1$/, '')}/v2.1/`;
  return {
    id: 'v2.1',
    status: 'CURRENT',
    version: `${major}.${maxMinor}`,
    min_version: `${major}.${minMinor}`,
    updated: '2013-07-23T11:33:21Z',
    links: [{ rel: 'self', href }],
  };
}
