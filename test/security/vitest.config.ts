import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.spec.ts'],
    exclude: ['**/node_modules/**'],
    globalSetup: ['@paystream/kafka-broker/global-setup'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
