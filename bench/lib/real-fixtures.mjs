// What the workloads of bench/real.mjs run on: an image, a flavor, servers and volumes made
// straight on the stack (not through the counting proxy), all named hb-bench-* and removed at the end.
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const IMAGE = 'hb-bench-tiny';
const FLAVOR = 'hb-bench.tiny';

/** Polls `check` every 100 ms until true, or throws after `timeoutMs`. */
export async function until(what, check, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** The fixtures of one bench run over an admin session `s`. */
export async function makeFixtures(s, zone) {
  const made = { servers: [], volumes: [] };
  const images = await s.call('image', 'GET', `/v2/images?name=${IMAGE}`);
  let image = images.body.images.find((i) => i.status === 'active')?.id;
  if (!image) {
    const img = await s.call('image', 'POST', '/v2/images', {
      name: IMAGE,
      disk_format: 'raw',
      container_format: 'bare',
      visibility: 'public',
    });
    image = img.body.id;
    await s.call('image', 'PUT', `/v2/images/${image}/file`, new Uint8Array(1024 * 1024));
  }
  const flavors = await s.call('compute', 'GET', '/flavors');
  let flavor = flavors.body.flavors.find((f) => f.name === FLAVOR)?.id;
  if (!flavor) {
    const f = await s.call('compute', 'POST', '/flavors', {
      flavor: { name: FLAVOR, ram: 64, vcpus: 1, disk: 1 },
    });
    flavor = f.body.flavor.id;
  }
  const server = async () => {
    const r = await s.call('compute', 'POST', '/servers', {
      server: {
        name: `hb-bench-${made.servers.length}`,
        imageRef: image,
        flavorRef: flavor,
        networks: 'none',
        availability_zone: zone,
      },
    });
    const id = r.body.server.id;
    made.servers.push(id);
    await until(`server ${id} ACTIVE`, async () => {
      const st = (await s.call('compute', 'GET', `/servers/${id}`)).body.server.status;
      if (st === 'ERROR') throw new Error(`server ${id} ERROR`);
      return st === 'ACTIVE';
    });
    return id;
  };
  const volume = async () => {
    const r = await s.call('volume', 'POST', '/volumes', {
      volume: { size: 1, name: `hb-bench-${made.volumes.length}`, availability_zone: zone },
    });
    const id = r.body.volume.id;
    made.volumes.push(id);
    await until(`volume ${id} available`, async () => (await volumeStatus(s, id)) === 'available');
    return id;
  };
  return {
    image,
    imageName: IMAGE,
    flavor,
    flavorName: FLAVOR,
    server,
    volume,
    async cleanup() {
      // Also what a failed HA cycle left behind (hb-bench-ha-*).
      const left = await s.call('compute', 'GET', '/servers?name=%5Ehb-bench-');
      for (const sv of left.body.servers) if (!made.servers.includes(sv.id)) made.servers.push(sv.id);
      for (const id of made.servers)
        await s.call('compute', 'DELETE', `/servers/${id}`, undefined, [204, 404]);
      for (const id of made.servers)
        await until(
          `server ${id} gone`,
          async () =>
            (await s.call('compute', 'GET', `/servers/${id}`, undefined, [200, 404])).status === 404,
        ).catch(() => {});
      for (const id of made.volumes) {
        const st = await volumeStatus(s, id);
        if (st && st !== 'available')
          await s
            .call('volume', 'POST', `/volumes/${id}/action`, {
              'os-reset_status': { status: 'available', attach_status: 'detached' },
            })
            .catch(() => {});
        await s.call('volume', 'DELETE', `/volumes/${id}`, undefined, [202, 404]).catch(() => {});
      }
    },
  };
}

/** Cinder's status of a volume, undefined once it is gone. */
export async function volumeStatus(s, id) {
  const r = await s.call('volume', 'GET', `/volumes/${id}`, undefined, [200, 404]);
  return r.status === 404 ? undefined : r.body.volume.status;
}
