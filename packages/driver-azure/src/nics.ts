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
  try {
    await addNics(clients, networks, vmName, config, signal, nics);
  } catch (error) {
    // NICs made for a create that cannot go on would be left behind under names no retry reuses.
    if (refusedOutright(error)) await removeCreatedNics(clients, nics, config);
    throw error;
  }
  return nics;
}

/**
 * True when ARM refused a request outright (4xx other than 412): nothing was made, so NICs
 * made for it can go. After a 5xx or a lost response the VM may exist and hold them: kept.
 */
export function refusedOutright(error: unknown): boolean {
  const status = (error as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 && status !== 412;
}

/**
 * Deletes the NICs this driver made for a VM that was not created (best effort: a NIC that
 * cannot be deleted now is left, and the error that ended the create is what the caller sees).
 */
export async function removeCreatedNics(
  clients: AzureClients,
  nics: readonly VmNic[],
  config: AzureDriverConfig,
): Promise<void> {
  const made = nics.filter((nic) => nic.created);
  if (made.length === 0) return;
  const network$ = await clients.network();
  await Promise.all(
    made.map(async (nic) => {
      const parsed = parseArmId(nic.id);
      if (!parsed) return;
      try {
        await network$.networkInterfaces.beginDeleteAndWait(parsed.resourceGroup, parsed.name, {
          updateIntervalInMs: config.pollIntervalMs,
        });
      } catch {
        // best effort: see above
      }
    }),
  );
}

async function addNics(
  clients: AzureClients,
  networks: readonly string[],
  vmName: string,
  config: AzureDriverConfig,
  signal: AbortSignal | undefined,
  nics: VmNic[],
): Promise<void> {
  // Every entry is checked before any NIC is made, so a bad one leaves nothing behind.
  const kinds = networks.map((network, index) => kindOf(network, index));
  for (const [index, network] of networks.entries()) {
    if (kinds[index] === 'nic') {
      nics.push({ id: network, created: false });
      continue;
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
}

function kindOf(network: string, index: number): 'nic' | 'subnet' {
  const parsed = parseArmId(network);
  if (parsed && sameId(parsed.provider, 'Microsoft.Network') && sameId(parsed.type, 'networkInterfaces'))
    return 'nic';
  if (
    parsed &&
    sameId(parsed.provider, 'Microsoft.Network') &&
    sameId(parsed.type, 'virtualNetworks/subnets')
  )
    return 'subnet';
  throw new BrokerError('invalid-request', `networks[${index}] must be a subnet or network interface id`, {
    field: `networks[${index}]`,
  });
}
