// kafkajs' default partitioner — Java-compatible: murmur2 of the key, modulo the partition count —
// computed in 32-bit integer arithmetic. kafkajs emulates the Java ints with 64-bit Long objects,
// about a dozen allocations per four key bytes for every record the worker writes. Every key gets
// the same partition as with kafkajs' own (partitioner.spec.ts proves it), so per-key order and the
// compaction of the order state are unaffected.
import { randomInt } from 'node:crypto';
import type { ICustomPartitioner } from 'kafkajs';

const M = 0x5bd1e995;
const SEED = 0x9747b28c;

/** Kafka's murmur2 (org.apache.kafka.common.utils.Utils.murmur2) as a signed 32-bit integer. */
export function murmur2(data: Buffer): number {
  const length = data.length;
  let h = SEED ^ length;
  const quads = length >>> 2;
  for (let i = 0; i < quads; i++) {
    let k = data.readUInt32LE(i * 4) | 0;
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }
  const tail = length & ~3;
  const rest = length & 3;
  if (rest >= 3) h ^= data.readUInt8(tail + 2) << 16;
  if (rest >= 2) h ^= data.readUInt8(tail + 1) << 8;
  if (rest >= 1) {
    h ^= data.readUInt8(tail);
    h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

const toPositive = (x: number): number => x & 0x7fffffff;

/** The same choices as kafkajs' `Partitioners.DefaultPartitioner`: given partition, key hash, else round robin. */
export const keyHashPartitioner: ICustomPartitioner = () => {
  const counters = new Map<string, number>();
  return ({ topic, partitionMetadata, message }) => {
    if (typeof message.partition === 'number') return message.partition;
    // An empty string is a key too (kafkajs hashes it); only null or an absent key is keyless.
    if (message.key != null) {
      const key = typeof message.key === 'string' ? Buffer.from(message.key) : message.key;
      return toPositive(murmur2(key)) % partitionMetadata.length;
    }
    const available = partitionMetadata.filter((p) => p.leader >= 0);
    const next = (counters.get(topic) ?? randomInt(2 ** 31)) + 1;
    counters.set(topic, next);
    const pool = available.length > 0 ? available : partitionMetadata;
    return pool[toPositive(next) % pool.length]?.partitionId ?? 0;
  };
};

/** The partition a keyed record lands on among `count` (the same as the partitioner above chooses). */
export const partitionOfKey = (key: string, count: number): number => toPositive(murmur2(Buffer.from(key))) % count;
