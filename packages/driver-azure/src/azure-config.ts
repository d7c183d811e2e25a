import type { TokenCredential } from '@azure/identity';
import { refuseUserInfo, secretString } from '@hybrid-broker/core/driver-kit';
import { z } from 'zod';

const nonEmpty = (what: string) =>
  z.string({ error: `expected ${what}` }).min(1, { error: `expected ${what}` });

// A TokenCredential is an object with getToken; checked by shape, since the SDK is not loaded here.
const tokenCredential = z.custom<TokenCredential>(
  (value) => typeof (value as { getToken?: unknown } | null)?.getToken === 'function',
  { error: 'expected a TokenCredential (an object with getToken)' },
);

/** How the driver signs in to Entra ID. */
export const azureCredentialsSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({
      type: z.literal('client-secret'),
      tenantId: nonEmpty('a tenant id'),
      clientId: nonEmpty('a client id'),
      /** The app registration's client secret; held as a Secret, never printed. */
      clientSecret: secretString('a client secret'),
    }),
    z.strictObject({
      type: z.literal('client-certificate'),
      tenantId: nonEmpty('a tenant id'),
      clientId: nonEmpty('a client id'),
      /** Path of a PEM file holding the certificate and its private key. */
      certificatePath: nonEmpty('a certificate file path'),
    }),
    z.strictObject({
      type: z.literal('managed-identity'),
      /** A user-assigned identity's client id; the system-assigned identity when absent. */
      clientId: nonEmpty('a client id').optional(),
    }),
    z.strictObject({ type: z.literal('default') }),
    z.strictObject({
      type: z.literal('token-credential'),
      /** Any `TokenCredential` (tests pass a fake one; programs may pass their own). */
      credential: tokenCredential,
    }),
  ],
  {
    error:
      'expected credentials of type client-secret, client-certificate, managed-identity, default or token-credential',
  },
);

/** The SDK's own HTTP retry options (core's retry policy still applies above them). */
export const azureSdkRetrySchema = z.strictObject({
  maxRetries: z.number().int().min(0).max(10).optional(),
  retryDelayInMs: z.number().int().nonnegative().optional(),
  maxRetryDelayInMs: z.number().int().nonnegative().optional(),
});

/** Options of the `azure` driver. */
export const azureConfigSchema = z.strictObject({
  /** The subscription (a UUID) the resources live in. */
  subscriptionId: nonEmpty('a subscription id'),
  /** The resource group VMs and NICs are created in, and bare names are looked up in. */
  resourceGroup: nonEmpty('a resource group name'),
  /** The region new resources are created in, e.g. `westeurope`. */
  location: nonEmpty('a location'),
  credentials: azureCredentialsSchema,
  /** ARM base URL: sovereign clouds, or cloud-sim. Plain http is accepted only on loopback. */
  endpoint: refuseUserInfo(
    z
      .url({ error: 'expected an ARM base URL' })
      .refine((url) => url.startsWith('https://') || isLoopbackHttp(url), {
        error: 'expected an https URL (plain http only on 127.0.0.1, ::1 or localhost)',
      }),
  ).optional(),
  /** The token scope; defaults to `<endpoint>/.default`. */
  credentialScope: nonEmpty('a credential scope').optional(),
  /** Entra ID authority for sovereign clouds, e.g. `https://login.chinacloudapi.cn`. */
  authorityHost: refuseUserInfo(z.url({ error: 'expected an authority URL' })).optional(),
  /**
   * PEM file of CA certificates trusted for the authority host besides Node's own: a private
   * authority (Azure Stack Hub), or cloud-sim's Entra ID. MSAL accepts only https authorities.
   */
  authorityCaFile: nonEmpty('a CA file path').optional(),
  /**
   * Skips MSAL's instance discovery (a request to login.microsoftonline.com that vets the
   * authority). Default: true for a loopback `authorityHost` (an emulator), else false.
   */
  disableInstanceDiscovery: z.boolean().optional(),
  /** Delay between polls of a long-running operation; the SDK default is 2000 ms. */
  pollIntervalMs: z.number().int().nonnegative().default(2000),
  /** The SDK's HTTP retries; off by default so core's retry policy decides (and honours Retry-After). */
  retryOptions: azureSdkRetrySchema.default({ maxRetries: 0 }),
  /** Whole time of one ARM request: connect, headers and the whole body. Default 60 000 ms. */
  requestTimeoutMs: z.number().int().positive().default(60_000),
  /**
   * Largest response body accepted, in bytes, counted while it streams. Default 16 MiB:
   * an ARM list page of VMs or disks fits many times over.
   */
  maxResponseBytes: z
    .number()
    .int()
    .positive()
    .default(16 * 1024 * 1024),
  /** Subnet ARM id for servers created without `networks`. */
  defaultSubnetId: nonEmpty('a subnet id').optional(),
  /** Admin user of new VMs when a request gives none. */
  adminUsername: nonEmpty('an admin user name').default('azureuser'),
  /** SSH public key of new VMs when a request gives none. */
  sshPublicKey: nonEmpty('an SSH public key').optional(),
  /**
   * Fault domains of the availability sets `antiAffinityGroup` makes (2 fits every region; some
   * have 3). Members are kept on distinct fault domains, so a set holds at most this many.
   */
  availabilitySetFaultDomains: z.number().int().min(1).max(3).default(2),
  /**
   * Where `listImages` and image names in createServer look: a marketplace publisher and offer
   * in the configured location (every sku, or `skus`), or an Azure Compute Gallery (in
   * `resourceGroup`, default the platform's). Without it images are given as URNs or ids.
   */
  imageSource: z
    .union([
      z.strictObject({
        publisher: nonEmpty('a publisher'),
        offer: nonEmpty('an offer'),
        skus: z.array(nonEmpty('a sku')).min(1).optional(),
      }),
      z.strictObject({
        gallery: nonEmpty('a gallery name'),
        resourceGroup: nonEmpty('a resource group').optional(),
      }),
    ])
    .optional(),
  /** OS disk storage type of new VMs. */
  osDiskType: z
    .enum(['Standard_LRS', 'StandardSSD_LRS', 'Premium_LRS', 'StandardSSD_ZRS', 'Premium_ZRS'])
    .default('StandardSSD_LRS'),
});

/** The azure driver's config as written. */
export type AzureDriverConfigInput = z.input<typeof azureConfigSchema>;
/** The azure driver's config after validation. */
export type AzureDriverConfig = z.output<typeof azureConfigSchema>;

/** True for `http://` URLs on a loopback host (cloud-sim, local emulators). */
export function isLoopbackHttp(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' && ['127.0.0.1', '[::1]', 'localhost'].includes(parsed.hostname);
  } catch {
    return false;
  }
}
