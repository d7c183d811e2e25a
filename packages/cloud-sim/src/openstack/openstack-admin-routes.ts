import type { AdminExtension } from '../admin/admin-service.js';
import { type SimContext, SimError } from '../service.js';
import type { CreateServerOptions, CreateVolumeOptions, OpenStackAdmin } from './openstack-admin.js';
import type { OpenStackDelays, RegionSpec } from './openstack-options.js';

/** The `/_sim/openstack/...` admin endpoints, each a thin wrapper over `OpenStackAdmin`. */
export function openStackAdminRoutes(admin: OpenStackAdmin): AdminExtension {
  return (table) => {
    table
      .add('GET', '/_sim/openstack/regions', () => ({ status: 200, body: { regions: admin.regions() } }))
      .add('POST', '/_sim/openstack/regions', (ctx) => ({
        status: 201,
        body: { region: admin.addRegion(record(ctx) as unknown as RegionSpec) },
      }))
      .add('DELETE', '/_sim/openstack/regions/{name}', (ctx) => {
        if (!admin.removeRegion(ctx.params.name ?? ''))
          throw new SimError(404, `no region ${ctx.params.name}`);
        return { status: 204 };
      })
      .add('POST', '/_sim/openstack/volumes', (ctx) => ({
        status: 201,
        body: { volume: admin.createVolume(record(ctx) as CreateVolumeOptions) },
      }))
      .add('GET', '/_sim/openstack/volumes/{id}', (ctx) => {
        const volume = admin.getVolume(ctx.params.id ?? '');
        if (!volume) throw new SimError(404, `Volume ${ctx.params.id} could not be found.`);
        return { status: 200, body: { volume } };
      })
      .add('PUT', '/_sim/openstack/volumes/{id}/status', (ctx) => ({
        status: 200,
        body: { volume: admin.setVolumeStatus(ctx.params.id ?? '', status(ctx)) },
      }))
      .add('POST', '/_sim/openstack/servers', (ctx) => ({
        status: 201,
        body: { server: admin.createServer(record(ctx) as CreateServerOptions) },
      }))
      .add('GET', '/_sim/openstack/servers/{id}', (ctx) => {
        const server = admin.getServer(ctx.params.id ?? '');
        if (!server) throw new SimError(404, `Instance ${ctx.params.id} could not be found.`);
        return { status: 200, body: { server } };
      })
      .add('PUT', '/_sim/openstack/servers/{id}/status', (ctx) => ({
        status: 200,
        body: { server: admin.setServerStatus(ctx.params.id ?? '', status(ctx)) },
      }))
      .add('POST', '/_sim/openstack/tokens/revoke', () => {
        admin.revokeTokens();
        return { status: 204 };
      })
      .add('PUT', '/_sim/openstack/delays', (ctx) => {
        const patch = record(ctx);
        for (const [key, value] of Object.entries(patch)) {
          if (!(key in admin.delays) || typeof value !== 'number')
            throw new SimError(400, `invalid delay ${key}`);
          admin.delays[key as keyof OpenStackDelays] = value;
        }
        return { status: 200, body: { delays: admin.delays } };
      });
  };
}

function record(ctx: SimContext): Record<string, unknown> {
  const body = ctx.json() ?? {};
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new SimError(400, 'body must be an object');
  return body as Record<string, unknown>;
}

function status(ctx: SimContext): string {
  const value = record(ctx).status;
  if (typeof value !== 'string' || value === '') throw new SimError(400, 'status must be a non-empty string');
  return value;
}
