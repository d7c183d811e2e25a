// The openstacksdk client of bench/real.mjs: bench/lib/real_sdk_worker.py under the system
// python (/usr/bin/python3), Debian's python3-openstacksdk installed with apt-get when missing.
// Its operations return the time the library itself took, measured in the worker.
import { execFileSync, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const PY = '/usr/bin/python3';
const here = dirname(fileURLToPath(import.meta.url));

/** Installs python3-openstacksdk from Debian's packages if the system python lacks it. */
export function ensureOpenstacksdk(log) {
  const has = () => {
    try {
      return execFileSync(PY, ['-c', 'import openstack.version as v; print(v.__version__)'], {
        stdio: ['ignore', 'pipe', 'ignore'],
      })
        .toString()
        .trim();
    } catch {
      return undefined;
    }
  };
  let version = has();
  if (!version) {
    log('real: installing python3-openstacksdk (apt-get)');
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'python3-openstacksdk'], {
      stdio: 'ignore',
    });
    version = has();
    if (!version) throw new Error('python3-openstacksdk did not install');
  }
  return version;
}

/** Starts the worker on the proxy's Keystone URL; the password goes by environment only. */
export async function sdkClient(state, keystoneUrl, fixtures) {
  const child = spawn(PY, [join(here, 'real_sdk_worker.py')], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      HB_BENCH_AUTH_URL: keystoneUrl,
      HB_BENCH_USERNAME: state.adminUser,
      HB_BENCH_PASSWORD: state.adminPassword,
      HB_BENCH_PROJECT: state.adminProject,
    },
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const send = async (cmd) => {
    child.stdin.write(`${JSON.stringify(cmd)}\n`);
    const { value, done } = await lines.next();
    if (done) throw new Error('openstacksdk worker exited');
    const answer = JSON.parse(value);
    if (!answer.ok) throw new Error(`openstacksdk: ${answer.error}`);
    return answer.ms;
  };
  return {
    name: 'openstacksdk',
    warm: (server, volume) => send({ op: 'warm', server, volume }),
    seqCycle: (server, volume) => send({ op: 'seq', server, volume }),
    attachAll: (pairs) => send({ op: 'attachAll', pairs }),
    detachAll: (pairs) => send({ op: 'detachAll', pairs }),
    haCycle: (name) =>
      send({ op: 'ha', name, image: fixtures.image, flavor: fixtures.flavor, zone: fixtures.zone }),
    close: async () => {
      child.stdin.end();
      await new Promise((r) => child.once('exit', r));
    },
  };
}
