import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // two cores here and in CI: most e2e time is spent in child processes, so keep both busy
    maxWorkers: 2,
  },
});
