/**
 * antiAffinityGroup on the Azure driver through cloud-sim's ARM: members on
 * distinct fault domains of one availability set, Azure's own allocation
 * failure as placement-failed with the failed VM removed, and the refusals
 * made before any VM is sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ArmSim, startArmSim } from '../../packages/cloud-sim/src/azure/index.js';
import { createDriver, isBrokerError, type PlatformDriver } from '../../packages/core/src/index.js';
import { azureDriver } from '../../packages/driver-azure/src/index.js';

const RG = 'sg-rg';
const WAIT = { timeoutMs: 5_000, initialDelayMs: 2, maxDelayMs: 10, jitter: 0 };
const credential = {
  getToken: async () => ({ token: 'sim-token', expiresOnTimestamp: Date.now() + 3_600_000 }),
};
const SERVER = {
  image: 'Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2:latest',
  flavor: 'Standard_B2s',
};

describe('azure antiAffinityGroup on cloud-sim ARM', () => {
  let sim: ArmSim;
  let driver: PlatformDriver;
  beforeAll(async () => {
    sim = await startArmSim({
      timings: { provisionMs: 5, updateMs: 3, deleteMs: 3 },
      availabilitySetCapacity: 3,
    });
    driver = createDriver(azureDriver, {
      subscriptionId: sim.subscriptionId,
      resourceGroup: RG,
      location: 'westeurope',
      endpoint: sim.url,
      credentials: { type: 'token-credential', credential },
      pollIntervalMs: 0,
      sshPublicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIsimkey sg@example',
      defaultSubnetId: `/subscriptions/${sim.subscriptionId}/resourceGroups/${RG}/providers/Microsoft.Network/virtualNetworks/sg-vnet/subnets/default`,
      availabilitySetFaultDomains: 3,
      wait: WAIT,
    });
  });
  afterAll(async () => {
    await driver.close?.();
    await sim.stop();
  });

  it('members of one group join one Aligned availability set on distinct fault domains', async () => {
    const a = await driver.createServer({ ...SERVER, name: 'ha-a', antiAffinityGroup: 'ha' });
    const b = await driver.createServer({ ...SERVER, name: 'ha-b', antiAffinityGroup: 'ha' });
    const [set, ...more] = [...sim.cloud.availabilitySets.sets.values()];
    expect(more).toEqual([]);
    expect(set).toMatchObject({ name: 'ha', sku: 'Aligned', faultDomains: 3 });
    expect(a.hostId).toMatch(/\/availabilitysets\/ha\/faultdomain\/\d$/);
    expect(a.hostId).not.toBe(b.hostId);
  });

  it("Azure's AllocationFailed is placement-failed, and the failed VM is deleted so a repeat asks again", async () => {
    sim.cloud.availabilitySets.capacity = 2; // the set's cluster is full with ha-a and ha-b
    const error = await driver
      .createServer({ ...SERVER, name: 'ha-c', antiAffinityGroup: 'ha' }, { idempotencyKey: 'ha-c' })
      .catch((e: unknown) => e);
    expect(isBrokerError(error, 'placement-failed')).toBe(true);
    expect(String((error as Error).message)).toMatch(/Allocation failed/);
    expect(await driver.listServers?.({ idempotencyKey: 'ha-c' })).toEqual([]);
    sim.cloud.availabilitySets.capacity = 3;
    const placed = await driver.createServer(
      { ...SERVER, name: 'ha-c', antiAffinityGroup: 'ha' },
      { idempotencyKey: 'ha-c' },
    );
    expect(placed.status).toBe('running');
  });

  it('a fourth member on three fault domains is refused before any VM is sent', async () => {
    const puts = () =>
      sim.count(
        'PUT /subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Compute/virtualMachines/{name}',
      );
    const before = puts();
    expect(before, 'the earlier members were PUT').toBeGreaterThan(0);
    const error = await driver
      .createServer({ ...SERVER, name: 'ha-d', antiAffinityGroup: 'ha' })
      .catch((e: unknown) => e);
    expect(isBrokerError(error, 'placement-failed')).toBe(true);
    expect(puts()).toBe(before);
  });

  it('a zone with a group, and a name outside the availability set grammar, are refused naming the field', async () => {
    const zoned = await driver
      .createServer({ ...SERVER, name: 'z', availabilityZone: '1', antiAffinityGroup: 'ha' })
      .catch((e: unknown) => e);
    expect(zoned).toMatchObject({ code: 'invalid-request', field: 'antiAffinityGroup' });
    const badName = await driver
      .createServer({ ...SERVER, name: 'z', antiAffinityGroup: 'ends-with-dash-' })
      .catch((e: unknown) => e);
    expect(badName).toMatchObject({ code: 'invalid-request', field: 'antiAffinityGroup' });
  });
});
