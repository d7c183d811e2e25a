// Start, seed and stop a REAL OpenStack Keystone (Debian python3-keystone, Zed) on 127.0.0.1 for
// integration tests. The heavy lifting is in scripts/keystone/{install,start,seed,stop}; this module
// only runs them and parses what they print. Usable from a vitest globalSetup or a beforeAll.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const scriptsDir = join(repoRoot, 'scripts/keystone');

/** One seeded endpoint, as registered (URL still holds the literal `$(project_id)s`). */
export interface SeedEndpoint {
  id: string;
  region: string;
  serviceType: string;
  serviceName: string;
  serviceId: string;
  interface: 'public' | 'internal' | 'admin';
  url: string;
}

/** What scripts/keystone/seed.mjs wrote (`<dir>/seed.json`). */
export interface SeedInfo {
  /** Identity v3 base, e.g. `http://127.0.0.1:41389/v3` (no trailing slash). */
  url: string;
  /** Same without `/v3`. */
  keystoneUrl: string;
  /** Region made by `keystone-manage bootstrap`; it holds only the identity service. */
  bootstrapRegion: string;
  /** Seeded region -> service types it offers. */
  regions: Record<string, string[]>;
  /** Service type -> { id, name }. */
  services: Record<string, { id: string; name: string }>;
  endpoints: SeedEndpoint[];
  endpointBase: string;
  domain: { id: string; name: string };
  project: { id: string; name: string; domainId: string };
  user: { id: string; name: string; domainId: string; password: string };
  role: { id: string; name: string };
  applicationCredential: { id: string; name: string; secret: string; userId: string };
  admin: { name: string; password: string; project: string; domainId: string };
  timings: { seedMs: number; tokens: number; tokenMs: number[] };
}

/** What scripts/keystone/start.sh wrote to its state file. */
export interface KeystoneState {
  url: string;
  port: number;
  pid: number;
  dir: string;
  region: string;
  adminUser: string;
  adminPassword: string;
  adminProject: string;
  adminDomain: string;
  conf: string;
  log: string;
  startMs: number;
}

/** Serializable part (safe for vitest `provide`/`inject`). */
export interface KeystoneInfo {
  /** Identity v3 base URL, `http://127.0.0.1:PORT/v3`. */
  url: string;
  seed: SeedInfo;
  state: KeystoneState;
  stateFile: string;
  /** wsgiref access log: one line per request, used to count token requests. */
  accessLog: string;
  timings: { installMs: number; startMs: number; seedMs: number };
}

export interface RunningKeystone extends KeystoneInfo {
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Run install.sh first (needs root). Default: only when keystone-wsgi-public is missing. */
  install?: boolean | 'if-missing';
  /** Where start.sh writes its state; default inside its temp dir. */
  stateFile?: string;
  /** Forward script stderr (progress lines) to this process's stderr. Default true. */
  verbose?: boolean;
}

function keystoneInstalled(): boolean {
  return existsSync('/usr/bin/keystone-wsgi-public') && existsSync('/usr/bin/keystone-manage');
}

async function sh(file: string, args: string[], verbose: boolean, env?: NodeJS.ProcessEnv) {
  try {
    const { stdout, stderr } = await run(file, args, {
      cwd: repoRoot,
      env: { ...process.env, ...env },
      maxBuffer: 16 * 1024 * 1024,
    });
    if (verbose && stderr.trim()) process.stderr.write(stderr.endsWith('\n') ? stderr : `${stderr}\n`);
    return stdout;
  } catch (err) {
    const e = err as { stderr?: string; stdout?: string; message: string };
    throw new Error(`${file} ${args.join(' ')} failed: ${e.message}\n${e.stderr ?? ''}`);
  }
}

const lastJsonLine = (out: string): unknown => {
  const line = out.trim().split('\n').pop();
  if (!line) throw new Error('script printed nothing');
  return JSON.parse(line);
};

/**
 * Install (if needed and allowed), start, and seed a real Keystone on 127.0.0.1:<free port>.
 * `stop()` kills it by pid and removes its temp dir.
 */
export async function startKeystone(options: StartOptions = {}): Promise<RunningKeystone> {
  const verbose = options.verbose ?? true;
  const install = options.install ?? 'if-missing';
  let installMs = 0;
  if (install === true || (install === 'if-missing' && !keystoneInstalled())) {
    const t0 = performance.now();
    await sh(join(scriptsDir, 'install.sh'), [], verbose);
    installMs = Math.round(performance.now() - t0);
  }
  if (!keystoneInstalled()) {
    throw new Error('Keystone is not installed: run `sudo scripts/keystone/install.sh` first');
  }

  const t1 = performance.now();
  const startArgs = options.stateFile ? [options.stateFile] : [];
  const state = lastJsonLine(await sh(join(scriptsDir, 'start.sh'), startArgs, verbose)) as KeystoneState;
  const startMs = Math.round(performance.now() - t1);
  const stateFile = options.stateFile ?? join(state.dir, 'state.json');

  const stop = async () => {
    await sh(join(scriptsDir, 'stop.sh'), [stateFile], verbose);
  };

  try {
    const t2 = performance.now();
    const seed = lastJsonLine(
      await sh(process.execPath, [join(scriptsDir, 'seed.mjs'), stateFile], verbose),
    ) as SeedInfo;
    const seedMs = Math.round(performance.now() - t2);
    return {
      url: state.url,
      seed,
      state,
      stateFile,
      accessLog: join(state.dir, 'server.log'),
      timings: { installMs, startMs, seedMs },
      stop,
    };
  } catch (err) {
    await stop().catch(() => {});
    throw err;
  }
}

/**
 * Number of `POST /v3/auth/tokens` requests Keystone has served so far (any status), read from
 * its access log. Take it before and after a piece of code to count the tokens it asked for.
 */
export function countTokenRequests(info: Pick<KeystoneInfo, 'accessLog'>, status?: number): number {
  const log = readFileSync(info.accessLog, 'utf8');
  const re = /"POST \/v3\/auth\/tokens(?:\?[^ ]*)? HTTP\/1\.[01]" (\d{3}) /g;
  let n = 0;
  for (const m of log.matchAll(re)) if (status === undefined || Number(m[1]) === status) n++;
  return n;
}

/**
 * The token-request count once the access log has settled: wsgiref writes a
 * request's log line after the response went out, so a count taken right after
 * a previous test's last token request can miss it.
 */
export async function settledTokenCount(info: Pick<KeystoneInfo, 'accessLog'>): Promise<number> {
  let previous = countTokenRequests(info);
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 150));
    const now = countTokenRequests(info);
    if (now === previous) return now;
    previous = now;
  }
}
