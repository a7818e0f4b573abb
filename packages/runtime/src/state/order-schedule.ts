// The reconciler's schedule, kept in the order-state index beside the orders it names: when each
// waiting order is asked about next, by command partition, so that a worker reads only the due orders
// of the partitions it owns.
import type { DatabaseSync } from 'node:sqlite';

export interface ScheduleEntry {
  readonly orderId: string;
  readonly attempt: number;
}

export interface ScheduleSlot {
  readonly method: string;
  readonly partition: number;
  /** Epoch ms. */
  readonly due: number;
  readonly attempt: number;
}

/** The reconciler's schedule: when each waiting order is asked about next, by command partition. */
export interface OrderSchedule {
  set(orderId: string, slot: ScheduleSlot): void;
  delete(orderId: string): void;
  /** The attempt an order is scheduled for, or undefined when it is not scheduled. */
  attempt(orderId: string): number | undefined;
  /** Orders of one command partition due at `now`, earliest first. */
  due(method: string, partition: number, now: number, limit: number): ScheduleEntry[];
  readonly size: number;
}

export const SCHEDULE_TABLE = `
  CREATE TABLE IF NOT EXISTS schedule (id TEXT PRIMARY KEY, method TEXT NOT NULL, part INTEGER NOT NULL, due INTEGER NOT NULL, attempt INTEGER NOT NULL) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS schedule_due ON schedule (method, part, due);
`;

/** The schedule of `db` (its table made already); `write` opens the store's write transaction first. */
export function scheduleOf(db: DatabaseSync, write: () => void): OrderSchedule {
  const set = db.prepare(
    'INSERT INTO schedule (id, method, part, due, attempt) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET method = excluded.method, part = excluded.part, due = excluded.due, attempt = excluded.attempt',
  );
  const del = db.prepare('DELETE FROM schedule WHERE id = ?');
  const get = db.prepare('SELECT attempt FROM schedule WHERE id = ?');
  const due = db.prepare('SELECT id, attempt FROM schedule WHERE method = ? AND part = ? AND due <= ? ORDER BY due LIMIT ?');
  const count = db.prepare('SELECT count(*) AS n FROM schedule');
  return {
    set: (orderId, s) => {
      write();
      set.run(orderId, s.method, s.partition, Math.round(s.due), s.attempt);
    },
    delete: (orderId) => {
      write();
      del.run(orderId);
    },
    attempt: (orderId) => (get.get(orderId) as { attempt: number } | undefined)?.attempt,
    due: (method, partition, now, limit) =>
      (due.all(method, partition, Math.floor(now), limit) as { id: string; attempt: number }[]).map((r) => ({
        orderId: r.id,
        attempt: r.attempt,
      })),
    get size() {
      return (count.get() as { n: number }).n;
    },
  };
}
