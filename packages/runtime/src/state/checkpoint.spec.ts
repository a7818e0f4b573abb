import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkpointsFit } from './checkpoint-reader.ts';
import { claimIndexFolder, INDEX_SLOTS } from './index-dir.ts';
import { OrderStore } from './order-store.ts';
import type { OrderState } from './order-state.ts';
import { loadSqlite } from './store-files.ts';

const identity = { topic: 'paystream.orders.state', clusterId: 'cluster-a' };
const state = (status: OrderState['status']): OrderState => ({ v: 2, method: 'gopay', status, references: {}, commands: {} });
const folders: string[] = [];

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'paystream-index-test-'));
  folders.push(dir);
  return dir;
}

/** An index of two orders, applied up to offset 2 of partition 0 and offset 5 of partition 3. */
function written(dir: string): void {
  const store = OrderStore.open(dir, identity);
  store.put('o-1', state('pending'), []);
  store.put('o-2', state('succeeded'), []);
  store.advance(0, 2);
  store.advance(3, 5);
  store.close();
}

/** Rewrites one meta entry as another version of the product, or another worker, would have left it. */
function setMeta(dir: string, key: string, value: string): void {
  const db = new (loadSqlite().DatabaseSync)(join(dir, 'orders.db'));
  db.prepare('UPDATE meta SET value = ? WHERE key = ?').run(value, key);
  db.close();
}

afterEach(() => {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the order-state index across restarts', () => {
  it('is found again with its orders, its count and its checkpoints, in the same transaction as the data', () => {
    const dir = folder();
    const first = OrderStore.open(dir, identity);
    expect(first.rebuilt).toBe('missing');
    first.close();
    written(dir);
    const again = OrderStore.open(dir, identity);
    expect(again.rebuilt).toBeUndefined();
    expect(again.size).toBe(2);
    expect(again.get('o-2')?.status).toBe('succeeded');
    expect([again.checkpoint(0), again.checkpoint(3), again.checkpoint(1)]).toEqual([2, 5, undefined]);
    again.close();
  });

  it.each([
    ['format', 'format', '0'],
    ['schema', 'schema', '1'],
    ['topic', 'topic', 'other.orders.state'],
    ['cluster', 'cluster', 'cluster-b'],
  ] as const)('is rebuilt when its %s is not this one (reason %s)', (_what, key, value) => {
    const dir = folder();
    written(dir);
    setMeta(dir, key, value);
    const store = OrderStore.open(dir, identity);
    expect(store.rebuilt).toBe(key);
    expect([store.size, store.get('o-1'), store.checkpoint(0)]).toEqual([0, undefined, undefined]);
    store.close();
  });

  it('is rebuilt when its file is not a database, or is an index of an earlier layout', () => {
    const dir = folder();
    written(dir);
    const file = join(dir, 'orders.db');
    const bytes = readFileSync(file);
    bytes.fill(0x5a, 0, 4_096);
    writeFileSync(file, bytes);
    const corrupt = OrderStore.open(dir, identity);
    expect(corrupt.rebuilt).toBe('corrupt');
    expect(corrupt.size).toBe(0);
    corrupt.close();

    const db = new (loadSqlite().DatabaseSync)(file);
    db.exec('DROP TABLE meta; DROP TABLE offsets');
    db.close();
    const earlier = OrderStore.open(dir, identity);
    expect(earlier.rebuilt).toBe('format');
    earlier.close();
  });

  it('is rebuilt when its checkpoints no longer fit the topic: recreated, or records deleted', () => {
    const topic = (high: number, low = 0) =>
      [0, 1, 2, 3].map((partition) => ({ partition, offset: String(high), high: String(high), low: String(low) }));
    const dir = folder();
    written(dir);
    const fits = OrderStore.open(dir, identity, checkpointsFit(topic(5)));
    expect(fits.rebuilt).toBeUndefined();
    fits.close();
    const recreated = OrderStore.open(dir, identity, checkpointsFit(topic(4)));
    expect(recreated.rebuilt).toBe('beyond_end');
    recreated.close();
    written(dir);
    const fewer = OrderStore.open(dir, identity, checkpointsFit(topic(9).slice(0, 2)));
    expect(fewer.rebuilt).toBe('beyond_end');
    fewer.close();
    written(dir);
    const truncated = OrderStore.open(dir, identity, checkpointsFit(topic(9, 3)));
    expect(truncated.rebuilt).toBe('truncated');
    truncated.close();
  });

  it('is held by one opener at a time: a folder is refused while held, and a slot taken is skipped', () => {
    const dir = folder();
    const first = OrderStore.open(dir, identity);
    expect(() => OrderStore.open(dir, identity)).toThrow(
      expect.objectContaining({
        code: 'PS_ERR_STATE_INDEX_LOCKED',
        message: expect.stringContaining(`pid ${String(process.pid)}`) as unknown,
      }),
    );
    const root = folder();
    const slot0 = OrderStore.open({ slotsUnder: root }, identity);
    const slot1 = OrderStore.open({ slotsUnder: root }, identity);
    expect([slot0.dir, slot1.dir]).toEqual([join(root, 'index-0'), join(root, 'index-1')]);
    slot0.close();
    const again = claimIndexFolder({ slotsUnder: root });
    expect(again.dir).toBe(join(root, 'index-0'));
    again.release();
    first.close();
    const second = OrderStore.open(dir, identity);
    expect(second.rebuilt).toBeUndefined();
    second.close();
    slot1.close();
  });

  it('refuses a worker when every slot of the root is held by a live process', () => {
    const root = folder();
    const held = Array.from({ length: INDEX_SLOTS }, () => claimIndexFolder({ slotsUnder: root }));
    expect(() => claimIndexFolder({ slotsUnder: root })).toThrow(expect.objectContaining({ code: 'PS_ERR_STATE_INDEX_NO_SLOT' }));
    for (const f of held) f.release();
  });
});
