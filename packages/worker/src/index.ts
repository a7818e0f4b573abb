// The composition root's public surface: the CLI entry, for embedding and tests.
export { aclEntry } from './acls/apply.ts';
export type { AclBinding } from './acls/plan.ts';
export { commands, main } from './cli/main.ts';
export { coreConfigFromSimulator } from './config/from-simulator.ts';
export { kafkaSecurityEnvironment, kafkaSecurityFromEnvironment, type KafkaSecurityInput } from './config/kafka-security.ts';
export { kafkaConnection, type KafkaConnection, type KafkaConnectionOptions, type OauthBearerProvider } from './kafka-connection.ts';
export { WORKER_NODE_FLAGS } from './node-flags.ts';
export { pluginModules } from './plugins.ts';
export { startTracing, type Tracing } from './tracing/index.ts';
export { ensureTopics, pluginTopics, runWorker, selectPlugins, type RunningWorker, type WorkerOptions } from './worker.ts';
