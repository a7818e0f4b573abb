// The order state as it grows: a state topic filled with 1,000,000 and 10,000,000 paid orders, and for
// one real `paystream worker` the cold start on an empty index (what the design before checkpoints
// paid at every restart: the baseline), the warm restart on the index it left (target ≤ 5 s), the
// local disk its index takes and what the topic takes on the broker; then, on the same topic, the cold
// start of one worker of a fleet of three (target ≤ 40 % of the single worker's) and the disk each keeps.
//
// It fills gigabytes and replays them, so `BENCH_QUICK=1 npm run bench` skips it and keeps the figures
// of its last run. BENCH_STATE_SIZES=20000,100000 runs other sizes (a comma-separated list of orders).
import { writeResult } from '../report.ts';
import { withContext } from '../worker/context.ts';
import { ensureDiskFor, ESTIMATED_PER_ORDER, type PerOrder } from './disk.ts';
import { measureSize, type SizeResult } from './measure-size.ts';
import { stateFigures, stateNotes } from './state-report.ts';

const DEFAULT_SIZES = [1_000_000, 10_000_000];

function sizes(): number[] {
  const given = process.env['BENCH_STATE_SIZES'];
  if (!given) return DEFAULT_SIZES;
  const list = given.split(',').map((s) => Number(s.trim().replace(/_/g, '')));
  if (list.some((n) => !Number.isSafeInteger(n) || n < 1))
    throw new Error('BENCH_STATE_SIZES is a comma-separated list of order counts, each a positive integer');
  return list;
}

async function main(): Promise<void> {
  if (process.env['BENCH_QUICK'] && !process.env['BENCH_STATE_SIZES']) {
    console.log('  skipped (BENCH_QUICK): the figures of the last full run are kept; BENCH_STATE_SIZES runs smaller sizes');
    return;
  }
  const results: SizeResult[] = [];
  const refused: string[] = [];
  await withContext(async (ctx) => {
    // Each fill's measured cost per order sizes the disk check of the next, larger one.
    let perOrder: PerOrder = ESTIMATED_PER_ORDER;
    for (const orders of sizes()) {
      try {
        ensureDiskFor(orders, perOrder, { ...(ctx.broker.home ? { broker: ctx.broker.home } : {}), index: ctx.dir });
      } catch (err) {
        const why = err instanceof Error ? err.message : String(err);
        console.error(`  refused: ${why}`);
        refused.push(why);
        continue;
      }
      const r = await measureSize(ctx, orders);
      results.push(r);
      perOrder = {
        broker: r.brokerBytes === undefined ? perOrder.broker : Math.max(1, r.brokerBytes / orders),
        index: Math.max(r.index.ready, r.index.stopped, r.index.restarted, 1) / orders,
      };
    }
  });
  if (results.length === 0) {
    console.error('  no size was measured: the last figures are kept');
    process.exitCode = 1;
    return;
  }
  writeResult({
    suite: 'state',
    title: 'Order state: cold start, warm restart, a fleet of three and disk per worker',
    figures: results.flatMap(stateFigures),
    notes: [...stateNotes(results), ...refused.map((r) => `Refused: ${r}.`)],
  });
  if (refused.length > 0) process.exitCode = 1;
}

await main();
