import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.spec.ts'],
    exclude: ['**/node_modules/**'],
    globalSetup: ['@paystream/kafka-broker/global-setup', '../harness/src/key-stores-setup.ts'],
    // Generous: CI runs two projects at once on two cores, so a whole-system step can take minutes.
    testTimeout: 300_000,
    hookTimeout: 120_000,
  },
});
