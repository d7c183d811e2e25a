// Two of bench/real.mjs's clients, each on the proxy's Keystone URL: the floor (raw HTTP, the
// same calls, polling every 50 ms) and hybrid-broker with its defaults. Each has the same five
// operations as the openstacksdk worker (bench/lib/real_sdk_worker.py); the bench times them.
import { createDriver } from '../../packages/core/dist/index.js';
import { openstackDriver } from '../../packages/driver-openstack/dist/index.js';
import { openSession } from './real-stack.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const POLL_MS = 50;

/** Polls `read` every 50 ms until it returns `want`; a value in `bad` throws. */
async function poll(read, want, bad = ['error', 'ERROR', 'error_attaching', 'error_detaching']) {
  for (;;) {
    await sleep(POLL_MS);
    const got = await read();
    if (got === want) return;
    if (bad.includes(got)) throw new Error(`reached ${got} waiting for ${want}`);
  }
}

/** The floor: the calls written by hand on the proxy, polling Cinder and Nova every 50 ms. */
export async function floorClient(state, keystoneUrl, fixtures) {
  const s = await openSession(state, keystoneUrl);
  const volumeStatus = async (v) => (await s.call('volume', 'GET', `/volumes/${v}`)).body.volume.status;
  const attach = async ({ server, volume }) => {
    await s.call('compute', 'POST', `/servers/${server}/os-volume_attachments`, {
      volumeAttachment: { volumeId: volume },
    });
    await poll(() => volumeStatus(volume), 'in-use');
  };
  const detach = async ({ server, volume }) => {
    await s.call('compute', 'DELETE', `/servers/${server}/os-volume_attachments/${volume}`);
    await poll(() => volumeStatus(volume), 'available');
  };
  return {
    name: 'floor',
    warm: (server, volume) =>
      Promise.all([s.call('compute', 'GET', `/servers/${server}`), volumeStatus(volume)]),
    async seqCycle(server, volume) {
      await attach({ server, volume });
      await detach({ server, volume });
    },
    attachAll: (pairs) => Promise.all(pairs.map(attach)),
    detachAll: (pairs) => Promise.all(pairs.map(detach)),
    async haCycle(name) {
      const r = await s.call('compute', 'POST', '/servers', {
        server: {
          name,
          imageRef: fixtures.image,
          flavorRef: fixtures.flavor,
          networks: 'none',
          availability_zone: fixtures.zone,
        },
      });
      const id = r.body.server.id;
      await poll(async () => (await s.call('compute', 'GET', `/servers/${id}`)).body.server.status, 'ACTIVE');
      await s.call('compute', 'DELETE', `/servers/${id}`);
      await poll(
        async () => (await s.call('compute', 'GET', `/servers/${id}`, undefined, [200, 404])).status,
        404,
      );
    },
    close: async () => {},
  };
}

/** The openstack driver's config on the proxy: the defaults but for the credentials. */
function brokerConfig(state, keystoneUrl) {
  return {
    auth: {
      method: 'password',
      url: keystoneUrl,
      username: state.adminUser,
      userDomainId: 'default',
      password: state.adminPassword,
      projectName: state.adminProject,
      projectDomainId: 'default',
    },
    region: 'RegionOne',
  };
}

/** The openstack driver with core's per-server attach lock left out (issue 29 item 4 only). */
const lockless = {
  ...openstackDriver,
  async create(config, context) {
    const driver = await openstackDriver.create(config, context);
    return new Proxy(driver, {
      get(target, prop) {
        if (prop === 'ordersAttachesItself') return true;
        const value = Reflect.get(target, prop, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  },
};

/** hybrid-broker with its defaults (`serverLock: false` drops core's per-server lock). */
export function brokerClient(state, keystoneUrl, fixtures, { serverLock = true } = {}) {
  const driver = createDriver(serverLock ? openstackDriver : lockless, brokerConfig(state, keystoneUrl));
  const attach = ({ server, volume }) => driver.attachVolume({ serverId: server, volumeId: volume });
  const detach = ({ server, volume }) => driver.detachVolume({ serverId: server, volumeId: volume });
  return {
    name: serverLock ? 'broker' : 'broker, no lock',
    warm: (server, volume) =>
      Promise.all([driver.getServer({ serverId: server }), driver.getVolume({ volumeId: volume })]),
    async seqCycle(server, volume) {
      await attach({ server, volume });
      await detach({ server, volume });
    },
    attachAll: (pairs) => Promise.all(pairs.map(attach)),
    detachAll: (pairs) => Promise.all(pairs.map(detach)),
    async haCycle(name) {
      const made = await driver.createServer({
        name,
        image: fixtures.image,
        flavor: fixtures.flavor,
        networks: [],
        availabilityZone: fixtures.zone,
      });
      await driver.deleteServer({ serverId: made.id });
    },
    close: () => driver.close?.(),
  };
}
