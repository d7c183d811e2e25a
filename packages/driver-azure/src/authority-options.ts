import { readFile } from 'node:fs/promises';
import { Agent } from 'node:https';
import { rootCertificates } from 'node:tls';
import { BrokerError } from '@hybrid-broker/core';
import type { AzureDriverConfig } from './azure-config.js';

/** What `@azure/identity`'s credentials are told about the authority (Entra ID) they sign in to. */
export interface AuthorityOptions {
  authorityHost?: string;
  disableInstanceDiscovery?: boolean;
  /** Trusts `authorityCaFile` besides Node's CAs, for the token requests only. */
  agent?: Agent;
}

/**
 * The authority options of the config: its host, whether to skip instance discovery (by default
 * for a loopback host, whose discovery request would go to login.microsoftonline.com and fail),
 * and an https agent trusting the CA file.
 */
export async function authorityOptions(config: AzureDriverConfig): Promise<AuthorityOptions> {
  const options: AuthorityOptions = {};
  if (config.authorityHost !== undefined) options.authorityHost = config.authorityHost;
  const skipDiscovery = config.disableInstanceDiscovery ?? isLoopbackHost(config.authorityHost);
  if (skipDiscovery) options.disableInstanceDiscovery = true;
  if (config.authorityCaFile !== undefined) {
    const ca = await readCaFile(config.authorityCaFile);
    options.agent = new Agent({ keepAlive: true, ca: [...rootCertificates, ca] });
  }
  return options;
}

function isLoopbackHost(url: string | undefined): boolean {
  if (url === undefined) return false;
  try {
    return ['127.0.0.1', '[::1]', 'localhost'].includes(new URL(url).hostname);
  } catch {
    return false;
  }
}

async function readCaFile(path: string): Promise<string> {
  const field = 'authorityCaFile';
  let ca: string;
  try {
    ca = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new BrokerError('invalid-request', `${field}: cannot read the CA bundle ${path} (${code})`, {
      field,
      cause: error,
    });
  }
  if (!ca.includes('-----BEGIN CERTIFICATE-----')) {
    throw new BrokerError('invalid-request', `${field}: ${path} holds no PEM certificate`, { field });
  }
  return ca;
}
