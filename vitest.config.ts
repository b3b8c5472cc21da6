import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/**/*.test.ts'],
    // The model tests train and run a real CNN on one wasm thread.
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
