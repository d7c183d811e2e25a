import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ArmSim, startArmSim } from '../../packages/cloud-sim/src/azure/index.js';
import { createDriver, type Platform } from '../../packages/core/src/index.js';
import { azureDriver } from '../../packages/driver-azure/src/index.js';

// The azure driver's gallery image source against cloud-sim's ARM: the gallery `sg-gallery`
// holds sg-server 1.0.0 and 1.1.0 and sg-client 1.0.0.
const RG = 'sg-rg';
const WAIT = { timeoutMs: 5_000, initialDelayMs: 2, maxDelayMs: 10, jitter: 0 };
const credential = {
  getToken: async () => ({ token: 'sim-token', expiresOnTimestamp: Date.now() + 3_600_000 }),
};

let sim: ArmSim;
let driver: Platform;

beforeAll(async () => {
  sim = await startArmSim({ timings: { provisionMs: 5, updateMs: 3, deleteMs: 3 } });
  driver = createDriver(azureDriver, {
    subscriptionId: sim.subscriptionId,
    resourceGroup: RG,
    location: 'westeurope',
    endpoint: sim.url,
    credentials: { type: 'token-credential', credential },
    pollIntervalMs: 0,
    sshPublicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIsimkey sg@example',
    defaultSubnetId: `/subscriptions/${sim.subscriptionId}/resourceGroups/${RG}/providers/Microsoft.Network/virtualNetworks/sg-vnet/subnets/default`,
    imageSource: { gallery: 'sg-gallery' },
  });
});

afterAll(async () => {
  await driver?.close?.();
  await sim?.stop();
});

describe('azure images from a compute gallery (cloud-sim ARM)', () => {
  it('lists every version of every image definition, named <definition>:<version>', async () => {
    const images = await driver.listImages();
    expect(images.map((i) => i.name).sort()).toEqual([
      'sg-client:1.0.0',
      'sg-server:1.0.0',
      'sg-server:1.1.0',
    ]);
    const [image] = await driver.listImages({ name: 'sg-server:1.1.0' });
    expect(image).toEqual({
      id: `/subscriptions/${sim.subscriptionId}/resourceGroups/${RG}/providers/Microsoft.Compute/galleries/sg-gallery/images/sg-server/versions/1.1.0`,
      name: 'sg-server:1.1.0',
      status: 'available',
      providerStatus: 'Succeeded',
      minDiskGiB: 30,
      minRamMiB: 1024,
    });
  });

  it('createServer takes a gallery image by name; an unknown one names the field and known names', async () => {
    const server = await driver.createServer(
      { name: 'sg-from-gallery', image: 'sg-client:1.0.0', flavor: 'Standard_B1s' },
      { wait: WAIT },
    );
    expect(server.status).toBe('running');
    await driver.deleteServer({ serverId: server.id }, { wait: WAIT });
    const error = await driver
      .createServer({ name: 'sg-x', image: 'sg-server:9.9.9', flavor: 'Standard_B1s' }, { wait: WAIT })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'invalid-request', field: 'image' });
    expect((error as Error).message).toContain('known: ');
    expect((error as Error).message).toContain('sg-server:1.1.0');
  });

  it('an unknown gallery is not-found from ARM', async () => {
    const other = createDriver(azureDriver, {
      subscriptionId: sim.subscriptionId,
      resourceGroup: RG,
      location: 'westeurope',
      endpoint: sim.url,
      credentials: { type: 'token-credential', credential },
      imageSource: { gallery: 'no-such-gallery' },
    });
    await expect(other.listImages()).rejects.toMatchObject({ code: 'not-found' });
    await other.close?.();
  });
});
