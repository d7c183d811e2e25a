import { refuseUserInfo, secretString } from '@hybrid-broker/core/driver-kit';
import { z } from 'zod';
import { notificationsConfigSchema } from '../notifications/notification-config.js';

const name = z.string().min(1, { error: 'expected a non-empty string' });

/** Where a service's endpoint is looked up in the catalog, in order of preference. */
export const endpointInterfaceSchema = z.enum(['public', 'internal', 'admin'], {
  error: 'expected "public", "internal" or "admin"',
});

/** One endpoint interface. */
export type EndpointInterface = z.infer<typeof endpointInterfaceSchema>;

const projectScope = {
  projectId: name.optional(),
  projectName: name.optional(),
  projectDomainId: name.optional(),
  projectDomainName: name.optional(),
};

const userIdentity = {
  userId: name.optional(),
  username: name.optional(),
  userDomainId: name.optional(),
  userDomainName: name.optional(),
};

type Issues = z.core.$RefinementCtx;
interface UserFields {
  userId?: string | undefined;
  username?: string | undefined;
  userDomainId?: string | undefined;
  userDomainName?: string | undefined;
}
interface ProjectFields {
  projectId?: string | undefined;
  projectName?: string | undefined;
  projectDomainId?: string | undefined;
  projectDomainName?: string | undefined;
}

// Keystone resolves a user name or project name only within a domain, so a name alone is ambiguous.
function requireUser(value: UserFields, ctx: Issues): void {
  if (value.userId !== undefined) return;
  if (value.username === undefined) {
    ctx.addIssue({ code: 'custom', path: ['userId'], message: 'expected userId, or username with a domain' });
  } else if (value.userDomainId === undefined && value.userDomainName === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['userDomainName'],
      message: 'expected userDomainName or userDomainId with username',
    });
  }
}

function checkProject(value: ProjectFields, ctx: Issues, required: boolean): void {
  if (value.projectId !== undefined) return;
  if (value.projectName === undefined) {
    if (required) {
      ctx.addIssue({
        code: 'custom',
        path: ['projectId'],
        message:
          'expected projectId, or projectName with a domain (a token without a project has no catalog)',
      });
    }
  } else if (value.projectDomainId === undefined && value.projectDomainName === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['projectDomainName'],
      message: 'expected projectDomainName or projectDomainId with projectName',
    });
  }
}

const authUrl = refuseUserInfo(z.url({ protocol: /^https?$/, error: 'expected an http(s) URL of Keystone' }));

/** Keystone v3 password auth, scoped to a project. */
export const passwordAuthSchema = z
  .strictObject({
    method: z.literal('password'),
    url: authUrl,
    ...userIdentity,
    password: secretString('a password'),
    ...projectScope,
  })
  .superRefine((value, ctx) => {
    requireUser(value, ctx);
    checkProject(value, ctx, true);
  });

/** Keystone v3 application credential (its project is fixed by the credential). */
export const applicationCredentialAuthSchema = z
  .strictObject({
    method: z.literal('application-credential'),
    url: authUrl,
    applicationCredentialId: name.optional(),
    applicationCredentialName: name.optional(),
    applicationCredentialSecret: secretString('an application credential secret'),
    ...userIdentity,
  })
  .superRefine((value, ctx) => {
    if (value.applicationCredentialId !== undefined) return;
    if (value.applicationCredentialName === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['applicationCredentialId'],
        message: 'expected applicationCredentialId, or applicationCredentialName with its user',
      });
      return;
    }
    requireUser(value, ctx);
  });

/** A pre-issued token; with a project it is exchanged for a token scoped to it. */
export const tokenAuthSchema = z
  .strictObject({ method: z.literal('token'), url: authUrl, token: secretString('a token'), ...projectScope })
  .superRefine((value, ctx) => checkProject(value, ctx, false));

/** How the driver authenticates with Keystone v3. */
export const keystoneAuthConfigSchema = z.discriminatedUnion(
  'method',
  [passwordAuthSchema, applicationCredentialAuthSchema, tokenAuthSchema],
  { error: 'expected auth.method "password", "application-credential" or "token"' },
);

/** Parsed Keystone auth settings (secrets held as `Secret`). */
export type KeystoneAuthConfig = z.output<typeof keystoneAuthConfigSchema>;
/** Keystone auth settings as written. */
export type KeystoneAuthConfigInput = z.input<typeof keystoneAuthConfigSchema>;

/** Endpoint overrides by service (for NAT or a proxy in front of the cloud). */
export const endpointOverridesSchema = z.strictObject({
  compute: refuseUserInfo(z.url()).optional(),
  volume: refuseUserInfo(z.url()).optional(),
  image: refuseUserInfo(z.url()).optional(),
  network: refuseUserInfo(z.url()).optional(),
});

/** Services the driver talks to, by our name for them. */
export type ServiceName = keyof z.infer<typeof endpointOverridesSchema>;

/** Options of the `openstack` driver. */
export const openstackConfigSchema = z
  .strictObject({
    /** Keystone credentials; optional when `cloud` or `useEnvironment` supplies them. */
    auth: keystoneAuthConfigSchema.optional(),
    /** A cloud name in clouds.yaml (+ secure.yaml), as the OpenStack CLI takes it. */
    cloud: name.optional(),
    /** An explicit clouds.yaml path (else OS_CLIENT_CONFIG_FILE, ./, ~/.config/openstack, /etc/openstack). */
    cloudsFile: name.optional(),
    /** Read the OS_* environment variables (OS_CLOUD, OS_AUTH_URL, OS_PASSWORD, ...). */
    useEnvironment: z.boolean().optional(),
    /** The catalog region; required when the catalog has more than one. */
    region: name.optional(),
    /** Endpoint interfaces in order of preference. Default ["public"]. */
    interfaces: z.array(endpointInterfaceSchema).min(1).optional(),
    /** Per-service endpoint URLs that replace the catalog's; `$(project_id)s` is substituted. */
    endpointOverrides: endpointOverridesSchema.default({}),
    /** The Nova microversion sent to Nova only. Default "2.1". */
    novaMicroversion: z
      .string()
      .regex(/^(\d+\.\d+|latest)$/, { error: 'expected a microversion like "2.79" or "latest"' })
      .default('2.1'),
    /**
     * Who decides whether a volume may attach to a server in another availability zone.
     * "same" (default): the broker refuses it before asking Nova, as the arbitrator needs.
     * "cloud": Nova decides, for clouds with `[cinder] cross_az_attach = true` (upstream's default).
     */
    availabilityZonePolicy: z
      .enum(['same', 'cloud'], { error: 'expected "same" or "cloud"' })
      .default('same'),
    /** Timeout of each HTTP request. Default 60 000 ms. */
    requestTimeoutMs: z.number().int().positive().default(60_000),
    /**
     * Largest response body accepted, in bytes, enforced while it streams (a larger one is a
     * `provider-error`). Default 16 MiB: fits 1000 Nova servers/detail entries.
     */
    maxResponseBytes: z
      .number()
      .int()
      .positive()
      .default(16 * 1024 * 1024),
    /**
     * How requests are sent. "fetch" (default): the broker's `fetch` service, so an
     * injected fetch is honoured. "node-http": this driver's own keep-alive node:http
     * transport, about a third of fetch's CPU per request on Node 20 (an injected
     * `fetch` service is then not used by this platform; nock still intercepts it).
     */
    transport: z.enum(['fetch', 'node-http']).optional(),
    /**
     * A PEM bundle of the CAs that signed the cloud's certificates (a private cloud's own CA),
     * as clouds.yaml's `cacert`. Needs the node-http transport, which it then selects; with
     * fetch on Node 20 use NODE_EXTRA_CA_CERTS instead.
     */
    cacert: name.optional(),
    /** False skips certificate verification (test clouds only), as clouds.yaml's `verify`. Default true. */
    verify: z.boolean().optional(),
    /** OpenStack notifications on RabbitMQ, a push source for `watch`; see docs/watch.md. */
    notifications: notificationsConfigSchema.optional(),
    caching: z
      .strictObject({
        /** Renew the token this long before its `expires_at`. Default 120 000 ms. */
        tokenRenewBeforeMs: z.number().int().nonnegative().default(120_000),
        /** How long image, flavor and network name lookups are remembered. Default 300 000 ms; 0 turns it off. */
        lookupTtlMs: z.number().int().nonnegative().default(300_000),
      })
      .default({ tokenRenewBeforeMs: 120_000, lookupTtlMs: 300_000 }),
  })
  .superRefine((value, ctx) => {
    if (value.auth === undefined && value.cloud === undefined && value.useEnvironment !== true) {
      ctx.addIssue({
        code: 'custom',
        path: ['auth'],
        message: 'expected auth, a clouds.yaml cloud name, or useEnvironment: true',
      });
    }
  });

/** The `openstack` driver's config as written. */
export type OpenStackConfigInput = z.input<typeof openstackConfigSchema>;
/** The `openstack` driver's config after validation. */
export type OpenStackConfig = z.output<typeof openstackConfigSchema>;
