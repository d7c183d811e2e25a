import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The moto run: `vitest run -c test/integration/moto/vitest.config.ts` (root `pnpm test:moto`).
// Its globalSetup starts moto_server on a free loopback port and stops it afterwards.
export default defineConfig({
  root: fileURLToPath(new URL('../../..', import.meta.url)),
  resolve: { conditions: ['@hybrid-broker/source'] },
  ssr: { resolve: { conditions: ['@hybrid-broker/source'] } },
  test: {
    include: ['test/integration/moto/**/*.test.ts'],
    globalSetup: ['test/integration/moto/moto-global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
