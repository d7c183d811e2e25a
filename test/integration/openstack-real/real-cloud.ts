// What the real-OpenStack suite knows of its cloud, and the admin REST calls its fixtures make
// (images, flavors, volumes, os-reset_status) outside the drivers under test. Everything it
// creates is named hb-real-* or contract-* and removed by cleanup(), also on a staging cloud.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { systemClock } from '@hybrid-broker/core/driver-kit';
import { openstackConfigSchema, resolveOpenStackSettings } from '@hybrid-broker/driver-openstack';
import {
  createKeystoneAuth,
  type KeystoneAuth,
  ServiceEndpoints,
} from '@hybrid-broker/driver-openstack/layers';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** What scripts/openstack/start.sh printed (state.json). */
export interface LocalState {
  keystoneUrl: string;
  adminUser: string;
  adminPassword: string;
  adminProject: string;
  regions: string[];
  computeZone: string;
  volumeZones: string[];
  crossAzAttach: boolean;
}

/** The cloud of this run: the local stack, or a staging cloud from clouds.yaml. */
export type RealInfo =
  | { mode: 'local'; state: LocalState; timings: { installMs: number; startMs: number } }
  | {
      mode: 'staging';
      cloud: string;
      region?: string;
      image: string;
      flavor: string;
      zone: string;
      otherZone?: string;
      network?: string;
      admin: boolean;
    };

/** Staging mode from OS_REAL_* (README "Running it against your own OpenStack"), else undefined. */
export function stagingInfo(env: NodeJS.ProcessEnv): RealInfo | undefined {
  const cloud = env.OS_REAL_CLOUD;
  if (!cloud) return undefined;
  const need = (name: string) => {
    const value = env[name];
    if (!value) throw new Error(`OS_REAL_CLOUD is set: ${name} is needed too (see README)`);
    return value;
  };
  return {
    mode: 'staging',
    cloud,
    ...(env.OS_REAL_REGION ? { region: env.OS_REAL_REGION } : {}),
    image: need('OS_REAL_IMAGE'),
    flavor: need('OS_REAL_FLAVOR'),
    zone: need('OS_REAL_ZONE'),
    ...(env.OS_REAL_OTHER_ZONE ? { otherZone: env.OS_REAL_OTHER_ZONE } : {}),
    ...(env.OS_REAL_NETWORK ? { network: env.OS_REAL_NETWORK } : {}),
    admin: env.OS_REAL_ADMIN === '1',
  };
}

/** The openstack driver's config for this cloud. */
export function openstackConfig(
  info: RealInfo,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const base =
    info.mode === 'local'
      ? {
          auth: {
            method: 'password',
            url: info.state.keystoneUrl,
            username: info.state.adminUser,
            userDomainId: 'default',
            password: info.state.adminPassword,
            projectName: info.state.adminProject,
            projectDomainId: 'default',
          },
          region: 'RegionOne',
        }
      : { cloud: info.cloud, ...(info.region ? { region: info.region } : {}) };
  return { ...base, retry: { baseDelayMs: 50, maxDelayMs: 500 }, ...extra };
}

/** Polling fast enough for fake backends (transitions of 0.03-0.5 s), patient enough for a loaded box. */
export const REAL_WAIT = {
  timeoutMs: 90_000,
  initialDelayMs: 50,
  maxDelayMs: 500,
  multiplier: 1.5,
  jitter: 0.1,
};

const IMAGE = 'hb-real-tiny';
const FLAVOR = 'hb-real.tiny';

/** Admin-side REST calls on the cloud, and the record of what they made. */
export class RealCloud {
  readonly info: RealInfo;
  readonly #auth: KeystoneAuth;
  readonly #endpoints: ServiceEndpoints;
  readonly #volumes = new Set<string>();
  readonly #startedAt = Date.now();
  #image: string | undefined;
  #flavor: string | undefined;

  private constructor(info: RealInfo, auth: KeystoneAuth, endpoints: ServiceEndpoints) {
    this.info = info;
    this.#auth = auth;
    this.#endpoints = endpoints;
  }

  static async open(info: RealInfo): Promise<RealCloud> {
    const { retry: _retry, ...fields } = openstackConfig(info);
    const config = openstackConfigSchema.parse(fields);
    const settings = await resolveOpenStackSettings(config);
    const auth = createKeystoneAuth(settings, {
      fetch: globalThis.fetch,
      clock: systemClock,
      requestTimeoutMs: 30_000,
    });
    const endpoints = new ServiceEndpoints(auth, {
      region: settings.region,
      interfaces: settings.interfaces,
      overrides: settings.endpointOverrides,
    });
    return new RealCloud(info, auth, endpoints);
  }

  /** Admin calls (reset status, flavors, cross-zone settings) are possible on this cloud. */
  get admin(): boolean {
    return this.info.mode === 'local' || this.info.admin;
  }

  /** One REST call; a status outside `ok` throws with the body. */
  async call(
    service: 'compute' | 'volume' | 'image',
    method: string,
    path: string,
    options: {
      body?: unknown;
      headers?: Record<string, string>;
      ok?: number[];
      raw?: Uint8Array | string;
    } = {},
    // biome-ignore lint/suspicious/noExplicitAny: raw REST bodies, read by the tests field by field
  ): Promise<{ status: number; body: any }> {
    const token = await this.#auth.token();
    const base = await this.#endpoints.url(service);
    const headers: Record<string, string> = { 'X-Auth-Token': token.value.reveal(), ...options.headers };
    let body: Uint8Array | string | undefined = options.raw;
    if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    const response = await fetch(`${base}${path}`, {
      method,
      headers,
      body,
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    const parsed = text && /json/.test(response.headers.get('content-type') ?? '') ? JSON.parse(text) : text;
    if (!(options.ok ?? [200, 201, 202, 204]).includes(response.status)) {
      throw new Error(`${service} ${method} ${path}: ${response.status} ${text.slice(0, 300)}`);
    }
    return { status: response.status, body: parsed };
  }

  /** The suite's image: on the local stack a 1 MiB raw image made once; on staging OS_REAL_IMAGE. */
  async image(): Promise<string> {
    if (this.info.mode === 'staging') return this.info.image;
    if (this.#image) return IMAGE;
    const found = await this.call('image', 'GET', `/v2/images?name=${IMAGE}`);
    let image = found.body.images.find((i: { status: string }) => i.status === 'active')?.id;
    if (!image) {
      const made = await this.call('image', 'POST', '/v2/images', {
        body: { name: IMAGE, disk_format: 'raw', container_format: 'bare', visibility: 'public' },
      });
      image = made.body.id;
      await this.call('image', 'PUT', `/v2/images/${image}/file`, {
        raw: new Uint8Array(1024 * 1024),
        headers: { 'Content-Type': 'application/octet-stream' },
      });
    }
    this.#image = image;
    return IMAGE;
  }

  /** The suite's flavor (64 MiB, 1 vCPU, 1 GB: FakeDriver has room for many). */
  async flavor(): Promise<string> {
    if (this.info.mode === 'staging') return this.info.flavor;
    if (this.#flavor) return this.#flavor;
    const list = await this.call('compute', 'GET', '/flavors');
    if (!list.body.flavors.some((f: { name: string }) => f.name === FLAVOR)) {
      await this.call('compute', 'POST', '/flavors', {
        body: { flavor: { name: FLAVOR, ram: 64, vcpus: 1, disk: 1 } },
      });
    }
    this.#flavor = FLAVOR;
    return FLAVOR;
  }

  /** A 1 GB volume in `zone`, once Cinder says available; removed by cleanup(). */
  async createVolume(zone: string): Promise<string> {
    const made = await this.call('volume', 'POST', '/volumes', {
      body: { volume: { size: 1, name: `hb-real-${Date.now().toString(36)}`, availability_zone: zone } },
    });
    const id: string = made.body.volume.id;
    this.#volumes.add(id);
    await this.until(`volume ${id} available`, async () => (await this.volumeStatus(id)) === 'available');
    return id;
  }

  async volumeStatus(id: string): Promise<string | undefined> {
    const r = await this.call('volume', 'GET', `/volumes/${id}`, { ok: [200, 404] });
    return r.status === 404 ? undefined : r.body.volume.status;
  }

  /** Cinder's admin `os-reset_status`: the volume's status changes, nothing else happens. */
  async resetStatus(id: string, status: string, attachStatus?: 'attached' | 'detached'): Promise<void> {
    await this.call('volume', 'POST', `/volumes/${id}/action`, {
      body: { 'os-reset_status': { status, ...(attachStatus ? { attach_status: attachStatus } : {}) } },
    });
  }

  /** Whether Nova lists `volumeId` on the server (GET os-volume_attachments/{volume}). */
  async novaLists(serverId: string, volumeId: string): Promise<boolean> {
    const r = await this.call('compute', 'GET', `/servers/${serverId}/os-volume_attachments/${volumeId}`, {
      ok: [200, 404],
    });
    return r.status === 200;
  }

  async until(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Deletes the servers this run made (named contract-* or hb-real-*), empty contract-* server groups, then its volumes. */
  async cleanup(): Promise<void> {
    const since = new Date(this.#startedAt - 60_000).toISOString();
    const list = await this.call('compute', 'GET', '/servers/detail');
    const ours = list.body.servers.filter(
      (s: { name: string; created: string }) =>
        /^(contract-|hb-real-)/.test(s.name) && s.created >= since.slice(0, 19),
    );
    for (const s of ours) await this.call('compute', 'DELETE', `/servers/${s.id}`, { ok: [204, 404] });
    for (const s of ours) {
      await this.until(
        `server ${s.id} gone`,
        async () =>
          (await this.call('compute', 'GET', `/servers/${s.id}`, { ok: [200, 404] })).status === 404,
      ).catch(() => {});
    }
    // Nova's default quota is 10 server groups a project: the contract's empty groups go too.
    const groups = await this.call('compute', 'GET', '/os-server-groups', { ok: [200, 404] }).catch(
      () => undefined,
    );
    for (const g of groups?.body?.server_groups ?? []) {
      if (/^contract-/.test(g.name) && (g.members ?? []).length === 0)
        await this.call('compute', 'DELETE', `/os-server-groups/${g.id}`, { ok: [204, 404] }).catch(() => {});
    }
    for (const id of this.#volumes) {
      const status = await this.volumeStatus(id);
      if (status === undefined) continue;
      if (status !== 'available' && this.admin)
        await this.resetStatus(id, 'available', 'detached').catch(() => {});
      await this.call('volume', 'DELETE', `/volumes/${id}`, { ok: [202, 404] }).catch(() => {});
    }
    this.#volumes.clear();
  }
}
