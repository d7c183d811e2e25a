import type { ComputeManagementClient } from '@azure/arm-compute';
import type { NetworkManagementClient } from '@azure/arm-network';
import type { TokenCredential } from '@azure/identity';
import type { BrokerEventInput } from '@hybrid-broker/core';
import { createArmHttpClient } from './arm-http-client.js';
import { type ArmBudgets, requestBudgetPolicy } from './arm-request-budget.js';
import { type AzureDriverConfig, isLoopbackHttp } from './azure-config.js';
import {
  BEARER_POLICY_NAME,
  loopbackBearerPolicy,
  type PipelinePolicy,
  requestEventsPolicy,
} from './pipeline-policies.js';

/** Azure's public ARM endpoint, where a config without `endpoint` goes. */
export const PUBLIC_ARM = 'https://management.azure.com';

/** The SDK clients a driver uses; the network client is created on first need. */
export interface AzureClients {
  readonly compute: ComputeManagementClient;
  /** The request budget every HTTP attempt takes from; undefined when it is off. */
  readonly budgets: ArmBudgets | undefined;
  network(): Promise<NetworkManagementClient>;
  /** Drops the keep-alive sockets of the HTTP client under both. */
  close(): void;
}

/** What building the clients needs besides the config. */
export interface AzureClientContext {
  readonly credential: TokenCredential;
  readonly emit: (event: BrokerEventInput) => void;
  readonly now: () => number;
  /** The platform's request budget, taken by every HTTP attempt (none when the budget is off). */
  readonly budgets?: ArmBudgets | undefined;
}

/**
 * Builds the compute client (and, lazily, the network client) with the
 * endpoint, scope, SDK retry options and the request-event policy. The SDKs
 * are imported here, inside the driver factory, never at package import.
 */
export async function createAzureClients(
  config: AzureDriverConfig,
  context: AzureClientContext,
): Promise<AzureClients> {
  const endpoint = (config.endpoint ?? PUBLIC_ARM).replace(/\/+$/, '');
  const scopes = [config.credentialScope ?? `${endpoint}/.default`];
  const insecure = isLoopbackHttp(endpoint);
  const events = requestEventsPolicy(context.emit, context.now);
  // One HTTP client under both SDK clients: the request discipline (timeouts, size cap, no redirects).
  const httpClient = createArmHttpClient({
    requestTimeoutMs: config.requestTimeoutMs,
    maxResponseBytes: config.maxResponseBytes,
  });
  const common = {
    endpoint,
    retryOptions: config.retryOptions,
    allowInsecureConnection: insecure,
    httpClient,
    // The SDK's redirect policy would follow a 3xx; the client refuses one before it could.
    redirectOptions: { maxRetries: 0 },
    additionalPolicies: [
      ...(context.budgets
        ? [{ policy: requestBudgetPolicy(context.budgets), position: 'perRetry' as const }]
        : []),
      { policy: events, position: 'perRetry' as const },
    ],
  };
  const { ComputeManagementClient } = await import('@azure/arm-compute');
  const compute = new ComputeManagementClient(context.credential, config.subscriptionId, {
    ...common,
    credentials: { scopes },
  });
  if (insecure) swapBearer(compute.pipeline, context.credential, scopes);
  let network: Promise<NetworkManagementClient> | undefined;
  return {
    compute,
    budgets: context.budgets,
    close: () => httpClient.close(),
    network() {
      network ??= import('@azure/arm-network').then(({ NetworkManagementClient }) => {
        const client = new NetworkManagementClient(context.credential, config.subscriptionId, {
          ...common,
          credentials: { scopes },
        });
        if (insecure) swapBearer(client.pipeline, context.credential, scopes);
        return client;
      });
      return network;
    },
  };
}

interface PipelineLike {
  removePolicy(options: { name: string }): unknown;
  addPolicy(policy: PipelinePolicy, options?: { phase?: 'Sign' }): void;
}

// The SDK's bearer policy throws on http URLs; on loopback only, a plain one takes its place.
function swapBearer(pipeline: PipelineLike, credential: TokenCredential, scopes: string[]): void {
  pipeline.removePolicy({ name: BEARER_POLICY_NAME });
  pipeline.addPolicy(loopbackBearerPolicy(credential, scopes), { phase: 'Sign' });
}
