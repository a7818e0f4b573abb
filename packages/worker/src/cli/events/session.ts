// What an `events` command holds while it runs: the configuration's Kafka client and an admin, the
// worker's event keys (public ones to verify recorded events, the signing one for the audit), and
// the audit writer — opened before anything is done, so an action that cannot be audited never starts.
import type { Admin, Kafka } from 'kafkajs';
import type { PublishedKey } from '@paystream/contracts';
import type { CoreServices } from '@paystream/core';
import { AuditWriter, cliActor, topology, type AuditRecord, type Topology } from '@paystream/runtime';
import { coreConfigOf, loadWorkerConfig, type WorkerConfig } from '../../config/worker-config.ts';
import { openCommandCore } from '../command-core.ts';
import { configFlags } from '../commands/config-flags.ts';
import { cliKafka } from '../commands/worker.ts';
import { actorOption } from './options.ts';

type Values = Record<string, string | boolean | string[] | undefined>;

export interface EventsSession {
  readonly config: Readonly<WorkerConfig>;
  readonly kafka: Kafka;
  readonly admin: Admin;
  readonly names: Topology;
  /** The worker's event-signing public keys (every configured one: a rotation's older keys verify older events). */
  readonly keys: readonly PublishedKey[];
  audit(record: AuditRecord): Promise<void>;
  close(): Promise<void>;
}

async function closeAll(parts: readonly (() => Promise<void>)[]): Promise<void> {
  await Promise.allSettled(parts.map((close) => close()));
}

export async function openEventsSession(values: Values): Promise<EventsSession> {
  const actor = cliActor(actorOption(values));
  const { config } = loadWorkerConfig(configFlags(values));
  const core: CoreServices = await openCommandCore(coreConfigOf(config));
  const kafka = cliKafka(config);
  const admin = kafka.admin();
  const names = topology(config.kafka.topicPrefix);
  let writer: AuditWriter;
  try {
    await admin.connect();
    writer = await AuditWriter.open(kafka, admin, names.audit, core.eventSigner, actor);
  } catch (err) {
    await closeAll([() => admin.disconnect(), () => core.close()]);
    throw err;
  }
  return {
    config,
    kafka,
    admin,
    names,
    keys: core.eventSigner.publicKeys(),
    audit: async (record) => {
      await writer.write(record);
    },
    close: () => closeAll([() => writer.close(), () => admin.disconnect(), () => core.close()]),
  };
}

/** Runs `use` in a session and closes it, whatever `use` ends with. */
export async function withEventsSession<T>(values: Values, use: (session: EventsSession) => Promise<T>): Promise<T> {
  const session = await openEventsSession(values);
  try {
    return await use(session);
  } finally {
    await session.close();
  }
}
