import { type ArmSim, startArmSim } from '../../../packages/cloud-sim/src/azure/index.js';
import type { FaultAction } from '../../../packages/cloud-sim/src/index.js';
import { type BrokerServices, createDriver, type PlatformDriver } from '../../../packages/core/src/index.js';
import { azureDriver } from '../../../packages/driver-azure/src/index.js';
import type { FaultBed, FaultKind, Operation } from './fault-kinds.js';
import { WAIT } from './fault-runner.js';
import { clearInterceptors, HTML_502, interceptOnce, loopbackOnly, routeRegex } from './nock-faults.js';
import { ARM_WORDING, BED_MAX_RESPONSE_BYTES, isWireFault, wireFault } from './wire-faults.js';

const GROUP = '/subscriptions/{sub}/resourceGroups/{rg}/providers';
const VM = `${GROUP}/Microsoft.Compute/virtualMachines/{name}`;
/** The ARM request each operation sends first. */
const PRIMARY: Record<Operation, { method: string; path: string }> = {
  createServer: { method: 'PUT', path: VM },
  getServer: { method: 'GET', path: VM },
  getVolume: { method: 'GET', path: `${GROUP}/Microsoft.Compute/disks/{name}` },
  attachVolume: { method: 'PATCH', path: VM },
  detachVolume: { method: 'PATCH', path: VM },
  deleteServer: { method: 'DELETE', path: VM },
};

const RULES: Partial<Record<FaultKind, FaultAction>> = {
  '500': { type: 'error', status: 500 },
  '503': { type: 'unavailable' },
  '429': { type: 'throttle', retryAfterSeconds: 0 },
  reset: { type: 'reset' },
  stuck: { type: 'stuck' },
  'error-state': { type: 'error-state' },
};

/** The resource group, image, size and zone of the bed. */
export const ARM = {
  group: 'sg-rg',
  image: 'Canonical:ubuntu:22_04-lts:latest',
  flavor: 'Standard_B1s',
  zone: '1',
} as const;

/** Options of the ARM bed. */
export interface AzureBedOptions {
  readonly config?: Record<string, unknown>;
  /** Services to swap (an event sink, a logger). */
  readonly services?: Partial<BrokerServices>;
}

/** A TokenCredential handing out a fixed token: the emulation checks the bearer header, not Entra ID. */
export const fakeCredential = {
  getToken: async () => ({ token: 'fault-bed-token', expiresOnTimestamp: Date.now() + 3_600_000 }),
};

/** Starts cloud-sim's ARM emulation and an azure driver on it. */
export async function openAzureBed(options: AzureBedOptions = {}): Promise<FaultBed & { sim: ArmSim }> {
  loopbackOnly();
  const sim = await startArmSim({ timings: { provisionMs: 5, updateMs: 3, deleteMs: 3 }, seed: 4 });
  const subnet = `/subscriptions/${sim.subscriptionId}/resourceGroups/${ARM.group}/providers/Microsoft.Network/virtualNetworks/sg-vnet/subnets/default`;
  const driver: PlatformDriver = createDriver(
    azureDriver,
    {
      subscriptionId: sim.subscriptionId,
      resourceGroup: ARM.group,
      location: 'westeurope',
      endpoint: sim.url,
      credentials: { type: 'token-credential', credential: fakeCredential },
      pollIntervalMs: 0,
      sshPublicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIfaultbed sg@example',
      defaultSubnetId: subnet,
      retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
      maxResponseBytes: BED_MAX_RESPONSE_BYTES,
      ...options.config,
    },
    { services: options.services ?? {} },
  );
  let made = 0;
  const create = (name: string, wait: false | typeof WAIT) =>
    driver.createServer(
      { name, image: ARM.image, flavor: ARM.flavor, availabilityZone: ARM.zone },
      { wait: wait === false ? false : { ...wait, timeoutMs: 5_000 } },
    );
  return {
    sim,
    driver,
    async prepare(op) {
      const server = await create(`fixture-${++made}`, WAIT);
      const prepared = {
        serverId: server.id,
        volumeId: sim.cloud.addDisk({ resourceGroup: ARM.group, zone: ARM.zone }),
      };
      if (op === 'detachVolume') await driver.attachVolume(prepared, { wait: { ...WAIT, timeoutMs: 5_000 } });
      return prepared;
    },
    async inject(fault, op, prepared) {
      const { method, path } = PRIMARY[op];
      if ((fault === 'stuck' || fault === 'error-state') && method === 'GET') {
        if (op === 'getVolume') {
          if (fault === 'error-state') sim.cloud.forceDisk(prepared.volumeId, 'error');
          else {
            sim.faults.add({ method: 'PATCH', path: VM, times: 1, action: { type: 'stuck' } });
            await driver.attachVolume(prepared, { wait: false });
          }
          return undefined;
        }
        if (fault === 'error-state') sim.cloud.failNextBuild();
        else sim.faults.add({ method: 'PUT', path: VM, times: 1, action: { type: 'stuck' } });
        const server = await create(`read-${++made}`, false);
        // The build fails on the emulation's timer: read once it has.
        if (fault === 'error-state')
          await until(() => sim.cloud.vms.get(server.id.toLowerCase())?.provisioningState === 'Failed');
        return { ...prepared, serverId: server.id };
      }
      // The emulation's detach ignores an error-state rule: the disk itself fails instead.
      if (fault === 'error-state' && op === 'detachVolume') {
        sim.cloud.forceDisk(prepared.volumeId, 'error');
        return undefined;
      }
      const rule = isWireFault(fault) ? wireFault(fault, ARM_WORDING) : RULES[fault];
      if (rule) sim.faults.add({ method, path, times: 1, action: rule });
      else if (fault === 'latency') sim.faults.add({ method, path, action: { type: 'latency', ms: 1_500 } });
      else if (fault === 'malformed' || fault === 'html') {
        interceptOnce(
          sim.url,
          method,
          routeRegex(path),
          fault === 'html'
            ? { status: 502, body: HTML_502, contentType: 'text/html' }
            : {
                status: 200,
                body: '{"name": "vm", "properties": {"provisioningState": "Succ',
                contentType: 'application/json',
              },
        );
      }
      return undefined;
    },
    serversNamed(name) {
      return [...sim.cloud.vms.values()].filter((vm) => vm.name === name).length;
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

async function until(done: () => boolean, boundMs = 2_000): Promise<void> {
  const stop = Date.now() + boundMs;
  while (!done() && Date.now() < stop) await new Promise((resolve) => setTimeout(resolve, 2));
}
