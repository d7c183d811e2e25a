import { RouteTable } from '../route-table.js';
import { SimError, type SimService } from '../service.js';
import type { Image } from './catalog-data.js';
import { createEndpointService, scoped } from './openstack-endpoint.js';
import type { OpenStackSim } from './openstack-sim.js';
import { paginate } from './pagination.js';
import { keystoneTime } from './timestamps.js';

/** Glance v2 images (read-only) for every region, at `/image/{region}/v2`. */
export function createGlanceService(os: OpenStackSim): SimService {
  const table = new RouteTable()
    .add('GET', '/image/{region}', (ctx) => ({
      status: 300,
      body: {
        versions: [
          { id: 'v2.16', status: 'CURRENT', links: [{ rel: 'self', href: `${ctx.origin}${ctx.path}/v2/` }] },
        ],
      },
    }))
    .add(
      'GET',
      '/image/{region}/v2/images',
      scoped(os, 'image', (ctx) => {
        const name = ctx.query.get('name');
        const status = ctx.query.get('status');
        const all = os.images.filter(
          (i) => (name === null || i.name === name) && (status === null || status === 'active'),
        );
        const page = paginate(all, ctx.query, '/v2/images', (m) => `Marker ${m} could not be found.`);
        const body: Record<string, unknown> = {
          images: page.items.map(imageView),
          first: '/v2/images',
          schema: '/v2/schemas/images',
        };
        if (page.next) body.next = page.next;
        return { status: 200, body };
      }),
    )
    .add(
      'GET',
      '/image/{region}/v2/images/{id}',
      scoped(os, 'image', (ctx) => {
        const image = os.images.find((i) => i.id === ctx.params.id);
        if (!image) throw new SimError(404, `No image found with ID ${ctx.params.id}`);
        return { status: 200, body: imageView(image) };
      }),
    );
  return createEndpointService({ name: 'glance', root: 'image', table });
}

/** An image as Glance v2 shows it (a flat object, not wrapped). */
function imageView(i: Image): unknown {
  const time = keystoneTime(i.created).replace(/\.\d+Z$/, 'Z');
  return {
    id: i.id,
    name: i.name,
    status: 'active',
    visibility: 'public',
    protected: false,
    container_format: 'bare',
    disk_format: i.diskFormat,
    size: i.size,
    virtual_size: null,
    min_disk: i.minDisk,
    min_ram: i.minRam,
    checksum: null,
    os_hash_algo: 'sha512',
    os_hash_value: null,
    owner: null,
    tags: [],
    created_at: time,
    updated_at: time,
    self: `/v2/images/${i.id}`,
    file: `/v2/images/${i.id}/file`,
    schema: '/v2/schemas/image',
  };
}
