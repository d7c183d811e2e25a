/**
 * Secrets that do not come from the broker config itself (clouds.yaml,
 * secure.yaml, OS_* variables, `${ENV}` in a config file, user info in a URL,
 * a YAML file that does not parse) against a "Keystone" that echoes the whole
 * request in its error body: none of them appears in the error (message,
 * stack, cause chain, JSON, util.inspect with hidden properties at any depth),
 * in events, in debug log lines, or in the CLI's normal, --verbose and --json output.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../packages/cli/src/index.js';
import { capturedIo } from '../../packages/cli/test/support/captured-io.js';
import { type BrokerConfig, createBroker, loadConfigFile } from '../../packages/core/src/index.js';
import { openstackDriver } from '../../packages/driver-openstack/src/index.js';
import { createCapture, leaks } from './capture.js';
import { startEchoServer } from './echo-server.js';
import { runWatch } from './watch-run.js';

const CANARY = {
  clouds: 'canary-clouds-yaml-pw-3b5d7f9a1c',
  secure: 'canary-secure-yaml-pw-8e0a2c4e6f',
  env: 'canary-os-env-pw-1f3a5c7e9b',
  interpolated: 'canary-interpolated-pw-6d8f0b2d4a',
  userinfo: 'canary-userinfo-pw-2c4e6a8c0e',
  yaml: 'canary-yaml-syntax-pw-9a1c3e5a7c',
};
const ALL = Object.values(CANARY);
const VOLUME = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

let echo: Awaited<ReturnType<typeof startEchoServer>>;
let dir: string;
beforeAll(async () => {
  echo = await startEchoServer();
  dir = await mkdtemp(join(tmpdir(), 'hb-secrets-'));
  const auth = (password?: string) =>
    `      auth_url: ${echo.url}\n      username: demo\n${password ? `      password: ${password}\n` : ''}      project_name: demo\n      user_domain_name: Default\n      project_domain_name: Default\n`;
  await writeFile(
    join(dir, 'clouds.yaml'),
    `clouds:\n  echo:\n    auth:\n${auth(CANARY.clouds)}  split:\n    auth:\n${auth()}`,
  );
  await writeFile(
    join(dir, 'secure.yaml'),
    `clouds:\n  split:\n    auth:\n      password: ${CANARY.secure}\n`,
  );
  const platform = (body: string) =>
    `platforms:\n  lab:\n    driver: openstack\n    requestTimeoutMs: 2000\n    retry: { maxAttempts: 1 }\n${body}`;
  await writeFile(
    join(dir, 'clouds.config.yaml'),
    platform(`    cloud: echo\n    cloudsFile: ${join(dir, 'clouds.yaml')}\n`),
  );
  await writeFile(
    join(dir, 'secure.config.yaml'),
    platform(`    cloud: split\n    cloudsFile: ${join(dir, 'clouds.yaml')}\n`),
  );
  await writeFile(join(dir, 'env.config.yaml'), platform('    useEnvironment: true\n'));
  const direct = (password: string, url = echo.url) =>
    `    auth:\n      method: password\n      url: ${url}\n      username: demo\n      password: ${password}\n      userDomainName: Default\n      projectName: demo\n      projectDomainName: Default\n    region: RegionOne\n`;
  await writeFile(join(dir, 'interpolated.config.yaml'), platform(direct('${CANARY_PASSWORD}')));
  const withUserinfo = echo.url.replace('http://', `http://demo:${CANARY.userinfo}@`);
  await writeFile(join(dir, 'userinfo.config.yaml'), platform(direct('elsewhere-pw-0000', withUserinfo)));
  // A tab where YAML wants spaces, on the password's line: the parser quotes that line.
  await writeFile(
    join(dir, 'syntax.config.yaml'),
    platform(`    auth:\n      password: ${CANARY.yaml}\n\t  url: [unclosed\n`),
  );
});
afterAll(async () => {
  await echo?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});
afterEach(() => {
  vi.unstubAllEnvs();
});

/** Environment the driver reads (process.env) and the CLI gets, per source. */
function environment(source: string): Record<string, string> {
  if (source === 'secure') return { OS_CLIENT_SECURE_FILE: join(dir, 'secure.yaml') };
  if (source === 'env') {
    return {
      OS_AUTH_URL: echo.url,
      OS_USERNAME: 'demo',
      OS_PASSWORD: CANARY.env,
      OS_PROJECT_NAME: 'demo',
      OS_USER_DOMAIN_NAME: 'Default',
      OS_PROJECT_DOMAIN_NAME: 'Default',
    };
  }
  if (source === 'interpolated') return { CANARY_PASSWORD: CANARY.interpolated };
  return {};
}

const SOURCES = ['clouds', 'secure', 'env', 'interpolated'] as const;

describe('secrets from every source stay out of what the broker reports', () => {
  it.each(SOURCES)('%s: the echoed password is in no error, event or debug log line', async (source) => {
    const env = environment(source);
    for (const [key, value] of Object.entries(env)) vi.stubEnv(key, value);
    const capture = createCapture();
    const config = (await loadConfigFile(join(dir, `${source}.config.yaml`), {
      ...process.env,
      ...env,
    })) as BrokerConfig;
    const broker = createBroker(config, {
      drivers: [openstackDriver],
      services: { events: capture.events, logger: capture.logger },
    });
    const before = echo.requests();
    const error = await broker
      .platform('lab')
      .getVolume({ volumeId: VOLUME })
      .catch((e: unknown) => e);
    await broker.close();
    // The password really went out and came back in the error body: the scrub had work to do.
    expect(echo.requests()).toBeGreaterThan(before);
    expect(error).toMatchObject({ code: 'invalid-request', statusCode: 400 });
    expect(String((error as Error).message)).toContain('[redacted]');
    capture.caught(error);
    expect(leaks(capture, ALL)).toEqual([]);
  });

  it('user info in a URL is refused at config time, naming the field, without the URL', async () => {
    const config = (await loadConfigFile(join(dir, 'userinfo.config.yaml'))) as BrokerConfig;
    const capture = createCapture();
    let error: unknown;
    try {
      createBroker(config, { drivers: [openstackDriver] });
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'invalid-request', field: 'platforms.lab.auth.url' });
    expect(String((error as Error).message)).toMatch(/without user info/);
    capture.caught(error);
    expect(leaks(capture, [CANARY.userinfo, 'demo:canary'])).toEqual([]);
  });

  it('a YAML syntax error says where, never the line (which holds a password)', async () => {
    const error = await loadConfigFile(join(dir, 'syntax.config.yaml')).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'invalid-request', field: 'config' });
    expect(String((error as Error).message)).toMatch(/is not valid YAML: \w+ at line \d+, column \d+/);
    const capture = createCapture();
    capture.caught(error);
    expect(leaks(capture, [CANARY.yaml])).toEqual([]);
  });
});

describe('secrets from every source stay out of every CLI output mode', () => {
  const CASES = [...SOURCES, 'userinfo', 'syntax'] as const;
  // Every command that reaches the cloud: reads, lists, the move, a forced detach, a volume create and delete.
  // Every command that reaches the cloud: reads, lists, the move, a forced detach and the power calls.
  const SERVER = 'a0000000-0000-4000-8000-0000000000aa';
  const COMMANDS = [
    ['volume', 'get', 'lab', VOLUME],
    ['server', 'list', 'lab', '--name', 'sg', '--metadata', 'role=sg'],
    ['volume', 'list', 'lab', '--status', 'in-use'],
    ['image', 'list', 'lab', '--name', 'sg-server', '--status', 'available'],
    ['flavor', 'list', 'lab', '--min-vcpus', '2', '--min-ram', '2048'],
    ['volume', 'move', 'lab', VOLUME, SERVER, 'a0000000-0000-4000-8000-0000000000bb'],
    ['volume', 'detach', 'lab', VOLUME, SERVER, '--force'],
    [
      'volume',
      'create',
      'lab',
      'v1',
      '--size',
      '1',
      '--availability-zone',
      'nova',
      '--idempotency-key',
      'k1',
    ],
    ['volume', 'delete', 'lab', VOLUME],
    ['server', 'start', 'lab', SERVER],
    ['server', 'stop', 'lab', SERVER, '--deallocate'],
    ['server', 'reboot', 'lab', SERVER, '--hard'],
    ['snapshot', 'create', 'lab', VOLUME, 's1', '--force', '--idempotency-key', 'k2'],
    ['snapshot', 'get', 'lab', 'a0000000-0000-4000-8000-0000000000cc'],
    ['snapshot', 'list', 'lab', '--volume', VOLUME, '--metadata', 'role=sg'],
    ['snapshot', 'delete', 'lab', 'a0000000-0000-4000-8000-0000000000cc'],
    ['volume', 'tag', 'lab', VOLUME, 'owner=replica-a', '--remove', 'old'],
    ['server', 'tag', 'lab', SERVER, 'owner=replica-a', '--remove', 'old'],
  ];
  it.each(CASES)('%s: normal, --verbose and --json output carry no canary', async (source) => {
    const env = environment(source);
    for (const [key, value] of Object.entries(env)) vi.stubEnv(key, value);
    const outputs: string[] = [];
    for (const command of COMMANDS) {
      for (const mode of [[], ['--verbose'], ['--json']]) {
        const io = capturedIo({ cwd: dir, env: { ...env } });
        const args = [...mode, '--config', join(dir, `${source}.config.yaml`), ...command];
        const code = await runCli(args, io);
        expect(code, command.join(' ')).not.toBe(0);
        outputs.push(`${io.out()}\n${io.err()}`);
      }
    }
    // Each mode said why it failed, so there was output to scan.
    for (const output of outputs) expect(output).toMatch(/invalid|error/i);
    // Where the password reached the echo server, it came back and was cut out.
    if ((SOURCES as readonly string[]).includes(source)) {
      for (const output of outputs) expect(output).toContain('[redacted]');
    }
    for (const canary of ALL) for (const output of outputs) expect(output).not.toContain(canary);
  });
  it.each(CASES)('%s: watch, stopped after its first error event, carries no canary', async (source) => {
    const env = environment(source);
    for (const [key, value] of Object.entries(env)) vi.stubEnv(key, value);
    const outputs: string[] = [];
    for (const mode of [[], ['--verbose'], ['--json']]) {
      const args = [
        ...mode,
        '--config',
        join(dir, `${source}.config.yaml`),
        'watch',
        'lab',
        '--poll-ms',
        '50',
      ];
      outputs.push((await runWatch(args, { cwd: dir, env: { ...env }, stopAt: /error/ })).output);
    }
    for (const output of outputs) expect(output).toMatch(/invalid|error/i);
    if ((SOURCES as readonly string[]).includes(source)) {
      for (const output of outputs) expect(output).toContain('[redacted]');
    }
    for (const canary of ALL) for (const output of outputs) expect(output).not.toContain(canary);
  });
});
