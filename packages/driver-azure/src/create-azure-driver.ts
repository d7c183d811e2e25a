import type { DriverContext } from '@hybrid-broker/core';
import { armBudgets } from './arm-request-budget.js';
import { createAzureClients } from './azure-clients.js';
import type { AzureDriverConfig } from './azure-config.js';
import { createCredential } from './azure-credential.js';
import { AzureDriver } from './azure-driver.js';
import { credentialSource, namingCredentialFields } from './credential-fields.js';

/** Builds the Azure driver: credential, SDK clients, then the driver. Called by the definition's `create`. */
export async function createAzureDriver(
  config: AzureDriverConfig,
  context: DriverContext,
): Promise<AzureDriver> {
  const source = credentialSource(context.platform, config.credentials);
  const credential = namingCredentialFields(await createCredential(config), source);
  const reads = context.scale.requestBudget;
  const budgets = reads
    ? armBudgets(reads, context.services.clock, context.retry.maxRetryAfterMs)
    : undefined;
  const clients = await createAzureClients(config, {
    credential,
    emit: context.emit,
    now: () => context.services.clock.now(),
    budgets,
  });
  return new AzureDriver(config, context, clients);
}
