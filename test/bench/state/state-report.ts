// The state suite's figures and notes, from what each size measured: the cold start is the baseline of
// the warm restart, and a missed target says from the run itself what the restart spent its time on.
import type { BenchFigure } from '../report.ts';
import { mib } from './disk.ts';
import { BATCH, IN_FLIGHT } from './fill.ts';
import { FLEET_METHOD, fleetFigures, fleetNote } from './fleet-report.ts';
import type { SizeResult } from './measure-size.ts';
import type { StartMeasure } from './state-worker.ts';

/** Issue 15: a worker restarted on its own index is ready within five seconds, at ten million orders too. */
const WARM_RESTART_TARGET_MS = 5000;

const thousands = (n: number): string => n.toLocaleString('en-US');
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const mb = (bytes: number): string => `${mib(bytes).toFixed(0)} MiB`;

const warmRestartMs = (r: SizeResult): number => r.stopMs + r.warm.ms;

/** What a start did until /readyz 200, in a phrase. */
function spent(m: StartMeasure): string {
  return `${m.cpuSeconds.toFixed(1)} s of CPU and ${mb(m.readBytes)} read (sockets and files)`;
}

/** Whether the restarted worker reopened the index the stopped one left, judged by the files' inodes. */
function indexFate(r: SizeResult): string {
  const { before, kept } = r.indexFiles;
  if (before.length === 0) return 'the stopped worker left no file in its index folder';
  return kept.length === 0
    ? `its index was rebuilt: none of the ${String(before.length)} files the stopped worker left (${before.join(', ')}) came back under the same inode`
    : `it reopened its index (${kept.join(', ')} kept under the same inode)`;
}

function warmWhy(r: SizeResult): string {
  const topic = r.brokerBytes === undefined ? '' : `; the topic holds ${mb(r.brokerBytes)} on the broker`;
  const logs = r.warm.stateLogs.length > 0 ? `; it logged: ${r.warm.stateLogs.slice(0, 4).join(' | ')}` : '';
  return (
    `stopping took ${seconds(r.stopMs)} and the start to /readyz ${seconds(r.warm.ms)}; until ready the restarted worker used ${spent(r.warm)} ` +
    `against ${spent(r.cold)} for the cold start of the same ${thousands(r.orders)} orders${topic}; ${indexFate(r)}${logs}`
  );
}

export function stateFigures(r: SizeResult): BenchFigure[] {
  const n = `${thousands(r.orders)} orders`;
  const one = (name: string, unit: string, value: number, extra: Partial<BenchFigure> = {}): BenchFigure => ({
    name,
    unit,
    value,
    runs: [value],
    ...extra,
  });
  const coldName = 'cold start';
  return [
    one(`state topic filled with ${n} (generator)`, 'records/s', r.fill.perSecond),
    one(`cold start of one worker on an empty index to /readyz 200, ${n} (every restart before checkpoints)`, 'ms', r.cold.ms),
    one(`warm restart (SIGTERM, start on the same index, /readyz 200), ${n}`, 'ms', warmRestartMs(r), {
      baseline: { name: coldName, value: r.cold.ms },
      target: { maxValue: WARM_RESTART_TARGET_MS },
      why: warmWhy(r),
    }),
    one(`local index of one worker (du of its folder, once ready after the cold start), ${n}`, 'MiB', mib(r.index.ready)),
    ...(r.brokerBytes === undefined ? [] : [one(`state topic on the broker (du of its partitions), ${n}`, 'MiB', mib(r.brokerBytes))]),
    ...fleetFigures(r),
  ];
}

function sizeNote(r: SizeResult): string {
  const perOrder = (bytes: number): string => `${(bytes / r.orders).toFixed(0)} bytes`;
  const broker =
    r.brokerBytes === undefined
      ? 'the broker was given by KAFKA_BROKERS, its disk not measured'
      : `${perOrder(r.brokerBytes)} on the broker`;
  const known = (m: StartMeasure): string => (m.ordersKnown === undefined ? 'not reported' : thousands(m.ordersKnown));
  const logs = (m: StartMeasure): string => (m.stateLogs.length > 0 ? m.stateLogs.slice(0, 4).join(' | ') : 'nothing about its state');
  const metrics = (m: StartMeasure): string => (m.stateMetrics.length > 0 ? m.stateMetrics.join(', ') : 'none non-zero');
  return (
    `${thousands(r.orders)} orders — written at ${r.fill.perSecond.toFixed(0)} records/s (${seconds(r.fill.seconds * 1000)}; values of ${r.fill.valueBytes.toFixed(0)} bytes on average). ` +
    `Per order: ${broker}, ${perOrder(r.index.ready)} of local index, ${((r.cold.ms * 1000) / r.orders).toFixed(1)} µs of cold start and ${((r.cold.cpuSeconds * 1e6) / r.orders).toFixed(1)} µs of the worker's CPU. ` +
    `Index folder: ${mb(r.index.ready)} once ready, ${mb(r.index.stopped)} once stopped, ${mb(r.index.restarted)} once restarted. ` +
    `Cold start: ${spent(r.cold)}, ${known(r.cold)} orders known, logged ${logs(r.cold)}; state metrics ${metrics(r.cold)}. ` +
    `Warm restart: stopped in ${seconds(r.stopMs)}, ready ${seconds(r.warm.ms)} after its start, ${spent(r.warm)}, ${known(r.warm)} orders known, logged ${logs(r.warm)}; state metrics ${metrics(r.warm)}; ${indexFate(r)}.`
  );
}

export function stateNotes(results: readonly SizeResult[]): string[] {
  return [
    'One run per size. Each size gets a fresh state topic (compacted, six partitions: as many as the command topics, as the worker creates it) filled with paid GoPay orders, ' +
      `each record as the worker writes it (the typed order state, keyed by order id, partitioned by the Java-compatible key hash; batches of ${BATCH.toLocaleString('en-US')}, ${String(IN_FLIGHT)} in flight). ` +
      'One `paystream worker` (plugin gopay, PAYSTREAM_STATE_DIR on local disk) starts on an empty index and is timed from its spawn to its first /readyz 200 (asked every 50 ms); ' +
      'it is then stopped with SIGTERM and started again on the same folder: the warm restart is SIGTERM → exit → spawn → /readyz 200, compared with the cold start. ' +
      'Disk is what `du` counts (allocated blocks): the index folder, and the topic’s partition folders in the broker’s data.',
    ...results.map(sizeNote),
    FLEET_METHOD,
    ...results.map(fleetNote),
  ];
}
