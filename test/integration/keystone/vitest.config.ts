import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Integration suite against a real Keystone (see README.md). Needs scripts/keystone/install.sh
// to have run (as root) or runs it itself when keystone is missing and we are root.
export default defineConfig({
  root: fileURLToPath(new URL('../../..', import.meta.url)),
  resolve: { conditions: ['@hybrid-broker/source'] },
  ssr: { resolve: { conditions: ['@hybrid-broker/source'] } },
  test: {
    include: ['test/integration/keystone/**/*.test.ts'],
    globalSetup: ['test/integration/keystone/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // One Keystone, single-threaded server: run files one after another.
    fileParallelism: false,
  },
});
