// What a key-ordered consumer is given, and the bounds of its fetches.
import type { Kafka, KafkaMessage, PartitionAssigner } from 'kafkajs';
import type { CrashRestartOptions } from './crash-restarts.ts';

export interface ConsumedMessage {
  readonly topic: string;
  readonly partition: number;
  readonly message: KafkaMessage;
}

export interface KeyOrderedConsumerOptions {
  readonly kafka: Kafka;
  readonly groupId: string;
  readonly topics: readonly string[];
  readonly maxInFlight: number;
  /** Must not throw for a bad message (send it to the DLQ instead): a throw stops the key's progress. */
  readonly handle: (m: ConsumedMessage) => Promise<void>;
  readonly fromBeginning?: boolean;
  readonly commitIntervalMs?: number;
  readonly onError?: (err: unknown) => void;
  /** The backoff of restarts after a crash kafkajs does not restart by itself (crash-restarts.ts). */
  readonly restarts?: CrashRestartOptions;
  /** How the group shares partitions among its members (kafkajs' round robin when absent). */
  readonly partitionAssigners?: readonly PartitionAssigner[];
  /**
   * Holds a partition's messages until the promise settles (undefined: go on): the order state of a
   * partition just taken over is restored before its commands are handled.
   */
  readonly ready?: (partition: number) => Promise<void> | undefined;
}

export const FETCH_MAX_BYTES = 1024 * 1024;
export const FETCH_MAX_BYTES_PER_PARTITION = 256 * 1024;
/** The longest a fetch waits for records, and so a stop for the fetch in progress (kafkajs' 5 s held every stop that long). */
export const FETCH_MAX_WAIT_MS = 1_000;
