import type { EndpointInterface, ServiceName } from '../common/openstack-config.js';

/**
 * Connection settings found outside our own config (clouds.yaml, OS_* variables),
 * already in our field names, not yet validated.
 */
export interface ExternalCloudSettings {
  /** Auth input for `keystoneAuthConfigSchema`. */
  readonly auth: Record<string, unknown>;
  readonly region?: string;
  readonly interfaces?: readonly EndpointInterface[];
  readonly endpointOverrides?: Partial<Record<ServiceName, string>>;
  /** A CA bundle path to verify the cloud's certificates with (clouds.yaml `cacert`, OS_CACERT). */
  readonly cacert?: string;
  /** False to skip certificate verification (clouds.yaml `verify: false` or `insecure: true`). */
  readonly verify?: boolean;
}

// The OpenStack ecosystem's snake_case auth keys (clouds.yaml `auth:`, OS_* without the prefix) and ours.
const KEYS: Readonly<Record<string, string>> = {
  auth_url: 'url',
  user_id: 'userId',
  username: 'username',
  user_name: 'username',
  user_domain_id: 'userDomainId',
  user_domain_name: 'userDomainName',
  password: 'password',
  project_id: 'projectId',
  tenant_id: 'projectId',
  project_name: 'projectName',
  tenant_name: 'projectName',
  project_domain_id: 'projectDomainId',
  project_domain_name: 'projectDomainName',
  application_credential_id: 'applicationCredentialId',
  application_credential_name: 'applicationCredentialName',
  application_credential_secret: 'applicationCredentialSecret',
  token: 'token',
};

const AUTH_TYPES: Readonly<Record<string, string>> = {
  password: 'password',
  v3password: 'password',
  v3applicationcredential: 'application-credential',
  applicationcredential: 'application-credential',
  v3token: 'token',
  token: 'token',
};

/**
 * Turns an openstacksdk-style auth dict (`auth_url`, `username`, `project_name`, ...)
 * into our auth input. `auth_type` picks the method; without it an application
 * credential secret means `application-credential`, a lone token means `token`,
 * anything else `password`. `domain_id`/`domain_name` fill both domains, as
 * keystoneauth does.
 */
export function authFromDict(
  dict: Readonly<Record<string, unknown>>,
  authType?: string,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(dict)) {
    const ours = KEYS[key];
    if (ours !== undefined && value !== undefined && value !== null && value !== '')
      out[ours] = String(value);
  }
  for (const [suffix, field] of [
    ['id', 'DomainId'],
    ['name', 'DomainName'],
  ] as const) {
    const shared = dict[`domain_${suffix}`] ?? dict[`default_domain_${suffix}`];
    if (typeof shared !== 'string' || shared === '') continue;
    if (out[`user${field}`] === undefined && (out.username !== undefined || out.applicationCredentialName)) {
      out[`user${field}`] = shared;
    }
    if (out[`project${field}`] === undefined && out.projectName !== undefined)
      out[`project${field}`] = shared;
  }
  out.method = methodOf(out, authType);
  if (out.method === 'application-credential') {
    delete out.password;
    for (const key of ['projectId', 'projectName', 'projectDomainId', 'projectDomainName']) delete out[key];
  }
  return out;
}

function methodOf(auth: Record<string, unknown>, authType: string | undefined): string {
  if (authType !== undefined && authType !== '') return AUTH_TYPES[authType.toLowerCase()] ?? authType;
  if (auth.applicationCredentialSecret !== undefined) return 'application-credential';
  if (auth.token !== undefined && auth.password === undefined) return 'token';
  return 'password';
}

/** Normalizes `public`/`publicURL`/`internalURL`... to an interface name. */
export function normalizeInterface(value: string): EndpointInterface | undefined {
  const base = value.toLowerCase().replace(/url$/, '');
  return base === 'public' || base === 'internal' || base === 'admin' ? base : undefined;
}
