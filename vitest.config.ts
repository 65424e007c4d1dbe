import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    // Builds the function bundles once: the sandbox's integration tests run what deploys.
    globalSetup: ['test/global-setup.ts'],
    clearMocks: true,
    unstubEnvs: true,
    testTimeout: 20_000,
    coverage: {
      provider: 'v8',
      include: ['functions/**', 'shared/**'],
    },
  },
});
