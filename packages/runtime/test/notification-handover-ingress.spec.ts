// The ingress of a worker in a fleet that splits the order state: a verified notification for an order
// it does not hold is handed over (answered once Kafka acknowledged, 503 if not), one it holds is
// confirmed here, and a worker holding every partition answers 404 for an order nobody has. Then the
// owner's side: a handed-over record confirmed in its order's key sequence, if the order is held here.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { directDebitOrderId, type PaymentMethodPlugin } from '@paystream/plugin-sdk';
import { NotificationHandover } from '../src/ingress/notification-handover.ts';
import type { OutMessage } from '../src/kafka/publisher.ts';
import type { OrderReferences } from '../src/state/order-references.ts';
import { fakeIngress, notification, post, SNAP, type FakeIngress } from './ingress-fakes.ts';

const TOPIC = 'paystream.notifications';
/** The order this worker holds; any other is held elsewhere (or nowhere). */
const HELD = 'o-1';

/** Orders of a worker holding `HELD` alone, of some partitions (`fleet.holdsAll` false) or all of them. */
function fleetOrders(fleet: { holdsAll: boolean }): OrderReferences {
  return {
    orderOf: (ref: string) => (ref === HELD ? HELD : undefined),
    get: () => ({ v: 2, method: 'gopay', chargeCommandId: 'c-1', amount: 1000, currency: 'IDR', references: {}, commands: {} }),
    retired: { at: () => undefined },
    fleet,
  } as unknown as OrderReferences;
}

interface Handing {
  readonly f: FakeIngress;
  readonly fleet: { holdsAll: boolean };
  /** Every handover produced, one array per send. */
  readonly sent: OutMessage[][];
  /** What the publisher does with the next sends. */
  acknowledge: () => Promise<void>;
}

const open: FakeIngress[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((f) => f.ingress.close()));
});

async function started(holdsAll = false): Promise<Handing> {
  const fleet = { holdsAll };
  const sent: OutMessage[][] = [];
  const state = { acknowledge: () => Promise.resolve() } as Handing;
  const plugins = new Map([
    ['gopay', { method: 'gopay', notifications: { snapPaths: [SNAP], orderIdOf: directDebitOrderId } } as unknown as PaymentMethodPlugin],
  ]);
  const publisher = {
    send: (records: readonly OutMessage[]) => {
      sent.push([...records]);
      return state.acknowledge();
    },
  };
  const handover = new NotificationHandover({ publisher, topic: TOPIC, partitions: () => 6, plugins });
  const f = await fakeIngress({ orders: fleetOrders(fleet), handover });
  open.push(f);
  return Object.assign(state, { f, fleet, sent });
}

const paid = (order: string, extra: Record<string, string> = {}): string =>
  JSON.stringify({ originalPartnerReferenceNo: order, latestTransactionStatus: '00', ...extra });

describe('a notification for an order held elsewhere', () => {
  it('is handed over, keyed by its order id, and answered 200 only once Kafka acknowledged it', async () => {
    const h = await started();
    let release = (): void => undefined;
    h.acknowledge = () => new Promise<void>((r) => (release = r));
    let answered = false;
    const status = post(h.f.ingress.url, notification(paid('o-2'))).then((s) => ((answered = true), s));
    await expect.poll(() => h.sent.length, { timeout: 10_000 }).toBe(1);
    expect(answered).toBe(false);
    release();
    expect(await status).toBe(200);
    expect(h.sent[0]?.map((r) => [r.topic, r.key, r.partition])).toEqual([[TOPIC, 'o-2', undefined]]);
    expect(h.f.inquiries).toBe(0);
    expect(h.f.events.map((e) => [e.outcome, e.orderId])).toEqual([['handed-over', 'o-2']]);
  });

  it('goes to every partition when it names only a reference of Midtrans', async () => {
    const h = await started();
    const body = JSON.stringify({ originalReferenceNo: 'A120', latestTransactionStatus: '00' });
    expect(await post(h.f.ingress.url, notification(body))).toBe(200);
    expect(h.sent[0]?.map((r) => [r.key, r.partition])).toEqual([0, 1, 2, 3, 4, 5].map((p) => ['A120', p]));
    expect(h.f.events.map((e) => [e.outcome, e.orderId])).toEqual([['handed-over', undefined]]);
  });

  it('is answered 503 when the handover fails, and handed over again when Midtrans retries', async () => {
    const h = await started();
    h.acknowledge = () => Promise.reject(new Error('not enough replicas'));
    const n = notification(paid('o-3'));
    expect(await post(h.f.ingress.url, n)).toBe(503);
    h.acknowledge = () => Promise.resolve();
    expect(await post(h.f.ingress.url, n)).toBe(200);
    expect(h.sent).toHaveLength(2);
    expect(h.f.events.map((e) => e.outcome)).toEqual(['handover-failed', 'handed-over']);
  });
});

describe('a notification the worker can answer itself', () => {
  it('confirms an order it holds here, handing nothing over', async () => {
    const h = await started();
    expect(await post(h.f.ingress.url, notification(paid(HELD)))).toBe(200);
    expect(h.f.inquiries).toBe(1);
    expect(h.sent).toEqual([]);
    expect(h.f.events.map((e) => [e.outcome, e.orderId])).toEqual([['published', HELD]]);
  });

  it('answers 404 for an unknown order when it holds every partition', async () => {
    const h = await started(true);
    expect(await post(h.f.ingress.url, notification(paid('o-4')))).toBe(404);
    expect(h.sent).toEqual([]);
    expect(h.f.events.map((e) => e.outcome)).toEqual(['unknown-order']);
  });
});

describe('a handed-over notification at the owner', () => {
  const record = (body: string, path = SNAP): { value: Buffer } => ({
    value: Buffer.from(JSON.stringify({ v: 1, path, body: JSON.parse(body) as unknown })),
  });

  function sequence(): { readonly ran: string[]; readonly run: (orderId: string, task: () => Promise<void>) => Promise<void> } {
    const ran: string[] = [];
    const run = async (orderId: string, task: () => Promise<void>): Promise<void> => {
      ran.push(orderId);
      await task();
    };
    return { ran, run };
  }

  it('is confirmed in its order’s key sequence when the order is held here', async () => {
    const h = await started();
    const s = sequence();
    await h.f.ingress.handedOver(record(paid(HELD)), s.run);
    expect(s.ran).toEqual([HELD]);
    expect(h.f.inquiries).toBe(1);
    expect(h.sent).toEqual([]);
    expect(h.f.events.map((e) => [e.outcome, e.orderId])).toEqual([['published', HELD]]);
  });

  it('asks again, in its key sequence, when the inquiry fails: Midtrans was answered and will not retry', async () => {
    const h = await started();
    const s = sequence();
    h.f.mode = 'fail';
    const done = h.f.ingress.handedOver(record(paid(HELD)), s.run);
    await vi.waitFor(() => expect(h.f.inquiries).toBe(1));
    h.f.mode = 'answer';
    await done;
    expect(s.ran).toEqual([HELD, HELD]);
    expect(h.f.events.map((e) => e.outcome)).toEqual(['inquiry-failed', 'published']);
  });

  it('is left alone when the order is not held here (a copy meant for another owner)', async () => {
    const h = await started();
    const s = sequence();
    await h.f.ingress.handedOver(record(paid('o-5')), s.run);
    await h.f.ingress.handedOver(record(JSON.stringify({ originalReferenceNo: 'A121' })), s.run);
    expect(s.ran).toEqual([]);
    expect(h.f.inquiries).toBe(0);
    expect(h.sent).toEqual([]);
    expect(h.f.events).toEqual([]);
  });

  it('is reported malformed, and not acted on, when no worker wrote it', async () => {
    const h = await started();
    const s = sequence();
    await h.f.ingress.handedOver({ value: Buffer.from('{not json') }, s.run);
    await h.f.ingress.handedOver({ value: null }, s.run);
    await h.f.ingress.handedOver(record(paid(HELD), '/admin'), s.run);
    expect(s.ran).toEqual([]);
    expect(h.f.inquiries).toBe(0);
    expect(h.f.events.map((e) => [e.path, e.outcome])).toEqual(Array(3).fill(['other', 'malformed']));
  });
});
