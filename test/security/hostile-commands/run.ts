// One `paystream worker` process as a new user runs it — `--config` naming a configuration file,
// settings from the environment — against the simulator and the shared broker (the e2e harness),
// plus what the attack needs: a producer that writes raw bytes to one partition and learns each
// record's offset, a tap on everything the worker wrote, and the consumer group's committed offset.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { aesKeyId } from '@paystream/core';
import { startSystem, type PaystreamSystem } from '@paystream/test-harness';
import type { Admin, IHeaders, Producer } from 'kafkajs';
import { PARTITION } from './partition.ts';
import { Tap } from './tap.ts';

export const METHOD = 'gopay';
/** A Core API method beside it: its status inquiry names the order in its path, which no metric label may keep. */
export const CORE_API_METHOD = 'card-3ds';

/** A record exactly as the attacker writes it: any key, any bytes, any headers. */
export interface RawCommand {
  readonly key: string | Buffer | null;
  readonly value: string | Buffer | null;
  readonly headers?: IHeaders;
}

export interface HostileRun {
  readonly system: PaystreamSystem;
  readonly tap: Tap;
  readonly admin: Admin;
  readonly commandTopic: string;
  readonly dlqTopic: string;
  /** The event-encryption keys of the worker's configuration, by key id: what `dlqPayload` decrypts with. */
  readonly encryptionKeys: ReadonlyMap<string, Uint8Array>;
  /** Writes the records, in order, to the attacked partition; returns each one's offset. */
  send(records: readonly RawCommand[]): Promise<string[]>;
  /** The worker group's committed offset and the high watermark of the attacked partition. */
  progress(): Promise<{ committed: number; end: number }>;
  /** The operations URL the worker printed when it started. */
  operationsUrl(): string;
  metrics(): Promise<string>;
  close(): Promise<void>;
}

/**
 * Records per produce request. The topic's `max.message.bytes` bounds a whole record batch, not one
 * record, so a big value travels alone.
 */
const CHUNK_RECORDS = 200;
const CHUNK_BYTES = 256 * 1024;

function chunks(records: readonly RawCommand[]): RawCommand[][] {
  const out: RawCommand[][] = [];
  let current: RawCommand[] = [];
  let bytes = 0;
  for (const r of records) {
    const headers = Object.entries(r.headers ?? {}).reduce((n, [k, v]) => n + k.length + String(v).length, 0);
    const size = (r.value?.length ?? 0) + (r.key?.length ?? 0) + headers;
    if (current.length > 0 && (current.length >= CHUNK_RECORDS || bytes + size > CHUNK_BYTES)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(r);
    bytes += size;
  }
  if (current.length > 0) out.push(current);
  return out;
}

export async function startHostileRun(brokers: readonly string[]): Promise<HostileRun> {
  const system = await startSystem({
    name: 'hostile',
    brokers,
    plugins: [METHOD, CORE_API_METHOD],
    logLevel: 'debug',
    // The operator's configuration file, as docs/configuration.md describes it: core's section in full.
    configure: (base) => base,
    env: { PAYSTREAM_MAX_IN_FLIGHT: '256', PAYSTREAM_SUMMARY_INTERVAL_MS: '5000' },
  });
  const admin = system.kafka.admin();
  const producer: Producer = system.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  let tap: Tap | undefined;
  try {
    await admin.connect();
    await producer.connect();
    tap = await Tap.start(system.kafka, system.names.prefix, [system.names.results, system.names.dlq(METHOD)]);
  } catch (err) {
    await system.close();
    throw err;
  }
  const keyFile = join(system.dir, 'worker-keys', 'event-encryption.key');
  const key = Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'base64');
  const commandTopic = system.names.commands(METHOD);
  const group = system.names.group(METHOD);
  const started = tap;
  const operationsUrl = (): string => {
    const banner = system.workerLogs().find((l) => l.text.startsWith('paystream worker running:'));
    const url = /health and metrics at (http:\/\/\S+)/.exec(banner?.text ?? '')?.[1];
    if (!url) throw new Error('the worker printed no operations URL');
    return url;
  };
  return {
    system,
    tap: started,
    admin,
    commandTopic,
    dlqTopic: system.names.dlq(METHOD),
    encryptionKeys: new Map([[aesKeyId(key), key]]),
    send: async (records) => {
      const offsets: string[] = [];
      for (const chunk of chunks(records)) {
        const [meta] = await producer.send({
          topic: commandTopic,
          acks: -1,
          messages: chunk.map((r) => ({ partition: PARTITION, key: r.key, value: r.value, headers: r.headers ?? {} })),
        });
        const base = BigInt(meta?.baseOffset ?? '-1');
        if (base < 0n) throw new Error('the broker returned no offset for a batch');
        chunk.forEach((_, n) => offsets.push(String(base + BigInt(n))));
      }
      return offsets;
    },
    progress: async () => {
      const [committed] = await admin.fetchOffsets({ groupId: group, topics: [commandTopic] });
      const at = committed?.partitions.find((p) => p.partition === PARTITION)?.offset ?? '-1';
      const end = (await admin.fetchTopicOffsets(commandTopic)).find((p) => p.partition === PARTITION)?.high ?? '0';
      return { committed: Number(at), end: Number(end) };
    },
    operationsUrl,
    metrics: async () => (await fetch(`${operationsUrl()}/metrics`)).text(),
    close: async () => {
      await started.stop().catch(() => undefined);
      await producer.disconnect().catch(() => undefined);
      await admin.disconnect().catch(() => undefined);
      await system.close();
    },
  };
}
