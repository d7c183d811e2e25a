import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ArmSim, startArmSim } from '../../packages/cloud-sim/src/azure/index.js';
import { createDriver, isBrokerError, MemoryEventSink } from '../../packages/core/src/index.js';
import { azureDriver } from '../../packages/driver-azure/src/index.js';
import { describePlatformDriverContract } from '../../packages/testkit/src/index.js';
import { armOutOfBand } from './support/arm-out-of-band.js';

// The azure driver against cloud-sim's ARM emulation over loopback HTTP: real SDK
// pollers on Azure-AsyncOperation/Location, real ETags, a fake TokenCredential.
const RG = 'sg-rg';
const WAIT = { timeoutMs: 5_000, initialDelayMs: 2, maxDelayMs: 10, jitter: 0 };
const credential = {
  getToken: async () => ({ token: 'sim-token', expiresOnTimestamp: Date.now() + 3_600_000 }),
};

function subnet(sim: ArmSim): string {
  return `/subscriptions/${sim.subscriptionId}/resourceGroups/${RG}/providers/Microsoft.Network/virtualNetworks/sg-vnet/subnets/default`;
}

function config(sim: ArmSim, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    subscriptionId: sim.subscriptionId,
    resourceGroup: RG,
    location: 'westeurope',
    endpoint: sim.url,
    credentials: { type: 'token-credential', credential },
    pollIntervalMs: 0,
    sshPublicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIsimkey sg@example',
    defaultSubnetId: subnet(sim),
    ...extra,
  };
}

let contractSim: ArmSim | undefined;
describePlatformDriverContract(
  'azure (cloud-sim ARM)',
  async () => {
    const sim = await startArmSim({ timings: { provisionMs: 5, updateMs: 3, deleteMs: 3 } });
    contractSim = sim;
    // the marketplace offer the fixture image is a version of: listImages and image names need it
    const catalog = { imageSource: { publisher: 'Canonical', offer: '0001-com-ubuntu-server-jammy' } };
    return {
      driver: createDriver(azureDriver, config(sim, catalog)),
      // a second broker process on the same subscription: its own SDK clients and per-server locks
      secondDriver: createDriver(azureDriver, config(sim, catalog)),
      fixtures: {
        image: 'Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2:latest',
        flavor: 'Standard_B2s',
        availabilityZone: '1',
        otherAvailabilityZone: '2',
        networks: [subnet(sim)],
        // a concrete marketplace version: a disk's image reference names one (no `latest`)
        volumeImageId: 'Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2:22.04.202402140',
        createVolume: async (zone) => sim.cloud.addDisk({ resourceGroup: RG, zone }),
        setVolumeStatus: async (volumeId, status) => sim.cloud.forceDisk(volumeId, status),
        failNextBuild: async () => sim.cloud.failNextBuild(),
        outOfBand: armOutOfBand(sim.cloud),
        // An availability set of 2 fault domains (the driver's default) holds two members.
        antiAffinity: {
          capacity: 2,
          zonal: false,
          countGroups: async (name) =>
            [...sim.cloud.availabilitySets.sets.values()].filter((set) => set.name === name).length,
        },
      },
      cleanup: () => sim.stop(),
    };
  },
  { runner: { describe, it, beforeAll, afterAll }, wait: WAIT },
);

describe('azure driver on cloud-sim ARM', () => {
  let sim: ArmSim;
  beforeAll(async () => {
    sim = await startArmSim({ timings: { provisionMs: 5, updateMs: 3, deleteMs: 3 } });
  });
  afterAll(async () => {
    await sim.stop();
    expect(sim.pendingTimers()).toBe(0);
    expect(contractSim?.pendingTimers() ?? 0).toBe(0);
  });

  it('http on loopback works with a fake credential: every request carried its bearer token', async () => {
    const events = new MemoryEventSink();
    const driver = createDriver(azureDriver, config(sim), { services: { events } });
    const server = await driver.createServer(
      {
        name: 'sim-token',
        image: 'Canonical:ubuntu:22_04-lts:latest',
        flavor: 'Standard_B1s',
        availabilityZone: '1',
      },
      { wait: WAIT },
    );
    expect(server.status).toBe('running');
    const requests = events.ofType('request');
    expect(requests.every((r) => r.status !== 401)).toBe(true);
    expect(requests.some((r) => r.url.includes('/operations/'))).toBe(true);
    await driver.deleteServer({ serverId: server.id }, { wait: WAIT });
  });

  it('a throttle fault is waited out and the VM create still succeeds', async () => {
    sim.faults.add({
      method: 'PUT',
      path: '/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Compute/virtualMachines/{name}',
      times: 1,
      action: { type: 'throttle', retryAfterSeconds: 0 },
    });
    const events = new MemoryEventSink();
    const driver = createDriver(azureDriver, config(sim), { services: { events } });
    const server = await driver.createServer(
      { name: 'sim-throttled', image: 'Canonical:ubuntu:22_04-lts:latest', flavor: 'Standard_B1s' },
      { wait: WAIT, idempotencyKey: 'sim-throttled-1' },
    );
    expect(server.status).toBe('running');
    expect(events.ofType('retry')).toMatchObject([{ operation: 'createServer', code: 'throttled' }]);
    await driver.deleteServer({ serverId: server.id }, { wait: WAIT });
  });

  it('a VM create ARM keeps InProgress (stuck fault) ends at the wait deadline with timeout, not hanging the poller', async () => {
    sim.faults.add({
      method: 'PUT',
      path: '/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Compute/virtualMachines/{name}',
      times: 1,
      action: { type: 'stuck' },
    });
    const driver = createDriver(azureDriver, config(sim));
    const started = Date.now();
    const error = await driver
      .createServer(
        { name: 'sim-stuck', image: 'Canonical:ubuntu:22_04-lts:latest', flavor: 'Standard_B1s' },
        // Room for the token, the PUT and a first poll on a loaded machine: lastState needs a read.
        { wait: { ...WAIT, timeoutMs: 1_000 } },
      )
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'timeout' });
    expect(Date.now() - started).toBeLessThan(3_000);
    expect((error as { lastState?: { providerStatus?: string } }).lastState?.providerStatus).toBe(
      'Creating PowerState/starting',
    );
  });

  it('an unknown VM size is refused by the emulated ARM with its own code', async () => {
    const driver = createDriver(azureDriver, config(sim));
    const error = await driver
      .createServer(
        { name: 'sim-size', image: 'Canonical:ubuntu:22_04-lts:latest', flavor: 'Standard_Huge' },
        { wait: WAIT },
      )
      .catch((e: unknown) => e);
    expect(isBrokerError(error)).toBe(true);
    expect(error).toMatchObject({ providerCode: 'SkuNotAvailable', statusCode: 409 });
    expect((error as { requestId?: string }).requestId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
