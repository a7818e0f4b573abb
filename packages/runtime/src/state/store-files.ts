// Where the order store's SQLite file lives, and loading node:sqlite quietly. By default the file is
// in a temporary folder of the worker's own, which a later worker removes should this one be killed.
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

type Sqlite = typeof import('node:sqlite');

/**
 * node:sqlite announces itself as experimental on first load, on stderr, outside the JSON logs. The
 * part used here (DatabaseSync, prepared statements, exec) is the stable core of it; only that one
 * notice is held back, every other warning still goes through.
 */
export function loadSqlite(): Sqlite {
  const original = Reflect.get<typeof process, 'emitWarning'>(process, 'emitWarning');
  const filtered = (warning: string | Error, ...rest: unknown[]): void => {
    if (String(warning).startsWith('SQLite is an experimental feature')) return;
    Reflect.apply(original, process, [warning, ...rest]);
  };
  process.emitWarning = filtered;
  try {
    return createRequire(import.meta.url)('node:sqlite') as Sqlite;
  } finally {
    Reflect.set(process, 'emitWarning', original);
  }
}

const TEMP_PREFIX = 'paystream-orders-';

/**
 * A worker that was killed could not remove its temporary folder; the next one to start removes the
 * folders of processes that no longer exist (the folder name carries the pid).
 */
function sweepAbandoned(): void {
  for (const name of readdirSync(tmpdir())) {
    const pid = Number(/^paystream-orders-(\d+)-/.exec(name)?.[1]);
    if (!pid || pid === process.pid || alive(pid)) continue;
    rmSync(join(tmpdir(), name), { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The database file in `dir` (created when missing), or in a fresh folder of the system's temporary
 * directory that the store owns and removes (`ownDir`).
 */
export function storeFile(dir: string | undefined): { file: string; ownDir: string | undefined } {
  const own = dir === undefined;
  if (!own) mkdirSync(dir, { recursive: true });
  if (own) sweepAbandoned();
  const folder = dir ?? mkdtempSync(join(tmpdir(), `${TEMP_PREFIX}${String(process.pid)}-`));
  // A folder given by the operator may hold the file of an earlier run: the store is rebuilt anyway.
  if (!own) for (const f of ['orders.db', 'orders.db-wal', 'orders.db-shm']) rmSync(join(folder, f), { force: true });
  return { file: join(folder, 'orders.db'), ownDir: own ? folder : undefined };
}
