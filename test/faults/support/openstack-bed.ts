import {
  type CloudSim,
  type CloudSimOptions,
  type FaultAction,
  passwordAuthOf,
  startCloudSim,
} from '../../../packages/cloud-sim/src/index.js';
import { type BrokerServices, createDriver, type PlatformDriver } from '../../../packages/core/src/index.js';
import { cascadingDriver, formatRegionId } from '../../../packages/driver-cascading/src/index.js';
import { openstackDriver } from '../../../packages/driver-openstack/src/index.js';
import type { FaultBed, FaultKind, Operation, Prepared } from './fault-kinds.js';
import { WAIT } from './fault-runner.js';
import { clearInterceptors, HTML_502, interceptOnce, loopbackOnly, routeRegex } from './nock-faults.js';
import { BED_MAX_RESPONSE_BYTES, isWireFault, OPENSTACK_WORDING, wireFault } from './wire-faults.js';

const NOVA = '/compute/{region}/v2.1/{project}';
/** The request each operation sends first, as cloud-sim route patterns. */
const PRIMARY: Record<Operation, { method: string; path: string }> = {
  createServer: { method: 'POST', path: `${NOVA}/servers` },
  getServer: { method: 'GET', path: `${NOVA}/servers/{id}` },
  getVolume: { method: 'GET', path: '/volume/{region}/v3/{project}/volumes/{id}' },
  attachVolume: { method: 'POST', path: `${NOVA}/servers/{id}/os-volume_attachments` },
  detachVolume: { method: 'DELETE', path: `${NOVA}/servers/{id}/os-volume_attachments/{volumeId}` },
  deleteServer: { method: 'DELETE', path: `${NOVA}/servers/{id}` },
};

/** Rules of cloud-sim for the faults it injects itself. */
const RULES: Partial<Record<FaultKind, FaultAction>> = {
  '500': { type: 'error', status: 500, message: 'Unexpected API Error.' },
  '503': { type: 'unavailable' },
  '429': { type: 'throttle', retryAfterSeconds: 0.01 },
  reset: { type: 'reset' },
  revoked: { type: 'revoke-token' },
  stuck: { type: 'stuck' },
  'error-state': { type: 'error-state' },
};

/** Options of the OpenStack bed. */
export interface OpenStackBedOptions {
  /** Drive it through the cascading driver (ids carry the region). */
  readonly cascading?: boolean;
  /** Extra platform config, e.g. secrets or a logger test's settings. */
  readonly config?: Record<string, unknown>;
  /** Services to swap (an event sink, a logger). */
  readonly services?: Partial<BrokerServices>;
  /** Extra simulator options, e.g. users whose passwords are canaries. */
  readonly sim?: CloudSimOptions;
}

/** The region (and zone) every resource of the bed lives in. */
export const OS_ZONE = 'az1';

/** Starts cloud-sim's OpenStack and an openstack (or cascading) driver on it. */
export async function openOpenStackBed(
  options: OpenStackBedOptions = {},
): Promise<FaultBed & { sim: CloudSim }> {
  loopbackOnly();
  const sim = await startCloudSim({
    regions: [{ name: OS_ZONE }, { name: 'az2' }],
    delays: {
      serverBuildMs: 5,
      serverDeleteMs: 5,
      volumeCreateMs: 5,
      volumeDeleteMs: 5,
      attachMs: 5,
      detachMs: 5,
    },
    seed: 9,
    ...options.sim,
  });
  const config = {
    auth: passwordAuthOf(sim.credentials),
    ...(options.cascading ? {} : { region: OS_ZONE }),
    requestTimeoutMs: 2_000,
    maxResponseBytes: BED_MAX_RESPONSE_BYTES,
    retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
    ...options.config,
  };
  const driver: PlatformDriver = createDriver(options.cascading ? cascadingDriver : openstackDriver, config, {
    services: options.services ?? {},
  });
  // A first create resolves and caches the token, catalog, image and flavor: the rows then
  // time the operation under its fault, not a cold start.
  await driver.createServer(
    { name: 'warm-up', image: 'cirros-0.6.2-x86_64-disk', flavor: 'm1.small', availabilityZone: OS_ZONE },
    { wait: { ...WAIT, timeoutMs: 10_000 } },
  );
  const id = (raw: string): string => (options.cascading ? formatRegionId(OS_ZONE, raw) : raw);
  const raw = (full: string): string => full.slice(full.indexOf(':') + 1);
  return {
    sim,
    driver,
    async prepare(op) {
      const server = sim.openstack.createServer({ region: OS_ZONE, availabilityZone: OS_ZONE });
      const volume = sim.openstack.createVolume({ region: OS_ZONE, availabilityZone: OS_ZONE });
      const prepared = { serverId: id(server.id), volumeId: id(volume.id) };
      if (op === 'detachVolume') await driver.attachVolume(prepared, { wait: { ...WAIT, timeoutMs: 5_000 } });
      return prepared;
    },
    async inject(fault: FaultKind, op: Operation, prepared: Prepared) {
      const { method, path } = PRIMARY[op];
      if ((fault === 'stuck' || fault === 'error-state') && method === 'GET') {
        const error = fault === 'error-state';
        if (op === 'getServer')
          sim.openstack.setServerStatus(raw(prepared.serverId), error ? 'ERROR' : 'BUILD');
        else sim.openstack.setVolumeStatus(raw(prepared.volumeId), error ? 'error' : 'attaching');
        return undefined;
      }
      const rule = isWireFault(fault) ? wireFault(fault, OPENSTACK_WORDING) : RULES[fault];
      if (rule) sim.faults.add({ method, path, times: 1, action: rule });
      else if (fault === 'latency') sim.faults.add({ method, path, action: { type: 'latency', ms: 1_500 } });
      else if (fault === 'malformed') {
        interceptOnce(sim.url, method, routeRegex(path), {
          status: 200,
          body: '{"server": {"id": "7d0c", "status": "ACT',
          contentType: 'application/json',
        });
      } else if (fault === 'html') {
        interceptOnce(sim.url, method, routeRegex(path), {
          status: 502,
          body: HTML_502,
          contentType: 'text/html',
        });
      }
      return undefined;
    },
    serversNamed(name) {
      return [...sim.state.servers.values()].filter((s) => s.name === name).length;
    },
    clear() {
      sim.faults.clear();
      clearInterceptors();
    },
    async stop() {
      clearInterceptors();
      await driver.close?.();
      await sim.stop();
    },
  };
}
