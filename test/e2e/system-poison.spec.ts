// Poison commands against a `paystream worker` process: each lands in its DLQ with its own code and
// a rejected event, the worker keeps going, and the card number is nowhere — not in the DLQ, not in
// the result events, not in a single line the process wrote, even at trace level.
import { randomUUID } from 'node:crypto';
import type {} from '@paystream/kafka-broker/global-setup';
import { chargeCommand, SANDBOX_CARD, startSystem, until, type PaystreamSystem } from '@paystream/test-harness';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

let system: PaystreamSystem | undefined;

beforeAll(async () => {
  system = await startSystem({ name: 'poison', brokers: inject('kafkaBrokers'), plugins: ['gopay', 'card-3ds'], logLevel: 'trace' });
}, 180_000);

afterAll(async () => {
  await system?.close();
});

const SPACED_CARD = SANDBOX_CARD.replace(/(\d{4})(?=\d)/g, '$1 ');

/** The card number in any of its spellings. */
function holdsCard(text: string): boolean {
  return text.includes(SANDBOX_CARD) || text.includes(SPACED_CARD) || text.replace(/[ -]/g, '').includes(SANDBOX_CARD);
}

interface Poison {
  readonly name: string;
  readonly method: string;
  readonly orderId: string;
  readonly value: string;
  readonly code: string;
}

function poisons(token: string): Poison[] {
  const tag = Date.now().toString(36);
  const gopay = (name: string, overrides: Record<string, unknown>): Omit<Poison, 'code'> => {
    const orderId = `p-${name}-${tag}`;
    return { name, method: 'gopay', orderId, value: JSON.stringify({ ...chargeCommand({ method: 'gopay', orderId }), ...overrides }) };
  };
  const card = (name: string, details: Record<string, unknown>): Omit<Poison, 'code'> => {
    const orderId = `p-${name}-${tag}`;
    return { name, method: 'card-3ds', orderId, value: JSON.stringify(chargeCommand({ method: 'card-3ds', orderId, details })) };
  };
  return [
    { name: 'malformed', method: 'gopay', orderId: `p-malformed-${tag}`, value: '{"orderId": "broken', code: 'PS_ERR_COMMAND_MALFORMED' },
    { ...gopay('schema', { type: 'payment.teleport', commandId: 'not-a-uuid' }), code: 'PS_ERR_COMMAND_INVALID' },
    { ...gopay('unknown-method', { method: 'teleport' }), code: 'PS_ERR_COMMAND_UNKNOWN_METHOD' },
    { ...gopay('card-in-details', { details: { note: `pay with ${SPACED_CARD}` } }), code: 'PS_ERR_COMMAND_CARD_DATA' },
    { ...card('card-as-token', { tokenId: SANDBOX_CARD }), code: 'PS_ERR_COMMAND_CARD_DATA' },
    { ...gopay('negative', { amount: { value: -5, currency: 'IDR' } }), code: 'PS_ERR_COMMAND_INVALID' },
    { ...gopay('oversized', { amount: { value: 1e15, currency: 'IDR' } }), code: 'PS_ERR_COMMAND_INVALID' },
    { ...card('no-3ds', { tokenId: token, authentication: false }), code: 'PS_ERR_COMMAND_3DS_DISABLED' },
  ];
}

describe('poison commands against the worker process', () => {
  it('each goes to the DLQ with its own code and a rejected event, the worker keeps going, and the card number is nowhere', async () => {
    const s = system as PaystreamSystem;
    const list = poisons(await s.customers.cardToken());
    for (const p of list)
      await s.upstream.sendRaw(p.method, [{ key: p.orderId, value: p.value, headers: { 'correlation-id': randomUUID() } }]);
    // Good commands after the poison: the worker did not stop on it.
    const after = [
      await s.charge({ method: 'gopay', orderId: `after-poison-gopay-${randomUUID().slice(0, 8)}` }),
      await s.charge({ method: 'card-3ds', orderId: `after-poison-card-${randomUUID().slice(0, 8)}` }),
    ];
    await s.upstream.send(after);

    await until(
      () => s.results.dlq.length >= list.length,
      () => `${String(s.results.dlq.length)} of ${String(list.length)} DLQ records`,
      { timeoutMs: 60_000 },
    );
    await until(
      () => after.every((c) => s.results.paymentEvent(c.orderId, 'paystream.payment.action_required')),
      () => 'no action_required for the commands after the poison',
      { timeoutMs: 60_000 },
    );
    await until(
      () => s.results.ordersWith('paystream.command.rejected').size >= list.length - 1,
      () => `${String(s.results.ordersWith('paystream.command.rejected').size)} rejected events`,
      { timeoutMs: 90_000 },
    );

    expect(s.results.dlq).toHaveLength(list.length);
    for (const p of list) {
      const record = s.results.dlq.find((d) => d.key === p.orderId);
      expect(record?.topic, p.name).toBe(s.names.dlq(p.method));
      expect(record?.code, p.name).toBe(p.code);
      expect(record?.record?.code, p.name).toBe(p.code);
      if (p.name === 'malformed') continue;
      // The order id was readable: downstream hears of the refusal too.
      const rejected = s.results.forOrder(p.orderId).map((c) => c.event);
      expect(
        rejected.map((e) => e.type),
        p.name,
      ).toEqual(['paystream.command.rejected']);
      expect(rejected[0]?.type === 'paystream.command.rejected' ? rejected[0].data.code : undefined, p.name).toBe(p.code);
    }
    expect(s.results.problems).toEqual([]);
    expect(s.workers.isAlive(0)).toBe(true);

    const leaks = [
      ...s.results.dlq.filter((d) => holdsCard(d.raw) || Object.values(d.headers).some(holdsCard)).map((d) => `DLQ ${d.key}`),
      ...s.results.rawResults.filter(holdsCard).map((r) => `event ${r.slice(0, 80)}`),
      ...s
        .workerLogs()
        .filter((l) => holdsCard(l.text))
        .map((l) => `${l.file}:${String(l.line)}`),
    ];
    expect(leaks).toEqual([]);
    // The scan covered what the worker did with the poison: it logged at trace level about them.
    expect(s.workerLogs().filter((l) => list.some((p) => l.text.includes(p.code))).length).toBeGreaterThan(0);
  }, 180_000);
});
