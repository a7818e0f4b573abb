// What the order-state index knows of itself: which topic of which cluster it copies, in which layout
// and state schema (the `meta` table), and per state partition the next offset it has to apply (the
// `offsets` table), written in the same transaction as the data applied. A restart that finds an index
// it can trust replays only what follows its checkpoints; any other index is rebuilt from the topic,
// which stays the only truth, for one of a closed set of reasons.
import { existsSync, rmSync } from 'node:fs';
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { ORDER_STATE_VERSION } from './order-state.ts';
import { loadSqlite } from './store-files.ts';

/** The layout of the index's tables (5: waiting orders have an index of their own). An index of another layout is rebuilt, never migrated. */
export const INDEX_FORMAT = 5;

/**
 * Why an index was rebuilt from the topic (the `reason` label of paystream_state_index_rebuilds_total):
 * none yet, unreadable, another layout or state schema, a copy of another topic or cluster, or
 * checkpoints the topic no longer matches (recreated: beyond its end; records deleted: before its start),
 * or idle for longer than compaction keeps tombstones (`stale`: it may have missed orders that left).
 */
export const INDEX_REBUILD_REASONS = [
  'missing',
  'corrupt',
  'format',
  'schema',
  'topic',
  'cluster',
  'beyond_end',
  'truncated',
  'stale',
] as const;
export type IndexRebuildReason = (typeof INDEX_REBUILD_REASONS)[number];

/** Whose copy an index is. */
export interface IndexIdentity {
  readonly topic: string;
  readonly clusterId: string;
  /** How long an index may have applied nothing before it is rebuilt (`stale`): as long as retired ids are remembered. */
  readonly staleAfterMs?: number;
}

/** Whether the checkpoints still fit the topic: the reason to rebuild when they do not. */
export type CheckpointCheck = (checkpoints: ReadonlyMap<number, number>) => IndexRebuildReason | undefined;

const TABLES = `
  CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS offsets (partition INTEGER PRIMARY KEY, next INTEGER NOT NULL);
`;
/** SQLITE_CORRUPT and SQLITE_NOTADB. */
const CORRUPT = new Set([11, 26]);

export interface OpenedIndex {
  readonly db: DatabaseSync;
  /** Why the index was made anew, or undefined when the one found is used. */
  readonly rebuilt: IndexRebuildReason | undefined;
}

/** Opens the index in `file`, or makes it anew when it cannot be trusted. */
export function openIndex(file: string, identity: IndexIdentity, check?: CheckpointCheck): OpenedIndex {
  const found = file === ':memory:' || !existsSync(file) ? 'missing' : verify(file, identity, check);
  if (typeof found !== 'string') return { db: found, rebuilt: undefined };
  return { db: fresh(file, identity), rebuilt: found };
}

function verify(file: string, identity: IndexIdentity, check: CheckpointCheck | undefined): DatabaseSync | IndexRebuildReason {
  const { DatabaseSync } = loadSqlite();
  let db: DatabaseSync | undefined;
  try {
    db = new DatabaseSync(file);
    const reason = verdict(db, identity) ?? check?.(new Checkpoints(db).all());
    if (reason === undefined) return db;
    db.close();
    return reason;
  } catch (err) {
    db?.close();
    if (CORRUPT.has((err as { errcode?: number }).errcode ?? 0)) return 'corrupt';
    throw err;
  }
}

function verdict(db: DatabaseSync, identity: IndexIdentity): IndexRebuildReason | undefined {
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name);
  if (tables.length === 0) return 'missing';
  if (!tables.includes('meta') || !tables.includes('offsets')) return 'format';
  const rows = db.prepare('SELECT key, value FROM meta').all() as { key: string; value: string }[];
  const meta = new Map(rows.map((r) => [r.key, r.value]));
  if (!['format', 'schema', 'topic', 'cluster'].every((k) => meta.has(k))) return 'corrupt';
  if (meta.get('format') !== String(INDEX_FORMAT)) return 'format';
  if (meta.get('schema') !== String(ORDER_STATE_VERSION)) return 'schema';
  if (meta.get('topic') !== identity.topic) return 'topic';
  if (meta.get('cluster') !== identity.clusterId) return 'cluster';
  const idle = Date.now() - Number(meta.get('applied_at'));
  return identity.staleAfterMs !== undefined && idle > identity.staleAfterMs ? 'stale' : undefined;
}

function fresh(file: string, identity: IndexIdentity): DatabaseSync {
  if (file !== ':memory:') for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(file + suffix, { force: true });
  const { DatabaseSync } = loadSqlite();
  const db = new DatabaseSync(file);
  // Before any table: the pages a partition given away frees can then be handed back to the disk.
  db.exec('PRAGMA auto_vacuum = INCREMENTAL;');
  db.exec(TABLES);
  const put = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
  const meta = { format: INDEX_FORMAT, schema: ORDER_STATE_VERSION, topic: identity.topic, cluster: identity.clusterId, orders: 0 };
  for (const [key, value] of Object.entries(meta)) put.run(key, String(value));
  return db;
}

/**
 * The checkpoints of an open index, and its order count (kept so that a start need not count a
 * million rows). Written only inside the store's write transaction, with the data they describe.
 */
export class Checkpoints {
  readonly #next = new Map<number, number>();
  readonly #db: DatabaseSync;
  #advance: StatementSync | undefined;
  #saveOrders: StatementSync | undefined;

  constructor(db: DatabaseSync) {
    this.#db = db;
    for (const row of db.prepare('SELECT partition, next FROM offsets').all() as { partition: number; next: number }[])
      this.#next.set(row.partition, row.next);
  }

  /** The next offset of `partition` to apply; undefined when nothing of it was applied. */
  next(partition: number): number | undefined {
    return this.#next.get(partition);
  }

  all(): ReadonlyMap<number, number> {
    return this.#next;
  }

  advance(partition: number, next: number): void {
    this.#advance ??= this.#db.prepare(
      'INSERT INTO offsets (partition, next) VALUES (?, ?) ON CONFLICT (partition) DO UPDATE SET next = excluded.next',
    );
    this.#advance.run(partition, next);
    this.#next.set(partition, next);
  }

  /** After the partition's rows were deleted: nothing of it is applied any more. */
  forget(partition: number): void {
    this.#next.delete(partition);
  }

  /** The order count saved with the last commit. */
  get orders(): number | undefined {
    const row = this.#db.prepare("SELECT value FROM meta WHERE key = 'orders'").get() as { value: string } | undefined;
    return row ? Number(row.value) : undefined;
  }

  saveOrders(count: number): void {
    this.#saveOrders ??= this.#db.prepare(
      "INSERT INTO meta (key, value) VALUES ('orders', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    );
    this.#saveOrders.run(String(count));
  }
}
