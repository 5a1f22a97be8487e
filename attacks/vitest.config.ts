import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 240_000,
    // Compiling the corpus with gcc under a loaded CI machine.
    hookTimeout: 240_000,
    // The corpus and the load tests each use both cores: one file at a time.
    fileParallelism: false,
  },
});
