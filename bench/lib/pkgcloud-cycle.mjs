// The get/attach/detach cycle on pkgcloud (bench/package.json), the baseline of bench/openstack.mjs (b).
import { createRequire } from 'node:module';
import { WAIT } from '../openstack-workloads.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** pkgcloud's OpenStack compute and block-storage clients doing the same cycle. */
export function pkgcloudCycle(input) {
  const require = createRequire(import.meta.url);
  const pkgcloud = require('pkgcloud');
  const c = input.credentials;
  const options = {
    provider: 'openstack',
    keystoneAuthVersion: 'v3',
    authUrl: c.authUrl.replace(/\/v3$/, ''),
    username: c.username,
    password: c.password,
    domainName: c.userDomainName,
    tenantName: c.projectName,
    projectDomainName: c.projectDomainName,
    region: 'RegionOne',
  };
  const compute = pkgcloud.compute.createClient(options);
  const storage = pkgcloud.blockstorage.createClient(options);
  storage.serviceType = 'volumev3'; // pkgcloud looks for the long-gone `volume` type
  const p = (fn) => new Promise((resolve, reject) => fn((e, r) => (e ? reject(e) : resolve(r))));
  const getVolume = (id) => p((cb) => storage.getVolume(id, cb));
  const poll = async (id, status) => {
    for (;;) {
      const v = await getVolume(id);
      if (/error/.test(v.status)) throw new Error(v.status);
      if (v.status === status) return v;
      await sleep(WAIT.initialDelayMs);
    }
  };
  const version = require('pkgcloud/package.json').version;
  const cycle = async (serverId, volumeId) => {
    await Promise.all([p((cb) => compute.getServer(serverId, cb)), getVolume(volumeId)]);
    await Promise.all([p((cb) => compute.getServer(serverId, cb)), getVolume(volumeId)]);
    await p((cb) => compute.attachVolume(serverId, volumeId, cb));
    await poll(volumeId, 'in-use');
    await Promise.all([p((cb) => compute.getServer(serverId, cb)), getVolume(volumeId)]);
    await p((cb) => compute.detachVolume(serverId, volumeId, cb));
    await poll(volumeId, 'available');
  };
  return { cycle, version };
}
