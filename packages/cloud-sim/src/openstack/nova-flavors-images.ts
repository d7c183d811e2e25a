import type { RouteTable } from '../route-table.js';
import { SimError } from '../service.js';
import { COMPUTE_VERSIONS, requestedMinor } from './microversion.js';
import { flavorView, novaImageView, novaLinks } from './nova-views.js';
import { scoped } from './openstack-endpoint.js';
import type { OpenStackSim } from './openstack-sim.js';
import { paginate } from './pagination.js';

const BASE = '/compute/{region}/v2.1/{project}';

/** Nova's image proxy went away in microversion 2.36; clients must use Glance from then on. */
const LAST_IMAGE_PROXY_MINOR = 35;

/** Registers `/flavors` (list, detail, show) and the deprecated `/images` proxy. */
export function addFlavorImageRoutes(table: RouteTable, os: OpenStackSim): void {
  table
    .add(
      'GET',
      `${BASE}/flavors`,
      scoped(os, 'compute', (ctx, scope) => {
        const page = paginate(
          os.flavors,
          ctx.query,
          `${scope.base}/flavors`,
          (m) => `marker [${m}] not found`,
        );
        const flavors = page.items.map((f) => ({
          id: f.id,
          name: f.name,
          links: novaLinks(scope.base, 'flavors', f.id),
        }));
        return { status: 200, body: withNext({ flavors }, 'flavors_links', page.next) };
      }),
    )
    .add(
      'GET',
      `${BASE}/flavors/detail`,
      scoped(os, 'compute', (ctx, scope) => {
        const mv = requestedMinor(ctx.headers, COMPUTE_VERSIONS);
        const page = paginate(
          os.flavors,
          ctx.query,
          `${scope.base}/flavors/detail`,
          (m) => `marker [${m}] not found`,
        );
        const flavors = page.items.map((f) => flavorView(f, scope.base, mv));
        return { status: 200, body: withNext({ flavors }, 'flavors_links', page.next) };
      }),
    )
    .add(
      'GET',
      `${BASE}/flavors/{id}`,
      scoped(os, 'compute', (ctx, scope) => {
        const flavor = os.flavors.find((f) => f.id === ctx.params.id);
        if (!flavor) throw new SimError(404, `Flavor ${ctx.params.id} could not be found.`);
        const mv = requestedMinor(ctx.headers, COMPUTE_VERSIONS);
        return { status: 200, body: { flavor: flavorView(flavor, scope.base, mv) } };
      }),
    )
    .add(
      'GET',
      `${BASE}/images`,
      scoped(os, 'compute', (ctx, scope) => {
        imageProxyAvailable(requestedMinor(ctx.headers, COMPUTE_VERSIONS));
        const images = filterByName(os, ctx.query).map((i) => ({
          id: i.id,
          name: i.name,
          links: novaLinks(scope.base, 'images', i.id),
        }));
        return { status: 200, body: { images } };
      }),
    )
    .add(
      'GET',
      `${BASE}/images/detail`,
      scoped(os, 'compute', (ctx, scope) => {
        imageProxyAvailable(requestedMinor(ctx.headers, COMPUTE_VERSIONS));
        return {
          status: 200,
          body: { images: filterByName(os, ctx.query).map((i) => novaImageView(i, scope.base)) },
        };
      }),
    )
    .add(
      'GET',
      `${BASE}/images/{id}`,
      scoped(os, 'compute', (ctx, scope) => {
        imageProxyAvailable(requestedMinor(ctx.headers, COMPUTE_VERSIONS));
        const image = os.images.find((i) => i.id === ctx.params.id);
        if (!image) throw new SimError(404, 'Image not found.');
        return { status: 200, body: { image: novaImageView(image, scope.base) } };
      }),
    );
}

function imageProxyAvailable(mv: number): void {
  if (mv > LAST_IMAGE_PROXY_MINOR) throw new SimError(404, 'The resource could not be found.');
}

function filterByName(os: OpenStackSim, query: URLSearchParams) {
  const name = query.get('name');
  return name === null ? [...os.images] : os.images.filter((i) => i.name === name);
}

function withNext(
  body: Record<string, unknown>,
  key: string,
  next: string | undefined,
): Record<string, unknown> {
  return next ? { ...body, [key]: [{ rel: 'next', href: next }] } : body;
}
