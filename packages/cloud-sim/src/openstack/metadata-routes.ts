import type { RouteTable } from '../route-table.js';
import { SimError } from '../service.js';
import { objectField, stringMap } from './json-fields.js';
import { type Scope, scoped } from './openstack-endpoint.js';
import type { OpenStackSim } from './openstack-sim.js';

/** What Nova and Cinder keep per resource: its metadata pairs. */
interface WithMetadata {
  readonly metadata: Record<string, string>;
}

type Find = (os: OpenStackSim, scope: Scope, id: string | undefined) => WithMetadata;

/**
 * Nova's `/servers/{id}/metadata` and Cinder's `/volumes/{id}/metadata`: `POST` merges the
 * pairs (200 with every pair), `DELETE .../{key}` removes one (Nova 204, Cinder 200; an
 * absent key is 404 "Metadata item was not found"), as nova/api/openstack/compute/
 * server_metadata.py and cinder/api/v3/volume_metadata.py answer. Keys 1-255 characters,
 * values up to 255 (both schemas); Nova counts against its metadata_items quota (128).
 */
export function addMetadataRoutes(
  table: RouteTable,
  os: OpenStackSim,
  service: 'compute' | 'volume',
  base: string,
  find: Find,
): void {
  table
    .add(
      'POST',
      `${base}/{id}/metadata`,
      scoped(os, service, (ctx, scope) => {
        const resource = find(os, scope, ctx.params.id);
        const pairs = stringMap({ metadata: objectField(ctx.json(), 'metadata') }, 'metadata');
        for (const [key, value] of Object.entries(pairs)) {
          if (key.length < 1 || key.length > 255 || value.length > 255)
            throw new SimError(
              400,
              `Invalid input for field/attribute metadata. Value: ${key.slice(0, 40)}.`,
            );
        }
        const merged = { ...resource.metadata, ...pairs };
        if (service === 'compute' && Object.keys(merged).length > 128)
          throw new SimError(403, 'Quota exceeded for metadata_items');
        Object.assign(resource.metadata, pairs);
        return { status: 200, body: { metadata: { ...resource.metadata } } };
      }),
    )
    .add(
      'DELETE',
      `${base}/{id}/metadata/{key}`,
      scoped(os, service, (ctx, scope) => {
        const resource = find(os, scope, ctx.params.id);
        const key = ctx.params.key ?? '';
        if (!Object.hasOwn(resource.metadata, key)) throw new SimError(404, 'Metadata item was not found');
        Reflect.deleteProperty(resource.metadata, key);
        return service === 'compute' ? { status: 204 } : { status: 200 };
      }),
    );
}
