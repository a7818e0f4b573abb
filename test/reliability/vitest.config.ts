import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.spec.ts'],
    exclude: ['**/node_modules/**'],
    globalSetup: ['@paystream/kafka-broker/global-setup'],
    // Each scenario runs a whole system (simulator, worker processes, collector) on two cores: one at
    // a time, or they would measure each other.
    fileParallelism: false,
    testTimeout: 900_000,
    hookTimeout: 300_000,
  },
});
