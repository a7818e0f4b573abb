import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.spec.ts', 'test/**/*.spec.ts'],
    globalSetup: ['@paystream/kafka-broker/global-setup'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
