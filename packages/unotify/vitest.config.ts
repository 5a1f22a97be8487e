import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    // Set-up and clean-up of large fixtures under a loaded CI machine.
    hookTimeout: 120_000,
  },
});
