import { BrokerError } from '@hybrid-broker/core';
import { parseArmId, sameId } from './arm-ids.js';
import type { AzureClients } from './azure-clients.js';
import type { AzureDriverConfig } from './azure-config.js';
import { toAzureError } from './azure-errors.js';

/** A NIC a new VM gets, and whether this driver made it. */
export interface VmNic {
  readonly id: string;
  readonly created: boolean;
}

/**
 * Resolves `networks` to NIC ids: a NIC id is used as it is; for a subnet id a
 * NIC `<vm>-nic<i>` is created (PUT by name, so a repeated create reuses it).
 */
export async function ensureNics(
  clients: AzureClients,
  networks: readonly string[],
  vmName: string,
  config: AzureDriverConfig,
  signal: AbortSignal | undefined,
): Promise<VmNic[]> {
  if (networks.length === 0) {
    throw new BrokerError(
      'invalid-request',
      'networks must name a subnet or NIC id (or set defaultSubnetId in the platform config)',
      { field: 'networks' },
    );
  }
  const nics: VmNic[] = [];
  for (const [index, network] of networks.entries()) {
    const parsed = parseArmId(network);
    if (parsed && sameId(parsed.provider, 'Microsoft.Network') && sameId(parsed.type, 'networkInterfaces')) {
      nics.push({ id: network, created: false });
      continue;
    }
    if (
      !parsed ||
      !sameId(parsed.provider, 'Microsoft.Network') ||
      !sameId(parsed.type, 'virtualNetworks/subnets')
    ) {
      throw new BrokerError(
        'invalid-request',
        `networks[${index}] must be a subnet or network interface id`,
        {
          field: `networks[${index}]`,
        },
      );
    }
    const network$ = await clients.network();
    const name = `${vmName}-nic${index}`;
    try {
      const nic = await network$.networkInterfaces.beginCreateOrUpdateAndWait(
        config.resourceGroup,
        name,
        {
          location: config.location,
          ipConfigurations: [
            { name: 'ipconfig1', subnet: { id: network }, privateIPAllocationMethod: 'Dynamic' },
          ],
          tags: { 'hybrid-broker-vm': vmName },
        },
        { updateIntervalInMs: config.pollIntervalMs, abortSignal: signal },
      );
      if (!nic.id) throw new BrokerError('provider-error', `NIC ${name} was created without an id`);
      nics.push({ id: nic.id, created: true });
    } catch (error) {
      throw toAzureError(error, `creating NIC ${name}`);
    }
  }
  return nics;
}
