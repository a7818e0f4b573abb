// A broker shared by concurrent test processes: each holds a lease while it uses it, and the last one
// to leave stops the broker if a test helper started it (never a broker started by hand).
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { start, status, stop, type BrokerOptions } from './broker.ts';
import { alive, withLock } from './testing.ts';

const leasesDir = (home: string): string => join(home, 'leases');
/** Present while the running broker is one a test helper started. */
const startedByTests = (home: string): string => join(home, 'started-by-tests');

/** Leases of live processes; those of processes that died without releasing are dropped. */
function liveLeases(home: string): string[] {
  const dir = leasesDir(home);
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((name) => {
    if (alive(Number(name.split('-')[0]))) return true;
    rmSync(join(dir, name), { force: true });
    return false;
  });
}

/** Starts the broker unless it answers, and takes a lease on it; the returned function releases it. */
export async function leaseBroker(opts: BrokerOptions): Promise<() => Promise<void>> {
  const lease = join(leasesDir(opts.home), `${process.pid}-${randomBytes(4).toString('hex')}`);
  await withLock(opts.home, async () => {
    if (!(await status(opts)).ready && (await start(opts))) writeFileSync(startedByTests(opts.home), '');
    mkdirSync(leasesDir(opts.home), { recursive: true });
    writeFileSync(lease, '');
  });
  return () =>
    withLock(opts.home, async () => {
      rmSync(lease, { force: true });
      if (existsSync(startedByTests(opts.home)) && liveLeases(opts.home).length === 0) {
        await stop(opts);
        rmSync(startedByTests(opts.home), { force: true });
      }
    });
}
