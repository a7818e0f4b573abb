// Vitest globalSetup for suites that need Kafka: start the test broker once, stop it only if we started it.
import type { TestProject } from 'vitest/node';
import { ensureBroker } from './testing.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string[];
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const broker = await ensureBroker();
  project.provide('kafkaBrokers', broker.brokers);
  return () => broker.stop();
}
