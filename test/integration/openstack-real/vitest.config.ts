import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The drivers against a real OpenStack (see README.md "test:openstack-real"): the local Zed stack
// of scripts/openstack/ (installed and started by global-setup.ts), or a staging cloud named by
// OS_REAL_CLOUD in clouds.yaml.
export default defineConfig({
  root: fileURLToPath(new URL('../../..', import.meta.url)),
  resolve: { conditions: ['@hybrid-broker/source'] },
  ssr: { resolve: { conditions: ['@hybrid-broker/source'] } },
  test: {
    include: ['test/integration/openstack-real/**/*.test.ts'],
    globalSetup: ['test/integration/openstack-real/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // One cloud and one compute host: the files run one after another, cross-zone settings last.
    fileParallelism: false,
    sequence: { shuffle: false },
    reporters: ['verbose', './test/integration/openstack-real/failure-report.ts'],
  },
});
