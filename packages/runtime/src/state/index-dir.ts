// Where a worker's order-state index lives, and claiming it. A folder the operator names is used as is,
// locked (refused while another live process holds it). Without one, the worker takes the first free
// slot `index-<n>` under a persistent root, so several workers on one host each keep — and find again
// after a restart — a warm index of their own. Tests and embedders may ask for a temporary folder
// (removed when the index closes) or for memory.
import { mkdirSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { codes, createError } from '@paystream/core';
import { IndexLock } from './index-lock.ts';
import { temporaryFolder } from './store-files.ts';

/** Where to keep the index: a folder, the first free slot under a root, a temporary folder, or memory. */
export type IndexLocation = { readonly dir: string } | { readonly slotsUnder: string } | 'temporary' | ':memory:';

/** Slots tried before giving up: far more workers than one host runs. */
export const INDEX_SLOTS = 64;
const INDEX_FILE = 'orders.db';

/** A claimed folder: the index file in it, held until `release`. */
export interface IndexFolder {
  /** The database file, or `:memory:`. */
  readonly file: string;
  /** The folder, when there is one. */
  readonly dir: string | undefined;
  /** Unlocks the folder (and removes it when it was temporary). */
  release(): void;
}

/** `${XDG_STATE_HOME:-$HOME/.local/state}/paystream`: where the slots of a host's workers are. */
export function defaultIndexRoot(env: NodeJS.ProcessEnv = process.env): string {
  const stateHome = env['XDG_STATE_HOME'] || join(homedir(), '.local', 'state');
  return join(stateHome, 'paystream');
}

/** Claims the folder of `where`; refuses (a catalogue error) when another live process holds it, or holds every slot. */
export function claimIndexFolder(where: IndexLocation): IndexFolder {
  if (where === ':memory:') return { file: ':memory:', dir: undefined, release: () => undefined };
  if (where === 'temporary') {
    const dir = temporaryFolder();
    return { file: join(dir, INDEX_FILE), dir, release: () => rmSync(dir, { recursive: true, force: true }) };
  }
  if ('dir' in where) {
    mkdirSync(where.dir, { recursive: true });
    const lock = IndexLock.take(where.dir);
    if (!lock) throw createError(codes.PS_ERR_STATE_INDEX_LOCKED, { dir: where.dir, pid: IndexLock.holder(where.dir) ?? 'unknown' });
    return held(lock);
  }
  for (let n = 0; n < INDEX_SLOTS; n++) {
    const dir = join(where.slotsUnder, `index-${String(n)}`);
    mkdirSync(dir, { recursive: true });
    const lock = IndexLock.take(dir);
    if (lock) return held(lock);
  }
  throw createError(codes.PS_ERR_STATE_INDEX_NO_SLOT, { root: where.slotsUnder, last: INDEX_SLOTS - 1 });
}

function held(lock: IndexLock): IndexFolder {
  return { file: join(lock.dir, INDEX_FILE), dir: lock.dir, release: () => lock.release() };
}
