// Loading node:sqlite quietly, and the temporary folder an index lives in when it is given no folder
// (tests, embedding): the folder is the process' own, and a later process removes it should this one
// be killed.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
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
 * A process that was killed could not remove its temporary folder; the next one to make one removes
 * the folders of processes that no longer exist (the folder name carries the pid).
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

/** A fresh folder of the system's temporary directory, named after this process; its owner removes it. */
export function temporaryFolder(): string {
  sweepAbandoned();
  return mkdtempSync(join(tmpdir(), `${TEMP_PREFIX}${String(process.pid)}-`));
}
