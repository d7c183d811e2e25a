import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ArmSim, startArmSim } from '../src/azure/index.js';

// Raw HTTP against the ARM emulation's Disks_CreateOrUpdate and Disks_Delete, as the REST API documents them.
const RG = 'sg-rg';
const API = 'api-version=2024-03-02';
let sim: ArmSim;

const auth = { authorization: 'Bearer test-token', 'content-type': 'application/json' };
const call = (method: string, path: string, body?: unknown) =>
  fetch(`${sim.url}${path}?${API}`, {
    method,
    headers: auth,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
const diskPath = (name: string) =>
  `/subscriptions/${sim.subscriptionId}/resourceGroups/${RG}/providers/Microsoft.Compute/disks/${name}`;

async function finished(url: string): Promise<string | undefined> {
  for (let i = 0; i < 200; i++) {
    const body = (await (await fetch(url, { headers: auth })).json()) as { status?: string };
    if (body.status !== 'InProgress') return body.status;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`operation at ${url} never finished`);
}

const empty = (size?: number) => ({
  location: 'westeurope',
  zones: ['1'],
  tags: { Name: 'data' },
  properties: {
    creationData: { createOption: 'Empty' },
    ...(size === undefined ? {} : { diskSizeGB: size }),
  },
});

beforeAll(async () => {
  sim = await startArmSim({ timings: { provisionMs: 5, updateMs: 20, deleteMs: 20 } });
});
afterAll(async () => {
  await sim.stop();
});

describe('ARM disks: create and delete', () => {
  it('a PUT answers 200 with the disk Updating and an async operation; the disk is Succeeded after it', async () => {
    const put = await call('PUT', diskPath('d-new'), empty(4));
    expect(put.status).toBe(200);
    const body = (await put.json()) as { tags: Record<string, string>; properties: Record<string, unknown> };
    expect(body.properties).toMatchObject({ provisioningState: 'Updating', diskSizeGB: 4 });
    expect(body.tags).toEqual({ Name: 'data' });
    expect(await finished(put.headers.get('azure-asyncoperation') ?? '')).toBe('Succeeded');
    const read = (await (await call('GET', diskPath('d-new'))).json()) as {
      properties: Record<string, unknown>;
    };
    expect(read.properties).toMatchObject({
      provisioningState: 'Succeeded',
      diskState: 'Unattached',
      creationData: { createOption: 'Empty' },
    });
    // the same name again is an update of that disk, not a second one
    expect((await call('PUT', diskPath('d-new'), empty(4))).status).toBe(200);
    expect([...sim.cloud.disks.values()].filter((d) => d.name === 'd-new')).toHaveLength(1);
  });

  it('refuses an empty disk without a size, and a copy of a source it does not have', async () => {
    const noSize = await call('PUT', diskPath('d-nosize'), empty());
    expect(noSize.status).toBe(400);
    expect(((await noSize.json()) as { error: { code: string } }).error.code).toBe('InvalidParameter');
    const copy = await call('PUT', diskPath('d-copy'), {
      location: 'westeurope',
      properties: { creationData: { createOption: 'Copy', sourceResourceId: diskPath('missing') } },
    });
    expect(copy.status).toBe(404);
  });

  it('a DELETE answers 202 with Location, 204 once gone, and 409 while a VM holds the disk', async () => {
    const id = sim.cloud.addDisk({ resourceGroup: RG, name: 'd-held', zone: '1' });
    const held = sim.cloud.disks.get(id.toLowerCase());
    if (held)
      held.managedBy = `/subscriptions/${sim.subscriptionId}/resourceGroups/${RG}/providers/Microsoft.Compute/virtualMachines/vm-1`;
    const refused = await call('DELETE', diskPath('d-held'));
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: { code: string; message: string } }).error).toMatchObject({
      code: 'OperationNotAllowed',
      message: expect.stringContaining('virtualMachines/vm-1'),
    });
    sim.cloud.addDisk({ resourceGroup: RG, name: 'd-free', zone: '1' });
    const deleted = await call('DELETE', diskPath('d-free'));
    expect(deleted.status).toBe(202);
    expect(deleted.headers.get('location')).toMatch(/monitor=true/);
    expect(await finished(deleted.headers.get('azure-asyncoperation') ?? '')).toBe('Succeeded');
    expect((await call('GET', diskPath('d-free'))).status).toBe(404);
    expect((await call('DELETE', diskPath('d-free'))).status).toBe(204);
  });
});
