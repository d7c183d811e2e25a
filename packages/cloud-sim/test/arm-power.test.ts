import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ArmSim, startArmSim } from '../src/azure/index.js';

// Raw HTTP against the ARM emulation's VM actions, as the Azure REST API documents them.
const RG = 'sg-rg';
const API = 'api-version=2024-07-01';
let sim: ArmSim;

const auth = { authorization: 'Bearer test-token', 'content-type': 'application/json' };
const call = (method: string, path: string, body?: unknown) =>
  fetch(`${sim.url}${path}${path.includes('?') ? '&' : '?'}${API}`, {
    method,
    headers: auth,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
const vmPath = (name: string) =>
  `/subscriptions/${sim.subscriptionId}/resourceGroups/${RG}/providers/Microsoft.Compute/virtualMachines/${name}`;

async function finished(url: string): Promise<string | undefined> {
  for (let i = 0; i < 200; i++) {
    const body = (await (await fetch(url, { headers: auth })).json()) as { status?: string };
    if (body.status !== 'InProgress') return body.status;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`operation at ${url} never finished`);
}

async function view(name: string): Promise<{ provisioning: string; power: string | undefined }> {
  const body = (await (await call('GET', `${vmPath(name)}?$expand=instanceView`)).json()) as {
    properties: { provisioningState: string; instanceView: { statuses: { code: string }[] } };
  };
  const power = body.properties.instanceView.statuses.find((s) => s.code.startsWith('PowerState/'))?.code;
  return { provisioning: body.properties.provisioningState, power };
}

/** Posts a VM action; returns its status and the operation's end. */
async function act(name: string, action: string): Promise<{ status: number; end: () => Promise<unknown> }> {
  const res = await call('POST', `${vmPath(name)}/${action}`);
  const op = res.headers.get('azure-asyncoperation') ?? '';
  return { status: res.status, end: () => finished(op) };
}

beforeAll(async () => {
  sim = await startArmSim({ timings: { provisionMs: 5, updateMs: 5, deleteMs: 5, powerMs: 200 } });
  const subnet = `/subscriptions/${sim.subscriptionId}/resourceGroups/${RG}/providers/Microsoft.Network/virtualNetworks/v/subnets/s`;
  const nic = await call(
    'PUT',
    `/subscriptions/${sim.subscriptionId}/resourceGroups/${RG}/providers/Microsoft.Network/networkInterfaces/n1`,
    {
      location: 'westeurope',
      properties: { ipConfigurations: [{ name: 'ipconfig1', properties: { subnet: { id: subnet } } }] },
    },
  );
  const nicId = ((await nic.json()) as { id: string }).id;
  const res = await call('PUT', vmPath('vm-p'), {
    location: 'westeurope',
    zones: ['1'],
    properties: {
      hardwareProfile: { vmSize: 'Standard_B2s' },
      storageProfile: {
        imageReference: { publisher: 'Canonical', offer: 'ubuntu', sku: '22_04-lts', version: 'latest' },
      },
      osProfile: {
        adminUsername: 'azureuser',
        linuxConfiguration: {
          ssh: { publicKeys: [{ path: '/home/azureuser/.ssh/authorized_keys', keyData: 'ssh-rsa AAA' }] },
        },
      },
      networkProfile: { networkInterfaces: [{ id: nicId, properties: { deleteOption: 'Delete' } }] },
    },
  });
  expect(res.status).toBe(201);
  await finished(res.headers.get('azure-asyncoperation') ?? '');
});
afterAll(async () => {
  await sim.stop();
  expect(sim.pendingTimers()).toBe(0);
});

describe('ARM emulation: VM power actions', () => {
  it('powerOff, start, deallocate and restart are LROs showing Updating and the power state under way', async () => {
    const off = await act('vm-p', 'powerOff');
    expect(off.status).toBe(202);
    expect(await view('vm-p')).toEqual({ provisioning: 'Updating', power: 'PowerState/stopping' });
    // Another operation is in progress: ARM's 409.
    const busy = await call('POST', `${vmPath('vm-p')}/start`);
    expect(busy.status).toBe(409);
    expect(await busy.json()).toMatchObject({ error: { code: 'OperationNotAllowed' } });
    expect(await off.end()).toBe('Succeeded');
    expect(await view('vm-p')).toEqual({ provisioning: 'Succeeded', power: 'PowerState/stopped' });
    // A restart of a VM that is not running is refused; a second powerOff changes nothing.
    expect((await call('POST', `${vmPath('vm-p')}/restart`)).status).toBe(409);
    expect(await (await act('vm-p', 'powerOff')).end()).toBe('Succeeded');
    expect(await (await act('vm-p', 'start')).end()).toBe('Succeeded');
    expect((await view('vm-p')).power).toBe('PowerState/running');
    const restart = await act('vm-p', 'restart');
    expect(await view('vm-p')).toEqual({ provisioning: 'Updating', power: 'PowerState/running' });
    expect(await restart.end()).toBe('Succeeded');
    expect(await (await act('vm-p', 'deallocate')).end()).toBe('Succeeded');
    expect((await view('vm-p')).power).toBe('PowerState/deallocated');
  });

  it('an action on a missing VM is 404, an unknown action too', async () => {
    expect((await call('POST', `${vmPath('nope')}/start`)).status).toBe(404);
    expect((await call('POST', `${vmPath('vm-p')}/hibernate`)).status).toBe(404);
  });
});
