import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/index.js';
import { capturedIo } from './support/captured-io.js';
import { workDir } from './support/cli-process.js';

const CONFIG = `
platforms:
  lab:
    driver: memory
    images:
      - cirros
      - { id: img-sg-1, name: sg-server, minDiskGiB: 10, minRamMiB: 2048 }
      - { id: img-sg-2, name: sg-server, status: pending }
    flavors:
      - m1.small
      - { id: m1-large, name: m1.large, vcpus: 4, ramMiB: 8192, diskGiB: 80 }
`;

let dir: Awaited<ReturnType<typeof workDir>>;
beforeAll(async () => {
  dir = await workDir({ 'hybrid-broker.yaml': CONFIG });
});
afterAll(async () => {
  await dir?.remove();
});

async function run(...args: string[]) {
  const io = capturedIo({ cwd: dir.path });
  const code = await runCli(args, io);
  return { code, stdout: io.out(), stderr: io.err() };
}

describe('image list and flavor list', () => {
  it('image list prints a table, filters by --name and --status, and --json prints the images', async () => {
    const all = await run('image', 'list', 'lab');
    expect(all.code).toBe(0);
    expect(all.stdout).toMatch(/^ID\s+NAME\s+STATUS\s+MIN DISK\s+MIN RAM\s+REGION/);
    expect(all.stdout).toMatch(/img-sg-1\s+sg-server\s+available\s+10 GiB\s+2048 MiB\s+-/);
    const json = await run('--json', 'image', 'list', 'lab', '--name', 'sg-server', '--status', 'available');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual([
      {
        id: 'img-sg-1',
        name: 'sg-server',
        status: 'available',
        providerStatus: 'available',
        minDiskGiB: 10,
        minRamMiB: 2048,
      },
    ]);
    const none = await run('image', 'list', 'lab', '--name', 'nothing');
    expect(none.stdout.trim()).toBe('(no images)');
  });

  it('flavor list filters by --min-vcpus and --min-ram', async () => {
    const big = await run('--json', 'flavor', 'list', 'lab', '--min-vcpus', '2', '--min-ram', '4096');
    expect(big.code).toBe(0);
    expect((JSON.parse(big.stdout) as { name: string }[]).map((f) => f.name)).toEqual(['m1.large']);
    const text = await run('flavor', 'list', 'lab');
    expect(text.stdout).toMatch(/m1-large\s+m1\.large\s+4\s+8192 MiB\s+80 GiB/);
  });

  it('bad flags are invalid-request naming the field (exit 2)', async () => {
    const status = await run('--json', 'image', 'list', 'lab', '--status', 'bogus');
    expect(status.code).toBe(2);
    expect(JSON.parse(status.stderr)).toMatchObject({ error: { code: 'invalid-request', field: 'status' } });
    const vcpus = await run('flavor', 'list', 'lab', '--min-vcpus', 'two');
    expect(vcpus.code).toBe(2);
    expect(vcpus.stderr).toContain('--min-vcpus: expected a whole number');
  });

  it('server create takes the image and flavor by name; a shared or unknown name names the field', async () => {
    const shared = await run(
      '--json',
      'server',
      'create',
      'lab',
      'a',
      '--image',
      'sg-server',
      '--flavor',
      'm1.small',
    );
    expect(shared.code).toBe(2);
    expect(JSON.parse(shared.stderr)).toMatchObject({ error: { field: 'image' } });
    const unknown = await run('server', 'create', 'lab', 'a', '--image', 'cirros', '--flavor', 'm9.huge');
    expect(unknown.stderr).toContain('flavor "m9.huge" not found; known: m1.small, m1.large');
  });
});
