import { describe, expect, it } from 'vitest';
import { operationName } from '../src/operation-name.js';

const RG = 'https://management.azure.com/subscriptions/s-1/resourceGroups/rg';

describe('operationName names an ARM request as the REST specs name its operation', () => {
  it('reads a resource request by its type and method', () => {
    const vm = `${RG}/providers/Microsoft.Compute/virtualMachines/sg-1?api-version=2024-07-01`;
    expect(operationName('PUT', vm)).toBe('VirtualMachines_CreateOrUpdate');
    expect(operationName('GET', vm)).toBe('VirtualMachines_Get');
    expect(operationName('PATCH', vm)).toBe('VirtualMachines_Update');
    expect(operationName('DELETE', vm)).toBe('VirtualMachines_Delete');
    expect(operationName('GET', `${RG}/providers/Microsoft.Compute/disks/d-1`)).toBe('Disks_Get');
  });

  it('names lists, actions and long-running-operation polls', () => {
    expect(operationName('GET', `${RG}/providers/Microsoft.Compute/virtualMachines`)).toBe(
      'VirtualMachines_List',
    );
    expect(operationName('POST', `${RG}/providers/Microsoft.Compute/virtualMachines/sg-1/powerOff`)).toBe(
      'VirtualMachines_PowerOff',
    );
    expect(
      operationName(
        'GET',
        'https://management.azure.com/subscriptions/s-1/providers/Microsoft.Compute/locations/westeurope/operations/op-1',
      ),
    ).toBe('Operations_Get');
    expect(operationName('GET', `${RG}`)).toBe('ResourceGroups_Get');
  });
});
