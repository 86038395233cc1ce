// Unit tests are fast and exact; integration tests spawn real processes and take seconds each.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 120_000,
    // Integration runs burn CPU on purpose; one file at a time keeps a 2-core machine honest.
    fileParallelism: false,
  },
});
