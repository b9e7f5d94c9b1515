import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Network-namespace tests share the kernel; two workers match the 2-core machines we run on.
    maxWorkers: 2,
  },
});
