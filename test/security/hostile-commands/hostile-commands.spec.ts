// Issue 13's hostile commands against a `paystream worker` process (the CLI, with a `--config` file
// and the environment), the real broker and the simulator, all on one partition of
// `paystream.commands.gopay` between valid charges: no input may leave an offset unfinished, every
// valid charge is charged and paid, every hostile command gets exactly one DLQ record with its code,
// no card number or secret comes out anywhere — results, DLQ, log lines, /metrics — and 10,000
// random hostile commands leave the number of metric series where 10 left it.
import type {} from '@paystream/kafka-broker/global-setup';
import { until } from '@paystream/test-harness';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { charge, duplicateCases, hostileCases, KIB, MIB } from './cases.ts';
import { isPaid, leakSources, scanAll, seriesProblems } from './checks.ts';
import { applicationSeries, dlqTotal, lagOf, parseMetrics } from './metrics.ts';
import { OrderIds, PARTITION } from './partition.ts';
import { eventually, interleave, settled, whereStuck } from './progress.ts';
import { racingPairs, raceProblems } from './races.ts';
import { randomHostile } from './random.ts';
import { CORE_API_METHOD, startHostileRun, type HostileRun } from './run.ts';
import { rejectedProblems, Sent, tally, type ValidCharge } from './sent.ts';
import { probeSizes, raiseMaxMessageBytes, type SizeProbe } from './size.ts';
import { carriedOn, TRACE_HEADERS, traceProblems } from './trace-headers.ts';
import { recordAccessTokens } from './leaks.ts';

const SEED = 13;
const RANDOM_TOTAL = 10_000;
const RANDOM_FIRST = 10;

let run: HostileRun;
let sent: Sent;
let accessTokens: ReadonlySet<string>;
let probe: SizeProbe | undefined;
const tag = Date.now().toString(36);
const ids = new OrderIds(`hc-${tag}`);
/** The order of the largest command the broker takes under its defaults. */
const largestOrder = ids.next();
const paid: ValidCharge[] = [];

beforeAll(async () => {
  run = await startHostileRun(inject('kafkaBrokers'));
  sent = new Sent(run);
  accessTokens = recordAccessTokens(run.system);
}, 180_000);

afterAll(async () => {
  // Unset when the start-up failed: its own error is the one to read.
  await (run as HostileRun | undefined)?.close();
});

async function pay(charges: readonly ValidCharge[]): Promise<void> {
  try {
    await run.system.payWhenAsked(
      charges.map((c) => c.command.orderId),
      { timeoutMs: 90_000 },
    );
  } catch (err) {
    throw new Error(`${err instanceof Error ? err.message : String(err)}; ${await whereStuck(run, sent)}`, { cause: err });
  }
  paid.push(...charges);
}

/** Card charges through the Core API, 3-D Secure passed and confirmed by inquiry (`/v2/<orderId>/status`). */
async function chargeByCard(count: number): Promise<void> {
  const { system } = run;
  const commands = await Promise.all(Array.from({ length: count }, () => system.charge({ method: CORE_API_METHOD, orderId: ids.next() })));
  await system.upstream.send(commands);
  await system.payWhenAsked(
    commands.map((c) => c.orderId),
    { timeoutMs: 60_000 },
  );
  const done = (): boolean => commands.every((c) => system.results.paymentEvent(c.orderId, 'paystream.payment.succeeded'));
  await until(done, () => 'a card charge never succeeded', { timeoutMs: 60_000 });
}

const rejections = (): string[] => rejectedProblems(sent, run.system.results.events.values(), run.commandTopic);

describe('hostile commands on one partition, between valid charges', () => {
  it('the broker refuses a 1 MiB value under its defaults; the attacked topic is raised to take it', async () => {
    probe = await probeSizes(run.system.kafka, run.admin, `${run.system.names.prefix}hostile.size-probe`, largestOrder);
    expect(probe.oneMibDefault).toBe('MESSAGE_TOO_LARGE');
    expect(probe.largestDefault).toBeGreaterThan(MIB - 1024);
    expect(probe.largestDefault).toBeLessThan(MIB);
    await raiseMaxMessageBytes(run.admin, run.commandTopic);
  });

  it('every valid charge is charged and paid, every hostile command gets one DLQ record with its code, the partition is committed, its lag 0', async () => {
    const cases = hostileCases(ids, { orderId: largestOrder, bytes: probe?.largestDefault ?? MIB - 1024 });
    const charges: ValidCharge[] = [
      ...TRACE_HEADERS.map((t) => ({ command: charge(ids.next()), headers: t.headers })),
      // Headers no rule passes on, however big, change nothing: the charge goes through.
      { command: charge(ids.next()), headers: { 'x-padding': 'p'.repeat(900 * KIB) } },
      ...Array.from({ length: cases.length - TRACE_HEADERS.length - 1 }, () => ({ command: charge(ids.next()) })),
    ];
    await sent.send(interleave(charges, cases));
    await pay(charges);
    // Command ids reused with other bodies, once the charges they copy are done, between two more charges.
    const later = [{ command: charge(ids.next()) }, { command: charge(ids.next()) }];
    const duplicates = duplicateCases(
      ids,
      charges.map((c) => c.command),
    );
    await sent.send(interleave(later, duplicates));
    await pay(later);

    const paidCount = (): number => paid.filter((c) => isPaid(run, c)).length;
    await until(
      () => paidCount() === paid.length,
      () => `${String(paidCount())} of ${String(paid.length)} paid`,
      { timeoutMs: 60_000 },
    );
    await settled(run, sent, 60_000);
    await chargeByCard(2);
    expect(await eventually(() => sent.problems(), 20_000)).toEqual([]);
    expect(await eventually(rejections, 20_000)).toEqual([]);
    const charged = new Set(paid.map((c) => c.command.orderId));
    const hostileCharged = [...sent.hostile.values()].filter(
      (c) => c.orderId && !charged.has(c.orderId) && run.system.results.paymentEvent(c.orderId, 'paystream.payment.action_required'),
    );
    expect(hostileCharged.map((c) => c.name)).toEqual([]);
    await expect.poll(async () => lagOf(await run.metrics(), run.commandTopic).get(PARTITION), { timeout: 15_000 }).toBe(0);
    expect([...lagOf(await run.metrics(), run.commandTopic).values()].every((lag) => lag === 0)).toBe(true);
  }, 300_000);

  it('a commandId reused by two commands back to back: one is charged and paid, the other refused as a duplicate', async () => {
    const pairs = racingPairs(ids, 12);
    const commands = pairs.flatMap((p) => [p.first, p.second]);
    await run.send(commands.map((c) => ({ key: c.orderId, value: JSON.stringify(c) })));
    await settled(run, sent, 60_000);
    expect(await eventually(() => raceProblems(run, pairs, sent.dlq()), 20_000)).toEqual([]);
    // Paid, so that no order is left for the reconciler to inquire about while metrics are counted.
    const charged = commands.filter((c) => run.system.results.paymentEvent(c.orderId, 'paystream.payment.action_required'));
    const orders = [...new Map(charged.map((c) => [c.orderId, { command: c }])).values()];
    await pay(orders);
    await until(
      () => orders.every((c) => isPaid(run, c)),
      () => 'a racing charge was never paid',
      { timeoutMs: 60_000 },
    );
  }, 180_000);

  it('a result keeps traceparent only in W3C form and correlation-id only as ≤ 128 printable ASCII', () => {
    const results = run.tap.on(run.system.names.results);
    const carried = TRACE_HEADERS.flatMap((t, i) => {
      const charged = paid[i];
      const first = results.find((r) => r.key?.toString() === charged?.command.orderId);
      if (!charged || !first) return [`${t.name}: no result`];
      return carriedOn(t.headers, first, t.kept).map((p) => `${t.name}: ${p}`);
    });
    expect(carried).toEqual([]);
    expect(traceProblems(results)).toEqual([]);
  });

  it('10,000 random hostile commands: one DLQ record each, the partition committed, and as many metric series as after 10', async () => {
    // Command ids to reuse: the charges handled, or at least sent when an earlier step failed.
    const handled = [...sent.valid.values()].map((c) => c.command);
    const all = randomHostile(SEED, RANDOM_TOTAL, ids, handled);
    const first = new Set(await sent.send(all.slice(0, RANDOM_FIRST)));
    await settled(run, sent, 60_000);
    await eventually(() => sent.problems(first), 20_000);
    const after10 = await run.metrics();
    const rest = new Set(await sent.send(all.slice(RANDOM_FIRST)));
    await settled(run, sent, 240_000);
    await eventually(() => sent.problems(rest), 30_000);
    const afterAll10k = await run.metrics();

    expect(tally(sent.problems(new Set([...first, ...rest])))).toEqual([]);
    expect(tally(await eventually(rejections, 30_000))).toEqual([]);
    expect(seriesProblems(applicationSeries(after10), applicationSeries(afterAll10k))).toEqual([]);
    expect(applicationSeries(afterAll10k).length).toBe(applicationSeries(after10).length);
    const processSeries = (text: string): number => parseMetrics(text).length - applicationSeries(text).length;
    // Node's own series may differ by a kind of GC or handle, never by thousands.
    expect(Math.abs(processSeries(afterAll10k) - processSeries(after10))).toBeLessThan(10);
    expect(lagOf(afterAll10k, run.commandTopic).get(PARTITION)).toBe(0);
    // The scrapes saw the refusals: the DLQ counter grew by exactly the commands sent between them.
    expect(dlqTotal(afterAll10k) - dlqTotal(after10)).toBe(RANDOM_TOTAL - RANDOM_FIRST);
  }, 420_000);

  it('no card number and no secret in any result, DLQ record, log line or metric; every metric label from a closed set', async () => {
    const metrics = await run.metrics();
    const scan = scanAll(run, sent, leakSources(run, sent, metrics), accessTokens, metrics, `hc-${tag}`);
    expect(scan.blind).toEqual([]);
    expect(scan.findings).toEqual([]);
    expect(scan.labels).toEqual([]);
    // The labels checked include those input could have reached: refusals by method, and the Core API's order paths.
    const series = parseMetrics(metrics);
    expect(series.filter((s) => s.name === 'paystream_commands_total' && s.labels['method'] === 'unknown').length).toBeGreaterThan(0);
    expect(series.filter((s) => s.name === 'paystream_midtrans_call_seconds_count').map((s) => s.labels['path'])).toContain(
      '/v2/:orderId/status',
    );
  });
});
