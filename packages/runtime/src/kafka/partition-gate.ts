// A batch whose partition is not ready yet (its order state still restoring) waits, as long as that
// takes, without leaving the group: kafkajs heartbeats only between batches, so a wait longer than
// the session timeout would cost the member its partitions.
import type { EachBatchPayload } from 'kafkajs';

const HEARTBEAT_EVERY_MS = 1_000;

/** Waits for `gate`, heartbeating; false when the batch went stale (a rebalance, a stop) meanwhile and must not be handled. */
export async function awaitPartitionGate(
  gate: Promise<void>,
  payload: Pick<EachBatchPayload, 'heartbeat' | 'isRunning' | 'isStale'>,
): Promise<boolean> {
  let opened = false;
  const isOpen = (): boolean => opened;
  void gate.then(() => (opened = true));
  while (!isOpen()) {
    if (!payload.isRunning() || payload.isStale()) return false;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([gate, new Promise((r) => (timer = setTimeout(r, HEARTBEAT_EVERY_MS)))]);
    clearTimeout(timer);
    if (!isOpen()) await payload.heartbeat();
  }
  return payload.isRunning() && !payload.isStale();
}
