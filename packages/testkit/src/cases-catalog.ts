import assert from 'node:assert/strict';
import {
  type Flavor,
  IMAGE_STATUSES,
  type Image,
  type PlatformDriver,
  resolveCapabilities,
} from '@hybrid-broker/core';
import type { ContractCase } from './cases-servers.js';
import { expectBrokerError } from './expect-error.js';
import type { CaseContext } from './target.js';

const noImages = (ctx: CaseContext) =>
  resolveCapabilities(ctx.driver.capabilities).listImages ? undefined : 'capability listImages not declared';
const noFlavors = (ctx: CaseContext) =>
  resolveCapabilities(ctx.driver.capabilities).listFlavors
    ? undefined
    : 'capability listFlavors not declared';
const noCatalog = (ctx: CaseContext) => noImages(ctx) ?? noFlavors(ctx);

/** The driver's catalog lists (the runtime wrapper always has them; it refuses without the capability). */
function lists(driver: PlatformDriver) {
  const { listImages, listFlavors } = driver;
  assert.ok(listImages && listFlavors, 'the wrapped driver offers listImages and listFlavors');
  return { images: listImages.bind(driver), flavors: listFlavors.bind(driver) };
}

function assertImage(image: Image): void {
  assert.ok(image.id.length > 0, 'an image has an id');
  assert.equal(typeof image.name, 'string');
  assert.ok(IMAGE_STATUSES.includes(image.status), `normalized status, got ${image.status}`);
  assert.ok(image.providerStatus.length > 0, 'the provider status is kept');
  assert.ok(Number.isInteger(image.minDiskGiB) && image.minDiskGiB >= 0, 'minDiskGiB is a count');
  assert.ok(Number.isInteger(image.minRamMiB) && image.minRamMiB >= 0, 'minRamMiB is a count');
}

function assertFlavor(flavor: Flavor): void {
  assert.ok(flavor.id.length > 0 && flavor.name.length > 0, 'a flavor has an id and a name');
  assert.ok(Number.isInteger(flavor.vcpus) && flavor.vcpus > 0, 'vcpus is a count');
  assert.ok(Number.isInteger(flavor.ramMiB) && flavor.ramMiB > 0, 'ramMiB is a count');
  assert.ok(Number.isInteger(flavor.diskGiB) && flavor.diskGiB >= 0, 'diskGiB is a count');
}

/** The listed entry the fixture names (by id or name). */
function fixtureEntry<T extends { id: string; name: string }>(
  all: readonly T[],
  ref: string,
  what: string,
): T {
  const found = all.find((e) => e.id === ref) ?? all.find((e) => e.name === ref);
  assert.ok(found, `the fixture ${what} ${ref} is listed`);
  return found;
}

/** listImages, listFlavors and createServer's names, gated by capabilities `listImages` and `listFlavors`. */
export const catalogCases: ContractCase[] = [
  {
    name: 'listImages returns normalized images, the fixture image among them, filtered by name and status',
    skipIf: noImages,
    async run(ctx) {
      const all = await lists(ctx.driver).images();
      assert.ok(all.length > 0, 'some image is listed');
      for (const image of all) assertImage(image);
      const image = fixtureEntry(all, ctx.fixtures.image, 'image');
      const named = await lists(ctx.driver).images({ name: image.name });
      assert.ok(
        named.some((i) => i.id === image.id),
        'the name filter finds it',
      );
      assert.ok(
        named.every((i) => i.name === image.name),
        'the name filter is exact',
      );
      const available = await lists(ctx.driver).images({ status: 'available' });
      assert.ok(
        available.every((i) => i.status === 'available'),
        'the status filter holds',
      );
      assert.deepEqual(await lists(ctx.driver).images({ name: ctx.name('no-such-image') }), []);
    },
  },
  {
    name: 'listFlavors returns normalized flavors, the fixture flavor among them, filtered by vcpus and memory',
    skipIf: noFlavors,
    async run(ctx) {
      const all = await lists(ctx.driver).flavors();
      assert.ok(all.length > 0, 'some flavor is listed');
      for (const flavor of all) assertFlavor(flavor);
      const flavor = fixtureEntry(all, ctx.fixtures.flavor, 'flavor');
      const big = await lists(ctx.driver).flavors({ minVcpus: flavor.vcpus, minRamMiB: flavor.ramMiB });
      assert.ok(
        big.some((f) => f.id === flavor.id),
        'the bounds are inclusive',
      );
      assert.ok(
        big.every((f) => f.vcpus >= flavor.vcpus && f.ramMiB >= flavor.ramMiB),
        'every flavor meets both bounds',
      );
      const most = Math.max(...all.map((f) => f.vcpus));
      assert.deepEqual(await lists(ctx.driver).flavors({ minVcpus: most + 1 }), []);
    },
  },
  {
    name: 'bad catalog filters are invalid-request naming the field',
    skipIf: noCatalog,
    async run(ctx) {
      const badStatus = { status: 'bogus' } as unknown as { status: 'available' };
      const status = await expectBrokerError(lists(ctx.driver).images(badStatus), 'invalid-request');
      assert.equal(status.field, 'status');
      const vcpus = await expectBrokerError(lists(ctx.driver).flavors({ minVcpus: -1 }), 'invalid-request');
      assert.equal(vcpus.field, 'minVcpus');
    },
  },
  {
    name: 'createServer takes the image and flavor by their exact names',
    skipIf: noCatalog,
    async run(ctx) {
      const image = fixtureEntry(await lists(ctx.driver).images(), ctx.fixtures.image, 'image');
      const flavor = fixtureEntry(await lists(ctx.driver).flavors(), ctx.fixtures.flavor, 'flavor');
      const server = await ctx.driver.createServer(
        {
          name: ctx.name('by-name'),
          image: image.name,
          flavor: flavor.name,
          availabilityZone: ctx.fixtures.availabilityZone,
          ...(ctx.fixtures.networks ? { networks: ctx.fixtures.networks } : {}),
        },
        { wait: ctx.wait },
      );
      try {
        assert.equal(server.status, 'running');
        if (server.image !== undefined)
          assert.equal(server.image, image.id, 'the server runs the named image');
      } finally {
        await ctx.driver.deleteServer({ serverId: server.id }, { wait: ctx.wait });
      }
    },
  },
  {
    name: 'an unknown image or flavor name is invalid-request naming the field and some known names',
    skipIf: noCatalog,
    async run(ctx) {
      const request = {
        name: ctx.name('unknown'),
        image: ctx.fixtures.image,
        flavor: ctx.fixtures.flavor,
        availabilityZone: ctx.fixtures.availabilityZone,
      };
      const image = await expectBrokerError(
        ctx.driver.createServer({ ...request, image: 'contract no such image' }, { wait: ctx.wait }),
        'invalid-request',
      );
      assert.equal(image.field, 'image');
      const images = await lists(ctx.driver).images();
      assert.ok(
        images.some((i) => image.message.includes(i.name)),
        `the message names a known image: ${image.message}`,
      );
      const flavor = await expectBrokerError(
        ctx.driver.createServer({ ...request, flavor: 'contract no such flavor' }, { wait: ctx.wait }),
        'invalid-request',
      );
      assert.equal(flavor.field, 'flavor');
      const flavors = await lists(ctx.driver).flavors();
      assert.ok(
        flavors.some((f) => flavor.message.includes(f.name)),
        `the message names a known flavor: ${flavor.message}`,
      );
      const made = await ctx.driver.listServers?.({ name: request.name });
      assert.deepEqual(made ?? [], [], 'nothing was created');
    },
  },
  {
    name: 'an image name two images share is invalid-request naming the field',
    skipIf: (ctx) =>
      noImages(ctx) ??
      (ctx.fixtures.catalog?.ambiguousImageName
        ? undefined
        : 'fixture catalog.ambiguousImageName not provided'),
    async run(ctx) {
      const shared = ctx.fixtures.catalog?.ambiguousImageName ?? '';
      const named = await lists(ctx.driver).images({ name: shared });
      assert.ok(named.length > 1, `two images are named ${shared}`);
      const error = await expectBrokerError(
        ctx.driver.createServer(
          {
            name: ctx.name('ambiguous'),
            image: shared,
            flavor: ctx.fixtures.flavor,
            availabilityZone: ctx.fixtures.availabilityZone,
          },
          { wait: ctx.wait },
        ),
        'invalid-request',
      );
      assert.equal(error.field, 'image');
      assert.ok(
        named.every((i) => error.message.includes(i.id)),
        'the message names the ids to choose from',
      );
    },
  },
  {
    name: 'images and flavors are listed per region, each tagged with its region',
    skipIf: (ctx) =>
      noCatalog(ctx) ??
      (resolveCapabilities(ctx.driver.capabilities).regions ? undefined : 'capability regions not declared'),
    async run(ctx) {
      const regions = (await ctx.driver.listRegions?.()) ?? [];
      assert.ok(regions.length > 0, 'a multi-region driver lists its regions');
      const { images, flavors } = lists(ctx.driver);
      // each list asks the regions offering its service (Glance for images, Nova for flavors)
      const withImages = regions.filter((r) => r.services.includes('image')).map((r) => r.name);
      for (const region of withImages) {
        const inRegion = await images({ region });
        assert.ok(inRegion.length > 0, `region ${region} lists images`);
        assert.ok(
          inRegion.every((i) => i.region === region),
          `images of ${region} carry it`,
        );
      }
      for (const { name: region } of regions.filter((r) => r.services.includes('compute'))) {
        const sizes = await flavors({ region });
        assert.ok(
          sizes.length > 0 && sizes.every((f) => f.region === region),
          `flavors of ${region} carry it`,
        );
      }
      const every = await images();
      assert.ok(
        withImages.every((r) => every.some((i) => i.region === r)),
        'without a region every region is listed',
      );
      const unknown = await expectBrokerError(
        images({ region: ctx.name('no-such-region') }),
        'invalid-request',
      );
      assert.equal(unknown.field, 'region', 'an unknown region names the field');
    },
  },
];
