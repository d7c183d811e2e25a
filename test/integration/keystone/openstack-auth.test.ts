// The OpenStack driver's auth and catalog layers against a REAL Keystone (Zed):
// an independent check of our reading of the Keystone v3 API, beside cloud-sim.
import { type BrokerError, isBrokerError, MemoryEventSink } from '@hybrid-broker/core';
import { systemClock } from '@hybrid-broker/core/driver-kit';
import { type KeystoneAuthConfigInput, keystoneAuthConfigSchema } from '@hybrid-broker/driver-openstack';
import {
  createHttpClient,
  findEndpoint,
  KeystoneAuth,
  type OpenStackRuntime,
} from '@hybrid-broker/driver-openstack/layers';
import { beforeEach, describe, expect, inject, it } from 'vitest';
import { type KeystoneInfo, settledTokenCount } from './keystone-harness.js';

const ks: KeystoneInfo = inject('keystone');
const { seed } = ks;

function makeAuth(config: KeystoneAuthConfigInput, events = new MemoryEventSink()) {
  const runtime: OpenStackRuntime = {
    fetch: globalThis.fetch,
    clock: systemClock,
    emit: (e) => events.emit({ ...e, time: Date.now() } as never),
    requestTimeoutMs: 30_000,
  };
  const keystoneHttp = createHttpClient(runtime);
  const auth = new KeystoneAuth({
    config: keystoneAuthConfigSchema.parse(config),
    http: keystoneHttp,
    emit: runtime.emit,
  });
  return { auth, http: createHttpClient(runtime, auth), events };
}

const byIds: KeystoneAuthConfigInput = {
  method: 'password',
  url: ks.url,
  userId: seed.user.id,
  password: seed.user.password,
  projectId: seed.project.id,
};

let tokensBefore = 0;
beforeEach(async () => {
  tokensBefore = await settledTokenCount(ks);
});
const tokensSince = async () => (await settledTokenCount(ks)) - tokensBefore;

describe('Keystone auth against a real Keystone', () => {
  it('password auth by user and project ids gives a token scoped to the project, with a catalog', async () => {
    const { auth } = makeAuth(byIds);
    const token = await auth.token();
    expect(token.projectId).toBe(seed.project.id);
    expect(token.userId).toBe(seed.user.id);
    expect(token.expiresAt).toBeGreaterThan(Date.now());
    expect(token.catalog.length).toBeGreaterThan(0);
    expect(await tokensSince()).toBe(1);
  });

  it('password auth by names and domains', async () => {
    const { auth } = makeAuth({
      method: 'password',
      url: ks.url,
      username: seed.user.name,
      userDomainName: seed.domain.name,
      password: seed.user.password,
      projectName: seed.project.name,
      projectDomainId: seed.project.domainId,
    });
    expect((await auth.token()).projectId).toBe(seed.project.id);
  });

  it('application credential auth by id, and by name with its user', async () => {
    const byId = makeAuth({
      method: 'application-credential',
      url: ks.url,
      applicationCredentialId: seed.applicationCredential.id,
      applicationCredentialSecret: seed.applicationCredential.secret,
    });
    expect((await byId.auth.token()).projectId).toBe(seed.project.id);
    const byName = makeAuth({
      method: 'application-credential',
      url: ks.url,
      applicationCredentialName: seed.applicationCredential.name,
      userId: seed.user.id,
      applicationCredentialSecret: seed.applicationCredential.secret,
    });
    expect((await byName.auth.token()).projectId).toBe(seed.project.id);
  });

  it('reuses one token for many concurrent callers until it expires', async () => {
    const { auth } = makeAuth(byIds);
    const tokens = await Promise.all(Array.from({ length: 50 }, () => auth.token()));
    expect(new Set(tokens).size).toBe(1);
    await auth.token();
    expect(await tokensSince()).toBe(1);
  });

  it('after the token is revoked, a refused request causes exactly one re-auth, then succeeds', async () => {
    const { auth, http, events } = makeAuth(byIds);
    const first = await auth.token();
    const revoked = await fetch(`${ks.url}/auth/tokens`, {
      method: 'DELETE',
      headers: { 'x-auth-token': first.value.reveal(), 'x-subject-token': first.value.reveal() },
    });
    expect(revoked.status).toBe(204);
    // Any authenticated Keystone call with the revoked token gets a 401; the client re-auths once for all callers.
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        http.send({ method: 'GET', url: `${ks.url}/auth/projects`, service: 'keystone' }),
      ),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(await tokensSince()).toBe(2);
    expect(events.ofType('reauth').filter((e) => e.reason === 'unauthorized')).toHaveLength(1);
  });

  it('a wrong password is auth-failed, and the message does not contain the password', async () => {
    const wrong = 'WrongPa55-canary-93jf';
    const { auth, events } = makeAuth({ ...byIds, password: wrong });
    const error = await auth.token().catch((e: unknown) => e);
    expect(isBrokerError(error, 'auth-failed')).toBe(true);
    const text = [
      String(error),
      JSON.stringify(error),
      (error as BrokerError).stack,
      JSON.stringify(events.events),
    ].join(' ');
    expect(text).not.toContain(wrong);
    expect((error as BrokerError).requestId).toMatch(/^req-/);
  });

  it('finds endpoints by service alias, region and interface, with the project id substituted', async () => {
    const { auth } = makeAuth(byIds);
    const { catalog, projectId } = await auth.token();
    const regions = Object.entries(seed.regions);
    const v3Region = regions.find(([, types]) => types.includes('volumev3'))?.[0] as string;
    const bsRegion = regions.find(([, types]) => types.includes('block-storage'))?.[0] as string;
    const noVolume = regions.find(
      ([, types]) => !types.some((t) => /volume|block-storage/.test(t)) && types.includes('compute'),
    )?.[0] as string;
    const volumeV3 = findEndpoint(catalog, {
      service: 'volume',
      region: v3Region,
      interfaces: ['internal', 'public'],
      projectId,
    });
    expect(volumeV3).toContain(v3Region);
    expect(volumeV3).toContain(seed.project.id);
    expect(volumeV3).not.toContain('$(');
    const internal = seed.endpoints.find(
      (e) => e.region === v3Region && e.serviceType === 'volumev3' && e.interface === 'internal',
    );
    expect(volumeV3).toBe(internal?.url.replace('$(project_id)s', seed.project.id));
    expect(
      findEndpoint(catalog, { service: 'volume', region: bsRegion, interfaces: ['public'], projectId }),
    ).toContain(bsRegion);
    expect(
      findEndpoint(catalog, { service: 'compute', region: noVolume, interfaces: ['admin'], projectId }),
    ).toContain(noVolume);
    const missing = (() => {
      try {
        findEndpoint(catalog, { service: 'volume', region: noVolume, interfaces: ['public'], projectId });
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(isBrokerError(missing, 'invalid-request')).toBe(true);
    expect((missing as Error).message).toContain(noVolume);
    expect(await tokensSince()).toBe(1);
  });
});
