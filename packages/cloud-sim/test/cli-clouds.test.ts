import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/cli-main.js';
import { call } from './helpers/sim-client.js';

// Issue 26: one `cloud-sim` serves OpenStack, EC2 and ARM, seeds volumes and prints
// a config file per cloud with its zones, images and flavors.
describe('cloud-sim serves all three clouds', () => {
  it('starts OpenStack, EC2 and ARM on loopback, with 3 seeded volumes each', async () => {
    const run = await runCli(['--delay-ms', '5']);
    try {
      expect(run.ec2.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(run.arm.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(new Set([run.sim.url, run.ec2.url, run.arm.url]).size).toBe(3);
      const osVolumes = run.clouds.openstack.volumes.map((id) => run.sim.openstack.getVolume(id));
      expect(osVolumes.map((v) => [v?.status, v?.availabilityZone])).toEqual(
        Array(3).fill(['available', 'RegionOne']),
      );
      expect(run.clouds.aws.volumes).toHaveLength(3);
      for (const id of run.clouds.aws.volumes) expect(run.ec2.cloud.volumes.has(id)).toBe(true);
      expect(run.clouds.azure.volumes).toHaveLength(3);
      expect(run.clouds.azure.volumes[0]).toMatch(
        /\/resourceGroups\/sg-rg\/providers\/Microsoft\.Compute\/disks\/vol-1$/,
      );
      // the admin API answers without a token
      expect(
        (await call('GET', `${run.sim.url}/_sim/openstack/volumes/${run.clouds.openstack.volumes[0]}`))
          .status,
      ).toBe(200);
    } finally {
      await run.stop();
    }
  });

  it('writes a config per cloud and prints its path, zones, images and flavors', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cloud-sim-test-'));
    const run = await runCli(['--config-dir', dir]);
    try {
      const files = ['openstack', 'aws', 'azure'].map((name) => join(dir, `${name}.yaml`));
      expect(Object.values(run.clouds).map((c) => c.config)).toEqual(files);
      expect(readFileSync(files[0] ?? '', 'utf8')).toContain(`url: ${run.sim.keystoneUrl}`);
      expect(readFileSync(files[1] ?? '', 'utf8')).toContain(`endpoint: ${run.ec2.url}`);
      expect(readFileSync(files[2] ?? '', 'utf8')).toContain(`subscriptionId: ${run.arm.subscriptionId}`);
      for (const line of [
        `openstack: config ${files[0]}`,
        `  try:     hybrid-broker --config ${files[1]} volume list aws`,
        `azure: config ${files[2]}`,
        '  zones:   RegionOne',
        '  flavors: m1.tiny, m1.small, m1.medium, m1.large',
        '  images:  cirros-0.6.2-x86_64-disk, sg-client, sg-server',
        '  zones:   us-east-1a, us-east-1b',
        '  flavors: t3.micro, t3.small, m5.large',
      ]) {
        expect(run.guide.split('\n')).toContain(line);
      }
      expect(JSON.parse(run.summary).clouds.aws.config).toBe(files[1]);
    } finally {
      await run.stop();
    }
    // a directory the user named stays; only a temporary one is removed
    expect(existsSync(join(dir, 'aws.yaml'))).toBe(true);
    await rm(dir, { recursive: true, force: true });
  });

  it("serves Entra ID over https for azure.yaml's client secret, printed nowhere else", async () => {
    const run = await runCli([]);
    try {
      const yaml = readFileSync(run.clouds.azure.config, 'utf8');
      const entraUrl = /authorityHost: (https:\/\/127\.0\.0\.1:\d+)$/m.exec(yaml)?.[1];
      expect(entraUrl).toBeDefined();
      expect(yaml).toMatch(/authorityCaFile: .*entra-ca\.pem$/m);
      const secret = /clientSecret: (\S+)$/m.exec(yaml)?.[1] ?? '';
      expect(secret).toMatch(/^sim~/);
      expect(run.guide).toContain(
        `try:     hybrid-broker --config ${run.clouds.azure.config} volume list azure`,
      );
      expect(run.guide).toContain(`entra id: ${entraUrl}`);
      expect(run.guide + run.summary).not.toContain(secret);
    } finally {
      await run.stop();
    }
  });

  it('removes its temporary config directory on stop', async () => {
    const run = await runCli([]);
    const dir = dirname(run.clouds.openstack.config);
    expect(existsSync(dir)).toBe(true);
    await run.stop();
    expect(existsSync(dir)).toBe(false);
  });
});
