import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    clearMocks: true,
    unstubEnvs: true,
    testTimeout: 20_000,
    coverage: {
      provider: 'v8',
      include: ['functions/**', 'shared/**'],
    },
  },
});
