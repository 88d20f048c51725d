import { defineConfig } from 'vitest/config';

// Browser tests of the staff console against the real server (`npm run build:console` first).
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // One browser and one server at a time: the tests are heavy and share nothing worth the contention.
    fileParallelism: false,
    maxWorkers: 1,
  },
});
