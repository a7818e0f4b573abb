// How the reader of the order-state topic uses the index's checkpoints: they must still fit the topic
// (else the index is rebuilt), and each time the reader's group is joined, its partitions start at them.
import type { Consumer, SeekEntry } from 'kafkajs';
import type { CheckpointCheck } from './checkpoint.ts';

type TopicOffsets = readonly (SeekEntry & { readonly high: string; readonly low: string })[];

/**
 * Checkpoints fit a topic whose partitions still hold what follows them: one beyond a partition's end
 * (or of a partition that is gone) means the topic was recreated; one before its start, that records
 * the index never applied were deleted.
 */
export function checkpointsFit(offsets: TopicOffsets): CheckpointCheck {
  const bounds = new Map(offsets.map((p) => [p.partition, p]));
  return (checkpoints) => {
    for (const [partition, next] of checkpoints) {
      const bound = bounds.get(partition);
      if (!bound || next > Number(bound.high)) return 'beyond_end';
      if (next < Number(bound.low)) return 'truncated';
    }
    return undefined;
  };
}

/**
 * The reader's group never commits: each time it joins (the first run, kafkajs' own restarts, ours after
 * a crash it does not restart) it would start at the beginning. Its partitions are moved to their
 * checkpoints before the first fetch (kafkajs emits the join synchronously, before fetching).
 */
export function seekToCheckpoints(reader: Consumer, topic: string, checkpoint: (partition: number) => number | undefined): void {
  reader.on(reader.events.GROUP_JOIN, ({ payload }) => {
    for (const partition of payload.memberAssignment[topic] ?? []) {
      const next = checkpoint(partition);
      if (next !== undefined) reader.seek({ topic, partition, offset: String(next) });
    }
  });
}
