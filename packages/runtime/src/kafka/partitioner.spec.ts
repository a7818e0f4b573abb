import { randomBytes } from 'node:crypto';
import { Partitioners, type PartitionMetadata } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { keyHashPartitioner } from './partitioner.ts';

const metadata = (n: number): PartitionMetadata[] =>
  Array.from({ length: n }, (_, partitionId) => ({
    partitionId,
    leader: 0,
    replicas: [0],
    isr: [0],
    offlineReplicas: [],
    partitionErrorCode: 0,
  }));

describe('keyHashPartitioner', () => {
  it('puts every key on the partition kafkajs’ default (Java-compatible) partitioner chooses', () => {
    const ours = keyHashPartitioner();
    const theirs = Partitioners.DefaultPartitioner();
    const alphabet = 'abcXYZ0189-_.é😀';
    for (let i = 0; i < 50_000; i++) {
      const length = i % 70;
      const key =
        i % 3 === 0 ? randomBytes(length) : Array.from({ length }, (_, j) => alphabet[(i * 31 + j * 7) % alphabet.length] ?? 'a').join('');
      const partitionMetadata = metadata(1 + (i % 12));
      const args = { topic: 't', partitionMetadata, message: { key, value: null } };
      expect(ours(args)).toBe(theirs(args));
    }
  });

  it('keeps a given partition, and spreads keyless records over the partitions', () => {
    const ours = keyHashPartitioner();
    expect(ours({ topic: 't', partitionMetadata: metadata(6), message: { key: 'k', value: null, partition: 4 } })).toBe(4);
    const seen = new Set(
      Array.from({ length: 12 }, () => ours({ topic: 't', partitionMetadata: metadata(6), message: { key: null, value: null } })),
    );
    expect(seen.size).toBe(6);
  });
});
