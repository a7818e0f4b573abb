// The scenario figures must count what went wrong, or every scenario would report zero by
// construction: here a fake system holds one clean order, a lost one, a double-charged one with two
// outcomes, and a success nobody paid for.
import type { PaymentCommand, PaymentEvent, ResultEvent } from '@paystream/contracts';
import { chargeCommand, checkLedger, type PaystreamSystem } from '@paystream/test-harness';
import type { LedgerEntry } from '@paystream/midtrans-sim';
import { describe, expect, it } from 'vitest';
import { assess } from './assess.ts';
import { clean } from './record.ts';

const outcome = (c: PaymentCommand, status: PaymentEvent['data']['status'], n = 0): ResultEvent =>
  ({ id: `${c.orderId}-${status}-${String(n)}`, type: `paystream.payment.${status}`, subject: c.orderId, data: { status } }) as unknown as ResultEvent;

const entry = (event: LedgerEntry['event'], order: string): LedgerEntry => ({ at: '', event, referenceNo: order, partnerReferenceNo: order, method: 'gopay', amount: '1' });

function fakeSystem(charges: PaymentCommand[], events: ResultEvent[], ledger: LedgerEntry[], dlq = 0): PaystreamSystem {
  const byOrder = (o: string): { event: ResultEvent }[] => events.filter((e) => e.subject === o).map((event) => ({ event }));
  return {
    upstream: { sent: new Map(charges.map((c) => [c.commandId, c])) },
    results: { forOrder: byOrder, events: new Map(events.map((e) => [e.id, e])), dlq: Array.from({ length: dlq }, () => ({ code: 'PS_ERR_X', key: 'k' })), problems: [] },
    ledger: (cs: readonly PaymentCommand[]) => checkLedger(ledger, cs),
  } as unknown as PaystreamSystem;
}

describe('assess', () => {
  const [ok, lost, twice, unpaid] = ['ok', 'lost', 'twice', 'unpaid'].map((o) => chargeCommand({ method: 'gopay', orderId: o })) as [PaymentCommand, PaymentCommand, PaymentCommand, PaymentCommand];

  it('counts nothing wrong in a clean run', () => {
    const s = fakeSystem([ok], [outcome(ok, 'action_required'), outcome(ok, 'succeeded')], [entry('charge', 'ok'), entry('paid', 'ok')]);
    const f = assess(s, { scenario: 'clean', charges: [ok], startedAt: Date.now() });
    expect(f).toMatchObject({ orders: 1, results: 2, charges: 1, lost: 0, duplicated: 0, falseSuccesses: 0, dlq: 0, problems: [] });
    expect(clean(f)).toBe(true);
  });

  it('counts lost, duplicated and falsely successful orders, and DLQ records', () => {
    const s = fakeSystem(
      [ok, lost, twice, unpaid],
      [outcome(ok, 'succeeded'), outcome(twice, 'succeeded'), outcome(twice, 'failed', 1), outcome(unpaid, 'succeeded')],
      [entry('charge', 'ok'), entry('paid', 'ok'), entry('charge', 'lost'), entry('charge', 'twice'), entry('charge', 'twice'), entry('paid', 'twice'), entry('charge', 'unpaid')],
      1,
    );
    const f = assess(s, { scenario: 'dirty', charges: [ok, lost, twice, unpaid], startedAt: Date.now() });
    expect(f).toMatchObject({ orders: 4, charges: 5, lost: 1, duplicated: 1, falseSuccesses: 1, dlq: 1 });
    expect(clean(f)).toBe(false);
  });

  it('holds each order to the outcome the scenario expects of it', () => {
    const s = fakeSystem([ok], [outcome(ok, 'expired')], [entry('charge', 'ok')]);
    expect(assess(s, { scenario: 'expiry', charges: [ok], startedAt: Date.now() }).lost).toBe(1);
    expect(assess(s, { scenario: 'expiry', charges: [ok], expected: () => 'expired', startedAt: Date.now() }).lost).toBe(0);
  });
});
