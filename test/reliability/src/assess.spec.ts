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
  ({
    id: `${c.orderId}-${status}-${String(n)}`,
    type: `paystream.payment.${status}`,
    subject: c.orderId,
    data: { status },
  }) as unknown as ResultEvent;

const entry = (event: LedgerEntry['event'], order: string): LedgerEntry => ({
  at: '',
  event,
  referenceNo: order,
  partnerReferenceNo: order,
  method: 'gopay',
  amount: '1',
});

const CLIENT_SECRET = 'fake-client-secret-0123456789';

interface Output {
  readonly logs?: readonly string[];
  readonly raw?: readonly string[];
}

function fakeSystem(
  charges: PaymentCommand[],
  events: ResultEvent[],
  ledger: LedgerEntry[],
  dlq = 0,
  output: Output = {},
): PaystreamSystem {
  const byOrder = (o: string): { event: ResultEvent }[] => events.filter((e) => e.subject === o).map((event) => ({ event }));
  return {
    dir: '/nonexistent/paystream-run',
    simulator: {
      sim: {
        credentials: { clientSecret: CLIENT_SECRET, serverKey: 'fake-server-key-0123456789' },
        store: { tokens: new Map([['fake-access-token-0123456789', {}]]) },
      },
    },
    upstream: { sent: new Map(charges.map((c) => [c.commandId, c])) },
    results: {
      forOrder: byOrder,
      events: new Map(events.map((e) => [e.id, e])),
      rawResults: output.raw ?? [],
      dlq: Array.from({ length: dlq }, () => ({
        topic: 'x.dlq',
        code: 'PS_ERR_X',
        key: 'k',
        raw: '{"payload":"481111******1114"}',
        headers: {},
      })),
      problems: [],
    },
    workerLogs: () => (output.logs ?? []).map((text, i) => ({ file: '/run/logs/worker-0.stdout.log', line: i + 1, text })),
    ledger: (cs: readonly PaymentCommand[]) => checkLedger(ledger, cs),
  } as unknown as PaystreamSystem;
}

describe('assess', () => {
  const [ok, lost, twice, unpaid] = ['ok', 'lost', 'twice', 'unpaid'].map((o) => chargeCommand({ method: 'gopay', orderId: o })) as [
    PaymentCommand,
    PaymentCommand,
    PaymentCommand,
    PaymentCommand,
  ];

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
      [
        entry('charge', 'ok'),
        entry('paid', 'ok'),
        entry('charge', 'lost'),
        entry('charge', 'twice'),
        entry('charge', 'twice'),
        entry('paid', 'twice'),
        entry('charge', 'unpaid'),
      ],
      1,
    );
    const f = assess(s, { scenario: 'dirty', charges: [ok, lost, twice, unpaid], startedAt: Date.now() });
    expect(f).toMatchObject({ orders: 4, charges: 5, lost: 1, duplicated: 1, falseSuccesses: 1, dlq: 1 });
    expect(clean(f)).toBe(false);
  });

  it('counts the secrets and test card numbers found in worker logs, result events and DLQ records, masked cards aside', () => {
    const logs = [
      '{"msg":"command done"}',
      `{"msg":"midtrans request","secret":"${CLIENT_SECRET}"}`,
      '{"token":"fake-access-token-0123456789"}',
    ];
    const s = fakeSystem([ok], [outcome(ok, 'succeeded')], [entry('charge', 'ok'), entry('paid', 'ok')], 1, {
      logs,
      raw: ['{"card":"4811 1111 1111 1114"}'],
    });
    const f = assess(s, { scenario: 'leaky', charges: [ok], startedAt: Date.now() });
    expect(f.leaks).toBe(3);
    expect(f.problems.filter((p) => p.startsWith('leak: '))).toHaveLength(3);
    expect(f.problems.join('\n')).not.toContain(CLIENT_SECRET);
    expect(clean({ ...f, dlq: 0, problems: [] })).toBe(false);
  });

  it('holds each order to the outcome the scenario expects of it', () => {
    const s = fakeSystem([ok], [outcome(ok, 'expired')], [entry('charge', 'ok')]);
    expect(assess(s, { scenario: 'expiry', charges: [ok], startedAt: Date.now() }).lost).toBe(1);
    expect(assess(s, { scenario: 'expiry', charges: [ok], expected: () => 'expired', startedAt: Date.now() }).lost).toBe(0);
  });
});
