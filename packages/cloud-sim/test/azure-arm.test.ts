import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ArmSim, startArmSim } from '../src/azure/index.js';

// Raw HTTP against the ARM emulation: the shapes the Azure REST API documents.
const RG = 'sg-rg';
const API = 'api-version=2024-07-01';
let sim: ArmSim;
let base: string;

const auth = { authorization: 'Bearer test-token', 'content-type': 'application/json' };
const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}${path}${path.includes('?') ? '&' : '?'}${API}`, {
    method,
    headers: { ...auth, ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

async function nic(name: string): Promise<string> {
  const subnet = `/subscriptions/${sim.subscriptionId}/resourceGroups/${RG}/providers/Microsoft.Network/virtualNetworks/v/subnets/s`;
  const res = await call(
    'PUT',
    `/subscriptions/${sim.subscriptionId}/resourceGroups/${RG}/providers/Microsoft.Network/networkInterfaces/${name}`,
    {
      location: 'westeurope',
      properties: { ipConfigurations: [{ name: 'ipconfig1', properties: { subnet: { id: subnet } } }] },
    },
  );
  return ((await res.json()) as { id: string }).id;
}

const vmPath = (name: string) =>
  `/subscriptions/${sim.subscriptionId}/resourceGroups/${RG}/providers/Microsoft.Compute/virtualMachines/${name}`;

const vmBody = (nicId: string, zone = '1') => ({
  location: 'westeurope',
  zones: [zone],
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

async function until(
  url: string,
  done: (body: { status?: string }) => boolean,
): Promise<{ status?: string }> {
  for (let i = 0; i < 200; i++) {
    const body = (await (await fetch(url, { headers: auth })).json()) as { status?: string };
    if (done(body)) return body;
    await new Promise((r) => setTimeout(r, 2));
  }
  throw new Error(`operation at ${url} never finished`);
}

beforeAll(async () => {
  sim = await startArmSim({ timings: { provisionMs: 10, updateMs: 5, deleteMs: 5 } });
  base = sim.url;
});
afterAll(async () => {
  await sim.stop();
  expect(sim.pendingTimers()).toBe(0);
});

describe('ARM emulation', () => {
  it('a VM PUT answers 201 Creating with Azure-AsyncOperation; the operation ends Succeeded and the VM runs', async () => {
    const res = await call('PUT', vmPath('vm-a'), vmBody(await nic('vm-a-nic')));
    expect(res.status).toBe(201);
    expect(res.headers.get('x-ms-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const body = (await res.json()) as { properties: { provisioningState: string }; etag: string };
    expect(body.properties.provisioningState).toBe('Creating');
    const op = res.headers.get('azure-asyncoperation') ?? '';
    expect(op).toMatch(/\/providers\/Microsoft\.Compute\/locations\/westeurope\/operations\/[0-9a-f-]+\?/);
    expect(await until(op, (b) => b.status !== 'InProgress')).toMatchObject({ status: 'Succeeded' });
    const view = (await (await call('GET', `${vmPath('vm-a')}?$expand=instanceView`)).json()) as {
      properties: { provisioningState: string; instanceView: { statuses: { code: string }[] } };
    };
    expect(view.properties.provisioningState).toBe('Succeeded');
    expect(view.properties.instanceView.statuses.map((s) => s.code)).toEqual([
      'ProvisioningState/succeeded',
      'PowerState/running',
    ]);
  });

  it('If-None-Match: * on an existing VM and a stale If-Match are 412 PreconditionFailed', async () => {
    const again = await call('PUT', vmPath('vm-a'), vmBody('x'), { 'if-none-match': '*' });
    expect(again.status).toBe(412);
    expect(await again.json()).toMatchObject({ error: { code: 'PreconditionFailed' } });
    const stale = await call('PATCH', vmPath('vm-a'), { tags: { a: 'b' } }, { 'if-match': '"999"' });
    expect(stale.status).toBe(412);
  });

  it('a PATCH with a data disk bumps the ETag and, when its operation ends, the disk is Attached to the VM', async () => {
    const diskId = sim.cloud.addDisk({ resourceGroup: RG, zone: '1' });
    const vm = (await (await call('GET', vmPath('vm-a'))).json()) as { etag: string; id: string };
    const res = await call(
      'PATCH',
      vmPath('vm-a'),
      {
        properties: {
          storageProfile: { dataDisks: [{ lun: 0, createOption: 'Attach', managedDisk: { id: diskId } }] },
        },
      },
      { 'if-match': vm.etag },
    );
    expect(res.status).toBe(200);
    expect(((await res.json()) as { etag: string }).etag).not.toBe(vm.etag);
    await until(res.headers.get('azure-asyncoperation') ?? '', (b) => b.status === 'Succeeded');
    const disk = (await (await call('GET', diskId)).json()) as {
      managedBy: string;
      properties: { diskState: string };
    };
    expect(disk).toMatchObject({ managedBy: vm.id, properties: { diskState: 'Attached' } });
  });

  it('counts accepted VM updates per VM, not the refused ones', async () => {
    const vm = (await (await call('GET', vmPath('vm-a'))).json()) as { etag: string; id: string };
    const before = sim.cloud.vmUpdates.of(vm.id);
    expect(before).toBeGreaterThan(0);
    expect((await call('PATCH', vmPath('vm-a'), { tags: { a: 'b' } }, { 'if-match': '"999"' })).status).toBe(
      412,
    );
    expect(sim.cloud.vmUpdates.of(vm.id)).toBe(before);
    expect((await call('PATCH', vmPath('vm-a'), { tags: { a: 'c' } }, { 'if-match': vm.etag })).status).toBe(
      200,
    );
    expect(sim.cloud.vmUpdates.of(vm.id.toUpperCase())).toBe(before + 1);
    expect(sim.cloud.vmUpdates.max()).toBe(before + 1);
    expect(sim.cloud.vmUpdates.perVm()).toEqual({ [vm.id.toLowerCase()]: before + 1 });
  });

  it('a disk in another zone is refused 400 and a missing VM is 404 ResourceNotFound', async () => {
    const other = sim.cloud.addDisk({ resourceGroup: RG, zone: '2' });
    const res = await call('PATCH', vmPath('vm-a'), {
      properties: {
        storageProfile: { dataDisks: [{ lun: 1, createOption: 'Attach', managedDisk: { id: other } }] },
      },
    });
    expect(res.status).toBe(400);
    const missing = await call('GET', vmPath('nope'));
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'ResourceNotFound' } });
  });

  it('a NIC DELETE is 400 NicInUse while a VM holds it, 200 for a free NIC, 204 when there is none', async () => {
    const nicPath = (name: string) =>
      `/subscriptions/${sim.subscriptionId}/resourceGroups/${RG}/providers/Microsoft.Network/networkInterfaces/${name}`;
    const inUse = await call('DELETE', nicPath('vm-a-nic'));
    expect(inUse.status).toBe(400);
    expect(((await inUse.json()) as { error: { code: string } }).error.code).toBe('NicInUse');
    await nic('spare-nic');
    expect((await call('DELETE', nicPath('spare-nic'))).status).toBe(200);
    expect((await call('DELETE', nicPath('spare-nic'))).status).toBe(204);
  });

  it('a DELETE answers 202 with Location; the monitor URL is 202 until done, then the VM and its NIC are gone', async () => {
    const res = await call('DELETE', vmPath('vm-a'));
    expect(res.status).toBe(202);
    const location = res.headers.get('location') ?? '';
    expect(location).toContain('monitor=true');
    for (let i = 0; i < 200 && (await fetch(location, { headers: auth })).status === 202; i++) {
      await new Promise((r) => setTimeout(r, 2));
    }
    expect((await call('GET', vmPath('vm-a'))).status).toBe(404);
    expect(sim.cloud.nics.size).toBe(0);
  });

  it('requests without a bearer token or api-version are refused as ARM refuses them', async () => {
    const anonymous = await fetch(`${base}${vmPath('x')}?${API}`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: { code: 'AuthenticationFailed' } });
    const noVersion = await fetch(`${base}${vmPath('x')}`, { headers: auth });
    expect(noVersion.status).toBe(400);
    expect(await noVersion.json()).toMatchObject({ error: { code: 'MissingApiVersionParameter' } });
  });

  it('a throttle fault answers 429 TooManyRequests with Retry-After in ARM error shape', async () => {
    sim.faults.add({
      method: 'GET',
      path: vmPath('*'),
      times: 1,
      action: { type: 'throttle', retryAfterSeconds: 7 },
    });
    const res = await call('GET', vmPath('vm-b'));
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(await res.json()).toMatchObject({ error: { code: 'TooManyRequests' } });
  });
});
