import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.spec.ts'],
    exclude: ['**/node_modules/**'],
    globalSetup: ['@paystream/kafka-broker/global-setup'],
    // Building an artifact, a base image and a container, or waiting for an alert to fire, takes minutes on two cores.
    testTimeout: 600_000,
    hookTimeout: 600_000,
  },
});
