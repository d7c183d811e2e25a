import { defineConfig } from 'vitest/config';

// Tests run against the packages' TypeScript sources (the custom export condition),
// so one copy of each class exists and no build is needed before a test run.
export default defineConfig({
  resolve: { conditions: ['@hybrid-broker/source'] },
  ssr: { resolve: { conditions: ['@hybrid-broker/source'] } },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: [
      '**/node_modules/**',
      'test/integration/moto/**',
      'test/integration/keystone/**',
      'test/integration/openstack-real/**',
    ],
    testTimeout: 15_000,
    hookTimeout: 15_000,
    pool: 'forks',
  },
});
