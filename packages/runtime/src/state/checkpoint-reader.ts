// The index's checkpoints must still fit the topic they were taken from, else the index is rebuilt.
import type { SeekEntry } from 'kafkajs';
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
