// Loaded into a worker with `--import`: counts every timer callback the process runs (each one a wake-up
// of its event loop) and, on SIGUSR2, writes the count and the process' CPU time to the file named by
// PAYSTREAM_WAKEUPS_FILE. A signal, not a timer, so that the counting adds no wake-up of its own.
import { createHook } from 'node:async_hooks';
import { writeFileSync } from 'node:fs';

const timers = new Set<number>();
let wakeups = 0;

createHook({
  init(id, type) {
    if (type === 'Timeout') timers.add(id);
  },
  before(id) {
    if (timers.has(id)) wakeups++;
  },
  destroy(id) {
    timers.delete(id);
  },
}).enable();

const file = process.env['PAYSTREAM_WAKEUPS_FILE'];
if (file)
  process.on('SIGUSR2', () => {
    const cpu = process.cpuUsage();
    writeFileSync(file, JSON.stringify({ wakeups, cpuMicros: cpu.user + cpu.system, at: performance.now() }));
  });
