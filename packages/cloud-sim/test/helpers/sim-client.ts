import type { CloudSim } from '../../src/index.js';

/** Whatever `JSON.parse` returns: tests navigate response bodies freely and assert on them. */
export type JsonBody = ReturnType<typeof JSON.parse>;

/** A parsed response. */
export interface Reply {
  status: number;
  headers: Headers;
  body: JsonBody;
}

/** Sends a request and parses any JSON body. */
export async function call(
  method: string,
  url: string,
  options: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers['x-auth-token'] = options.token;
  let payload: string | undefined = options.raw;
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(options.body);
  }
  const res = await fetch(url, { method, headers, ...(payload === undefined ? {} : { body: payload }) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

/** A password auth body for the sim's default user, scoped to its project by name. */
export function passwordAuth(sim: CloudSim): unknown {
  const c = sim.credentials;
  return {
    auth: {
      identity: {
        methods: ['password'],
        password: { user: { name: c.username, domain: { name: c.userDomainName }, password: c.password } },
      },
      scope: { project: { name: c.projectName, domain: { name: c.projectDomainName } } },
    },
  };
}

/** A logged-in session: token plus endpoint look-up in its catalog. */
export interface Session {
  token: string;
  tokenBody: JsonBody;
  /** The URL of `type` in `region` for `iface` (public by default). */
  url(type: string, region?: string, iface?: string): string;
}

/** Authenticates the default user and returns the session. */
export async function login(sim: CloudSim, body: unknown = passwordAuth(sim)): Promise<Session> {
  const reply = await call('POST', `${sim.keystoneUrl}/auth/tokens`, { body });
  if (reply.status !== 201) throw new Error(`login failed: ${reply.status} ${JSON.stringify(reply.body)}`);
  const token = reply.headers.get('x-subject-token') ?? '';
  const catalog: { type: string; endpoints: { region: string; interface: string; url: string }[] }[] =
    reply.body.token.catalog;
  return {
    token,
    tokenBody: reply.body,
    url(type, region = sim.credentials.regions[0], iface = 'public') {
      const found = catalog
        .find((s) => s.type === type)
        ?.endpoints.find((e) => e.region === region && e.interface === iface);
      if (!found) throw new Error(`no ${type} endpoint in ${region}`);
      return found.url;
    },
  };
}

/** Polls `read` until `done` holds (or throws after `timeoutMs`). */
export async function waitFor<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 2000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`condition not met in ${timeoutMs} ms: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** Fast delays for tests. */
export const FAST = {
  serverBuildMs: 10,
  serverDeleteMs: 10,
  volumeCreateMs: 5,
  volumeDeleteMs: 5,
  attachMs: 5,
  detachMs: 5,
};
