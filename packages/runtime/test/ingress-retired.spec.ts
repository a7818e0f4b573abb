// A notification for an order that left the state after its retention: answered, so Midtrans stops
// sending it, and never acted on (no inquiry, nothing published); an order never known still gets 404.
import { afterEach, describe, expect, it } from 'vitest';
import { fakeIngress, notification, post, RETIRED_ORDER, type FakeIngress } from './ingress-fakes.ts';

const open: FakeIngress[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((f) => f.ingress.close()));
});

describe('a notification for a retired order', () => {
  it('is answered 200 and not acted on, logged as retired-order', async () => {
    const f = await fakeIngress();
    open.push(f);
    const paid = (order: string) => JSON.stringify({ originalPartnerReferenceNo: order, latestTransactionStatus: '00' });
    expect(await post(f.ingress.url, notification(paid(RETIRED_ORDER)))).toBe(200);
    expect(await post(f.ingress.url, notification(paid('o-never-known')))).toBe(404);
    expect(f.inquiries).toBe(0);
    expect(f.events.map((e) => [e.outcome, e.orderId])).toEqual([
      ['retired-order', RETIRED_ORDER],
      ['unknown-order', undefined],
    ]);
  });
});
