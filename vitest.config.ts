import { availableParallelism } from 'node:os';
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
    // One worker per core: vitest's default leaves a core idle, which on the 2-core machines CI and
    // the brief name made npm test take 4 minutes instead of 2.5.
    maxWorkers: availableParallelism(),
    coverage: {
      provider: 'v8',
      include: ['functions/**', 'shared/**'],
    },
  },
});
