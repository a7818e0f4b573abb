// The order-state topic keeps a retired order's tombstone through compaction for as long as retired
// ids are remembered (`state.retiredMemoryDays`): a topic created by the worker gets that setting, and
// `paystream topics create` sets it on a state topic that already exists (one of an earlier release,
// or after the setting changed). The worker itself never alters topic configuration: under
// least-privilege ACLs it may not (docs/kafka.md), so that is the operator's step.
import { daysMs, TOMBSTONE_RETENTION_CONFIG } from '@paystream/runtime';
import kafkajs, { type Admin, type Kafka } from 'kafkajs';

// kafkajs is CommonJS: its enums are read from the default export.
const { ConfigResourceTypes, ConfigSource } = kafkajs;

/**
 * Sets the state topic's `delete.retention.ms` to `retiredMemoryDays` when it differs; returns whether
 * it changed. The topic's other settings of its own are written back with it: Kafka's AlterConfigs
 * replaces a topic's whole configuration.
 */
export async function alignTombstoneRetention(kafka: Kafka, topic: string, retiredMemoryDays: number): Promise<boolean> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await align(admin, topic, retiredMemoryDays);
  } finally {
    await admin.disconnect();
  }
}

async function align(admin: Admin, topic: string, retiredMemoryDays: number): Promise<boolean> {
  const wanted = String(daysMs(retiredMemoryDays));
  const described = await admin.describeConfigs({ resources: [{ type: ConfigResourceTypes.TOPIC, name: topic }], includeSynonyms: false });
  const entries = described.resources[0]?.configEntries ?? [];
  if (entries.find((e) => e.configName === TOMBSTONE_RETENTION_CONFIG)?.configValue === wanted) return false;
  const own = entries.filter((e) => e.configSource === ConfigSource.TOPIC_CONFIG && e.configName !== TOMBSTONE_RETENTION_CONFIG);
  await admin.alterConfigs({
    validateOnly: false,
    resources: [
      {
        type: ConfigResourceTypes.TOPIC,
        name: topic,
        configEntries: [
          ...own.map((e) => ({ name: e.configName, value: e.configValue })),
          { name: TOMBSTONE_RETENTION_CONFIG, value: wanted },
        ],
      },
    ],
  });
  return true;
}
