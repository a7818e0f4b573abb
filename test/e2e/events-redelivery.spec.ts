// Re-delivering result events to a downstream service that lost its data, as an operator does it with
// the `paystream` CLI against the real broker and worker: `events republish` for a period and for one
// order gives the service exactly the verified events it had (same ids, same bytes, same partitions,
// same order); `events reset-group` shows its plan without moving anything, moves an empty group,
// and refuses a group with a live member and one of Paystream's own; and the audit topic holds a
// signed event for each run, naming who ran it.
import type {} from '@paystream/kafka-broker/global-setup';
import { AuditEvent, verifyEvent, type PaymentCommand } from '@paystream/contracts';
import { readTopicRange } from '@paystream/runtime';
import { runPaystream, startSystem, systemCliFlags, until, type CliRun, type PaystreamSystem } from '@paystream/test-harness';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { NO_RECONCILE } from './payment-runs.ts';
import { Downstream, type Received } from './redelivery-downstream.ts';

const METHODS = ['gopay', 'qris'];
const ORDERS = 24;
const ACTOR = 'Siti Rahma';
let s: PaystreamSystem;
let ledger: Downstream | undefined;
let group: string;
let from: string;
let to: string;
let charges: PaymentCommand[];
/** What the ledger had before it lost its data: every event of the run, by id. */
let before: Map<string, Received>;

function paystream(...args: string[]): Promise<CliRun> {
  return runPaystream([...args, ...systemCliFlags(s, inject('kafkaBrokers'))]);
}

/** What a `--json` run printed; throws with its stderr when it failed. */
function json(run: CliRun): unknown {
  if (run.code !== 0) throw new Error(`paystream exited ${String(run.code)}: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

async function committed(): Promise<Map<number, string>> {
  const admin = s.kafka.admin();
  await admin.connect();
  try {
    const [offsets] = await admin.fetchOffsets({ groupId: group, topics: [s.names.results] });
    return new Map((offsets?.partitions ?? []).map((p) => [p.partition, p.offset]));
  } finally {
    await admin.disconnect();
  }
}

async function auditTrail(): Promise<AuditEvent[]> {
  const admin = s.kafka.admin();
  await admin.connect();
  const events: AuditEvent[] = [];
  try {
    await readTopicRange(s.kafka, admin, s.names.audit, {}, (r) => {
      const value = JSON.parse(r.value?.toString('utf8') ?? 'null') as Record<string, unknown>;
      expect(verifyEvent(value, [s.publicKey]), 'audit signature').toMatchObject({ valid: true });
      events.push(AuditEvent.parse(value));
    });
  } finally {
    await admin.disconnect();
  }
  return events;
}

beforeAll(async () => {
  s = await startSystem({ name: 'redelivery', brokers: inject('kafkaBrokers'), plugins: METHODS, reconcile: NO_RECONCILE });
  group = `${s.names.prefix}ledger.results`;
  // The operator provisions the audit topic as the other topics: `topics create`, as an administrator.
  const topics = json(await paystream('topics', 'create', '--json')) as { created: string[] };
  expect(topics.created).toEqual([s.names.audit]);
  from = new Date(Date.now() - 1_000).toISOString();
  const tag = Date.now().toString(36);
  charges = await Promise.all(
    Array.from({ length: ORDERS }, (_, i) =>
      s.charge({ method: METHODS[i % METHODS.length] ?? 'gopay', orderId: `redeliver-${tag}-${String(i)}`, amount: 20_000 + i * 100 }),
    ),
  );
  await s.upstream.send(charges);
  const orders = charges.map((c) => c.orderId);
  await s.payWhenAsked(orders, { timeoutMs: 120_000 });
  const paid = (): number => orders.filter((o) => s.results.paymentEvent(o, 'paystream.payment.succeeded')).length;
  await until(
    () => paid() === ORDERS,
    () => `${String(paid())} of ${String(ORDERS)} orders succeeded`,
    { timeoutMs: 120_000 },
  );
  to = new Date(Date.now() + 1).toISOString();
  expect(s.results.events.size).toBe(2 * ORDERS);
}, 300_000);

afterAll(async () => {
  await ledger?.stop();
  await s.close();
});

describe('paystream events republish', () => {
  it('gives a downstream service that lost its data exactly the verified events it had, for a period', async () => {
    ledger = await Downstream.start(s.kafka, s.names.results, group, [s.publicKey]);
    const l = ledger;
    await until(
      () => l.events.size === 2 * ORDERS,
      () => `the ledger has ${String(l.events.size)} events`,
      { timeoutMs: 60_000 },
    );
    before = new Map(l.events);
    const order = l.orderByPartition();
    l.forget();

    const run = json(await paystream('events', 'republish', '--from', from, '--to', to, '--actor', ACTOR, '--json'));
    expect(run).toMatchObject({ republished: 2 * ORDERS, invalid: 0, duplicates: 0 });
    await until(
      () => l.events.size === before.size,
      () => `the ledger has ${String(l.events.size)} events again`,
      { timeoutMs: 60_000 },
    );
    expect(l.problems).toEqual([]);
    expect([...l.events.keys()].sort()).toEqual([...before.keys()].sort());
    for (const [id, copy] of l.events) {
      const original = before.get(id);
      expect({ raw: copy.raw, key: copy.key, partition: copy.partition }, id).toEqual({
        raw: original?.raw,
        key: original?.key,
        partition: original?.partition,
      });
    }
    expect(l.orderByPartition()).toEqual(order);
  });

  it("re-delivers one order's events, and only those, with --order", async () => {
    const l = ledger as Downstream;
    const orderId = charges[5]?.orderId ?? '';
    const theirs = [...before].filter(([, r]) => r.key === orderId).map(([id]) => id);
    expect(theirs).toHaveLength(2);
    l.forget();
    // The period's re-delivery wrote copies of these events too: each is written once more, not twice.
    const run = json(await paystream('events', 'republish', '--order', orderId, '--json'));
    expect(run).toMatchObject({ republished: 2, duplicates: 2 });
    await until(
      () => l.events.size === 2,
      () => `the ledger has ${String(l.events.size)} events`,
      { timeoutMs: 30_000 },
    );
    await new Promise((r) => setTimeout(r, 1_000));
    expect([...l.events.keys()].sort()).toEqual(theirs.sort());
    expect(l.copies).toBe(0);
    for (const [id, copy] of l.events) expect(copy.raw).toBe(before.get(id)?.raw);
  });

  it('writes what it did to the audit topic, signed and naming who did it', async () => {
    const trail = (await auditTrail()).filter((e) => e.data.action === 'events_republished');
    expect(trail.map((e) => e.data)).toEqual([
      expect.objectContaining({
        actor: { id: ACTOR, via: 'cli' },
        target: { topic: s.names.results, from, to },
        outcome: 'done',
        count: 2 * ORDERS,
      }),
      expect.objectContaining({ target: { topic: s.names.results, orderId: charges[5]?.orderId }, outcome: 'done', count: 2 }),
    ]);
    expect(trail[1]?.data.actor.id).toMatch(/^.+@.+$/);
    expect(trail.map((e) => e.type)).toEqual(['paystream.audit.events_republished', 'paystream.audit.events_republished']);
  });
});

describe('paystream events reset-group', () => {
  it('shows its plan without moving the group, then moves it with --apply', async () => {
    await (ledger as Downstream).stop();
    ledger = undefined;
    const at = await committed();
    expect([...at.values()].some((o) => Number(o) > 0)).toBe(true);
    const plan = json(await paystream('events', 'reset-group', group, '--to-time', from, '--json')) as {
      applied: boolean;
      partitions: { partition: number; committed?: number; to: number }[];
    };
    expect(plan.applied).toBe(false);
    for (const p of plan.partitions) expect([p.committed ?? -1, p.to]).toEqual([Number(at.get(p.partition) ?? -1), 0]);
    expect(await committed()).toEqual(at);

    const applied = json(await paystream('events', 'reset-group', group, '--to-time', from, '--apply', '--actor', ACTOR, '--json'));
    expect(applied).toMatchObject({ applied: true });
    expect([...(await committed()).values()]).toEqual([...at.keys()].map(() => '0'));
  });

  it('lets the service read its events again from the time, and refuses to move it while it reads', async () => {
    ledger = await Downstream.start(s.kafka, s.names.results, group, [s.publicKey]);
    const l = ledger;
    await until(
      () => l.events.size === before.size,
      () => `the ledger read ${String(l.events.size)} events again`,
      { timeoutMs: 60_000 },
    );
    expect([...l.events.keys()].sort()).toEqual([...before.keys()].sort());
    expect(l.problems).toEqual([]);

    const live = await paystream('events', 'reset-group', group, '--to-time', from, '--apply');
    expect(live.code).toBe(75);
    expect(live.stderr).toContain('PS_ERR_EVENTS_GROUP_ACTIVE');
    const own = await paystream('events', 'reset-group', s.names.group('gopay'), '--to-time', from, '--apply');
    expect(own.code).toBe(77);
    expect(own.stderr).toContain('PS_ERR_EVENTS_GROUP_OWN');

    const resets = (await auditTrail()).filter((e) => e.data.action === 'group_reset');
    expect(resets.map((e) => [e.data.outcome, e.data.target.group])).toEqual([
      ['dry_run', group],
      ['done', group],
      ['refused', group],
      ['refused', s.names.group('gopay')],
    ]);
    expect(resets[1]?.data).toMatchObject({ actor: { id: ACTOR, via: 'cli' }, target: { at: from, topic: s.names.results } });
    expect(resets[2]?.data.detail).toContain('PS_ERR_EVENTS_GROUP_ACTIVE');
  });
});
