// What the state takes on disk, as `du` counts it (allocated blocks): a worker's index folder, and a
// topic's partition folders in the bench broker's data; and whether a fill of N orders fits at all.
import { existsSync, mkdirSync, readdirSync, statSync, statfsSync, type Dirent } from 'node:fs';
import { join } from 'node:path';

const MiB = 2 ** 20;
const GiB = 2 ** 30;

/** Bytes allocated to `path` and everything under it (du -s); 0 when it does not exist. */
export function diskUsage(path: string): number {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return s.blocks * 512;
  return readdirSync(path, { withFileTypes: true }).reduce((sum, e) => sum + diskUsage(join(path, e.name)), s.blocks * 512);
}

/** Each file of `dir` by name with its inode: a file rewritten from scratch comes back under a new inode. */
export function inodes(dir: string): Map<string, number> {
  if (!existsSync(dir)) return new Map();
  return new Map(readdirSync(dir, { withFileTypes: true }).map((e) => [e.name, statSync(join(dir, e.name)).ino]));
}

/** The partition folders (`<topic>-<n>`) of `topic` anywhere under the broker's folder, at most three levels down. */
function partitionDirs(dir: string, topic: string, depth = 3): string[] {
  const pattern = new RegExp(`^${topic.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-\\d+$`);
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((e) => e.isDirectory())
    .flatMap((e) => (pattern.test(e.name) ? [join(dir, e.name)] : depth > 1 ? partitionDirs(join(dir, e.name), topic, depth - 1) : []));
}

/** What `topic` takes on the broker's disk (every partition's segments and indexes), or undefined when its folders are not found. */
export function topicDiskUsage(brokerHome: string, topic: string): number | undefined {
  const dirs = partitionDirs(brokerHome, topic);
  return dirs.length === 0 ? undefined : dirs.reduce((sum, d) => sum + diskUsage(d), 0);
}

/** Bytes one order is expected to take, before a fill has measured it (issue 15: 495 MB of index per million orders). */
export interface PerOrder {
  readonly broker: number;
  readonly index: number;
}
export const ESTIMATED_PER_ORDER: PerOrder = { broker: 600, index: 550 };

/** How much more free space than the estimate a fill asks for: estimates are rough, and a full disk stops the broker. */
const MARGIN = 3;

/**
 * Refuses (throws) when `orders` would not fit: the broker's topic and the worker's index together
 * need `MARGIN` × their estimate free on the filesystems they live on.
 */
export function ensureDiskFor(orders: number, perOrder: PerOrder, places: { readonly broker?: string; readonly index: string }): void {
  const needs = new Map<number, { path: string; bytes: number }>();
  for (const [path, bytes] of [
    [places.index, orders * perOrder.index],
    ...(places.broker ? [[places.broker, orders * perOrder.broker] as const] : []),
  ] as const) {
    mkdirSync(path, { recursive: true });
    const dev = statSync(path).dev;
    const need = needs.get(dev);
    needs.set(dev, { path: need?.path ?? path, bytes: (need?.bytes ?? 0) + bytes });
  }
  for (const { path, bytes } of needs.values()) {
    const fs = statfsSync(path);
    const free = fs.bavail * fs.bsize;
    if (free < MARGIN * bytes)
      throw new Error(
        `not enough disk for ${orders.toLocaleString('en-US')} orders: about ${(bytes / GiB).toFixed(1)} GiB needed on the filesystem of ${path} (broker topic and worker index), ` +
          `and the suite asks for ${String(MARGIN)}× that free; ${(free / GiB).toFixed(1)} GiB are. Free some space or run smaller sizes (BENCH_STATE_SIZES).`,
      );
  }
}

export const mib = (bytes: number): number => bytes / MiB;
